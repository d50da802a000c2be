"""The words the bot says, composed from domain data: role names, reminders, invitations, the plan.

Through gettext (``bot.i18n``). May import ``bot.domain`` and ``bot.i18n``; never storage or a
channel.
"""
