"""The answer to a filled score form (in chat, or through the outbox after an upload on the
web): the total, the subtotals, the rows with a problem by code and what is still blank, then
the confirmation. Its options answer the score flow's ``formread`` step wherever it is sent."""

from __future__ import annotations

from collections.abc import Sequence

from bot.domain.formatting import number
from bot.domain.messages import Option, Reply
from bot.domain.score_form_reading import FormProblem
from bot.domain.score_sheet import SheetEntries
from bot.domain.scoring import unit_score
from bot.domain.scoring_table import ScoringTable
from bot.i18n import Translator

__all__ = ["FORM_READ_STEP", "SCORE_FLOW_NAME", "form_read_lines", "form_read_reply"]

SCORE_FLOW_NAME = "score"
FORM_READ_STEP = "formread"
_SHOWN_BLANK = 30
"""At most this many blank codes are listed (then "…")."""
_SHOWN_PROBLEMS = 12
"""At most this many rows not taken are listed (then how many more), so that the answer fits
one message on Zalo too."""


def _option(label: str, choice: str) -> Option:
    return Option(label, f"@{SCORE_FLOW_NAME}.{FORM_READ_STEP}:{choice}")


def form_read_lines(
    table: ScoringTable,
    entries: SheetEntries,
    problems: Sequence[FormProblem],
    _: Translator,
    language: str,
) -> list[str]:
    """The total, each group's subtotal, the rows not taken and the criteria still blank."""
    score = unit_score("", entries.scored_points(), dict(entries.bonuses), reviewed=False)
    lines = [
        _("Your score form is read: {total} points in all.").format(
            total=number(score.total(table), language)
        )
    ]
    for group in table.groups:
        subtotal = number(score.subtotal(table, group.code), language)
        most = number(sum(c.max for c in group.criteria()), language)
        lines.append(f"{group.code}. {group.name}: {subtotal} / {most}")
    if problems:
        lines.append(_("Rows not taken (the draft keeps what it had):"))
        lines += [f"   {p.text(_, language)}" for p in problems[:_SHOWN_PROBLEMS]]
        if len(problems) > _SHOWN_PROBLEMS:
            more = len(problems) - _SHOWN_PROBLEMS
            lines.append("   " + _("… and {count} more rows.").format(count=more))
    missing = entries.missing(table.criterion_codes)
    if missing:
        shown = ", ".join(missing[:_SHOWN_BLANK]) + ("…" if len(missing) > _SHOWN_BLANK else "")
        lines.append(_("Not scored yet: {codes}").format(codes=shown))
    return lines


def form_read_reply(
    table: ScoringTable,
    entries: SheetEntries,
    problems: Sequence[FormProblem],
    _: Translator,
    language: str,
) -> Reply:
    lines = form_read_lines(table, entries, problems, _, language)
    lines.append(
        _(
            "To change one criterion, write its code and the points, for example “{example} "
            "7,5”; or send the form again."
        ).format(example=table.criterion_codes[0])
    )
    options = [
        _option(_("Send to the chair"), "send"),
        _option(_("Get the form again"), "form"),
        _option(_("Score in chat"), "walk"),
    ]
    return Reply("\n".join(lines), tuple(options))
