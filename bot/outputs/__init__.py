"""What the bot hands over as files and composed views: the ranking text, chart and workbook,
and the official documents (DOCX drafts from templates, PDF through LibreOffice).

May import the domain, texts and services (for the data they lay out); never storage directly,
a channel or a handler.
"""
