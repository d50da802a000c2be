"""The words of the nudges: a reminder put off, a report sent on paper, the unit's digest."""

from __future__ import annotations

from datetime import date, timedelta

from bot.domain.cluster import Cluster, Deliverable
from bot.domain.formatting import short_date
from bot.domain.messages import Option, Reply
from bot.i18n import Translator
from bot.texts.roles import unit_label

__all__ = [
    "paper_claim_notice",
    "paper_decided_notice",
    "unit_digest_reply",
]


def paper_claim_notice(
    cluster: Cluster, deliverable: Deliverable, unit_code: str, claim_id: int, _: Translator
) -> Reply:
    """To the chair: a unit says the report went on paper; confirm or refuse."""
    text = _(
        "📄 {unit} says {title} was sent on paper. Has it reached you? Once confirmed it counts "
        "as submitted (marked as paper)."
    ).format(unit=unit_label(cluster, unit_code, _), title=deliverable.title)
    options = (
        Option(_("Confirm: received on paper"), f"paperok:{claim_id}"),
        Option(_("Not received"), f"paperno:{claim_id}"),
    )
    return Reply(text, options)


def paper_decided_notice(deliverable: Deliverable, confirmed: bool, _: Translator) -> Reply:
    """To the unit: the chair's answer."""
    if confirmed:
        return Reply(
            _("The chair confirmed receiving {title} on paper: it counts as submitted.").format(
                title=deliverable.title
            )
        )
    text = _(
        "The chair has not received {title} on paper. Please send it again, or send the file."
    ).format(title=deliverable.title)
    return Reply(text, (Option(_("Send the report now"), f"report:{deliverable.code}"),))


def unit_digest_reply(
    cluster: Cluster,
    unit_code: str,
    day: date,
    coming: list[Deliverable],
    late: list[Deliverable],
    _: Translator,
) -> Reply:
    """The unit's weekly digest: what is due in the next two weeks, what is late."""
    end = day + timedelta(days=13)
    lines = [
        _("📋 {unit}: the reports of {start} – {end}").format(
            unit=unit_label(cluster, unit_code, _), start=short_date(day), end=short_date(end)
        ),
        _("Due in the next two weeks:"),
    ]
    lines += [
        "- " + _("{title} (due {due})").format(title=d.title, due=short_date(d.due)) for d in coming
    ] or ["- " + _("nothing")]
    lines.append(_("Late:"))
    lines += [
        "- " + _("{title} (was due {due})").format(title=d.title, due=short_date(d.due))
        for d in late
    ] or ["- " + _("nothing")]
    options = (Option(_("Stop the weekly digest"), "digest:off"),)
    return Reply("\n".join(lines), options)
