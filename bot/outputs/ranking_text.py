"""The ranking in words: the award names and the text table."""

from __future__ import annotations

from bot.domain.cluster import Cluster
from bot.domain.formatting import number
from bot.domain.scoring import FLAG, MERIT, Ranked
from bot.i18n import Translator
from bot.services.ranking_data import RankingData
from bot.texts.roles import Leader, title_of

__all__ = [
    "award_note",
    "barred_note",
    "proposal_label",
    "proposal_name",
    "ranking_text",
    "ranking_title",
    "unit_name",
]


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


def barred_note(data: RankingData, code: str, _: Translator) -> str:
    """Why a unit is proposed for nothing ("not eligible for an award: … not sent"), or ""."""
    missing = data.barred.get(code)
    if not missing:
        return ""
    titles = "; ".join(d.title for d in missing)
    return _("not eligible for an award: {titles} not sent").format(titles=titles)


def award_note(item: Ranked, data: RankingData, _: Translator) -> str:
    """The proposal column of a ranking: the named rank and award, or why there is none."""
    return proposal_label(item, _) or barred_note(data, item.score.unit_code, _)


def ranking_title(cluster: Cluster, data: RankingData, _: Translator) -> str:
    """The ranking's title, marked provisional ("tạm tính") until the scores are locked."""
    if data.locked:
        return _("RANKING — {cluster} {year}").format(cluster=cluster.name, year=cluster.year)
    return _("RANKING (PROVISIONAL) — {cluster} {year}").format(
        cluster=cluster.name, year=cluster.year
    )


def unit_name(cluster: Cluster, code: str) -> str:
    unit = cluster.unit(code)
    return unit.full_name if unit else code


def ranking_text(cluster: Cluster, data: RankingData, _: Translator, language: str) -> str:
    lines = [ranking_title(cluster, data, _)]
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
        if barred := barred_note(data, item.score.unit_code, _):
            lines.append(f"   ({barred})")
    if not data.ranked:
        lines.append(_("No unit has sent its self-score yet."))
    return "\n".join(lines)
