"""The conversation engine: dispatcher, router, flows and the handler's context.

The dispatcher takes one neutral ``Inbound`` from an adapter, checks the sender's role, resumes
or starts a conversation and asks the router for the handler; handlers register themselves with
the router. May import the domain, texts and services; never a handler, a channel or the CLI.
"""
