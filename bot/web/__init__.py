"""The bot's own web server: health, the Zalo webhook, one-time upload and download links.

May import the domain, texts, services and storage; never a handler, the engine or the CLI.
"""
