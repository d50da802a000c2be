"""What a unit is told when the chair excuses it from a report, reopens it or clears the mark."""

from __future__ import annotations

from bot.domain.cluster import Cluster, Deliverable
from bot.domain.messages import Option, Reply
from bot.domain.report_status import MarkAction
from bot.i18n import Translator
from bot.texts.roles import Leader, title_of

__all__ = ["mark_notice"]


def mark_notice(
    action: MarkAction, cluster: Cluster, deliverable: Deliverable, reason: str, _: Translator
) -> Reply:
    messages = {
        MarkAction.EXCUSE: _("The {chair} excused your unit from {title}. Reason: {reason}"),
        MarkAction.REOPEN: _(
            "The {chair} asks your unit for a new version of {title}. Reason: {reason}"
        ),
        MarkAction.CLEAR: _("The {chair} cleared the mark on {title}. Reason: {reason}"),
    }
    options = (
        (Option(_("Send it now"), f"report:{deliverable.code}"),)
        if action is MarkAction.REOPEN
        else ()
    )
    chair = title_of(cluster, Leader.CHAIR, _)
    text = messages[action].format(chair=chair, title=deliverable.title, reason=reason)
    return Reply(text, options)
