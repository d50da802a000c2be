"""How the notices about the cluster's linked groups are worded."""

from __future__ import annotations

from collections.abc import Callable

from bot.domain.messages import Reply
from bot.i18n import Translator

__all__ = ["group_removed_notice"]


def group_removed_notice(channel: str) -> Callable[[Translator], Reply]:
    """The chair's notice that the bot was removed from a linked group."""

    def build(_: Translator) -> Reply:
        return Reply(
            _(
                "I was removed from a linked group ({channel}); it no longer receives "
                "announcements."
            ).format(channel=channel.capitalize())
        )

    return build
