"""The ranking in words: the award names and the text table."""

from __future__ import annotations

from bot.domain.cluster import Cluster
from bot.domain.formatting import number
from bot.domain.scoring import FLAG, MERIT, Ranked
from bot.i18n import Translator
from bot.services.ranking_data import RankingData
from bot.texts.roles import Leader, title_of

__all__ = ["proposal_label", "proposal_name", "ranking_text", "unit_name"]


def proposal_name(proposal: str | None, _: Translator) -> str:
    if proposal == FLAG:
        return _("Emulation Flag")
    if proposal == MERIT:
        return _("Certificate of Merit")
    return ""


def proposal_label(item: Ranked, _: Translator) -> str:
    """The named rank and the award proposed ("hạng Nhất — Cờ thi đua"), either may be absent."""
    parts = [_("rank {name}").format(name=item.named_rank)] if item.named_rank else []
    if item.proposal:
        parts.append(proposal_name(item.proposal, _))
    return " — ".join(parts)


def unit_name(cluster: Cluster, code: str) -> str:
    unit = cluster.unit(code)
    return unit.full_name if unit else code


def ranking_text(cluster: Cluster, data: RankingData, _: Translator, language: str) -> str:
    lines = [_("RANKING — {cluster} {year}").format(cluster=cluster.name, year=cluster.year)]
    if not data.locked:
        lines.append(
            _("(self-scores and reviews so far: the {title} has not locked the scores)").format(
                title=title_of(cluster, Leader.CHAIR, _)
            )
        )
    for item in data.ranked:
        parts = [
            f"{item.rank}. {unit_name(cluster, item.score.unit_code)}",
            _("{total} points").format(total=number(item.total, language)),
            item.classification.name,
        ]
        if item.named_rank:
            parts.append(_("rank {name}").format(name=item.named_rank))
        if item.proposal:
            parts.append(_("proposed: {award}").format(award=proposal_name(item.proposal, _)))
        lines.append(" — ".join(parts))
        if item.tie_broken_by:
            how = (
                _("by unit code")
                if item.tie_broken_by == "code"
                else _("by group {group}").format(group=item.tie_broken_by)
            )
            lines.append("   " + _("(tie broken {how})").format(how=how))
    if not data.ranked:
        lines.append(_("No unit has sent its self-score yet."))
    return "\n".join(lines)
