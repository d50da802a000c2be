"""Application services that do I/O on the domain's behalf.

The services container, the outbox and its sender, reminders and the weekly digest,
announcements, report intake, notices, links and the data that status and ranking views read.
May import the domain, texts and storage; never a handler, the engine's dispatcher, a platform
library or the CLI (the sender talks to channels only through ``bot.channels.base``).
"""
