"""An imported scoring table as the chair reviews it (chat and command line): the groups and
criteria with their maximum and kind, the bonus/penalty items, the flagged rows and the sums that
do not add up."""

from __future__ import annotations

from bot.domain.formatting import number
from bot.domain.scoring_import import ImportedCriterion, ImportedTable
from bot.domain.scoring_table import CriterionKind
from bot.i18n import N_, Translator

__all__ = ["preview_text", "problems_text"]

KINDS = {
    CriterionKind.QUANTITATIVE: N_("quantitative"),
    CriterionKind.QUALITATIVE: N_("met/not met"),
    CriterionKind.PER_OCCURRENCE: N_("per occurrence"),
    CriterionKind.BONUS_PENALTY: N_("bonus/penalty"),
}


def _criterion_lines(
    item: ImportedCriterion, depth: int, _: Translator, language: str
) -> list[str]:
    kind = f" · {_(KINDS[item.kind])}" if item.kind is not None else ""
    most = "?" if item.max is None else number(item.max, language)
    lines = [f"{'   ' * depth}{item.code} {item.name} — {most}{kind}"]
    for child in item.children:
        lines += _criterion_lines(child, depth + 1, _, language)
    return lines


def preview_text(imported: ImportedTable, _: Translator, language: str = "vi") -> str:
    """The table as read, then what the chair must look at."""
    leaves = sum(1 for g in imported.groups for c in g.criteria for _leaf in c.leaves())
    lines = [
        imported.title or _("Scoring table"),
        _("{count} criteria, {total} points in all.").format(
            count=leaves, total=number(imported.total, language)
        ),
    ]
    for group in imported.groups:
        most = "?" if group.max is None else number(group.max, language)
        lines.append(f"{group.code}. {group.name} — {most}")
        for criterion in group.criteria:
            lines += _criterion_lines(criterion, 1, _, language)
    if imported.bonus_penalty:
        lines.append(_("Bonus and deduction points (outside the total):"))
        for bonus in imported.bonus_penalty:
            low, high = number(bonus.min, language), number(bonus.max, language)
            lines.append(f"   {bonus.code} {bonus.name}: {low} … {high}")
    problems = problems_text(imported, _, language)
    return "\n".join(lines + ([problems] if problems else []))


def problems_text(imported: ImportedTable, _: Translator, language: str = "vi") -> str:
    """The sums that disagree, then the other flagged rows ('' when there are none)."""
    mismatches = imported.mismatches()
    others = [f for f in imported.flagged if f not in mismatches]
    lines = []
    if mismatches:
        lines.append(_("⚠️ The sums do not add up:"))
        lines += [f"   {f.text(_, language)}" for f in mismatches]
    if others:
        lines.append(_("⚠️ To confirm:"))
        lines += [f"   {f.text(_, language)}" for f in others]
    return "\n".join(lines)
