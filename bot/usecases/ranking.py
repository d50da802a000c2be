"""The ranking: who may see it and when, publishing it (once the scores are locked) to every
officer and the linked groups, and recording the province's award decision."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.delivery.outbox_keys import ranking_group_key, ranking_published_key
from bot.domain.access import Actor, Role
from bot.domain.messages import Attachment, Reply
from bot.domain.scoring import FLAG, MERIT
from bot.i18n import N_, Translator, translator
from bot.outputs.ranking_text import ranking_text
from bot.services.container import Services
from bot.services.notices import notify_officers
from bot.services.ranking_data import RankingData, load_ranking

__all__ = [
    "RankingData",
    "RankingRefused",
    "Standings",
    "decide",
    "publish",
    "published_at",
    "standings",
    "visible_ranking",
]


class RankingRefused(StrEnum):
    """Why the ranking is not given; the value is the msgid of the answer (``{chair}``: the
    cluster's chair title)."""

    NO_SCORING = N_("There is no scoring for you in this cluster-year.")
    NOT_PUBLISHED = N_("The ranking is shown once the {chair} publishes it.")
    NOT_LOCKED = N_("Lock the scores first (/chotdiem).")


@dataclass(frozen=True, slots=True)
class Standings:
    data: RankingData
    publishable: bool
    """The actor may publish it now: a manager, the scores locked, the year open."""


async def standings(services: Services) -> RankingData | None:
    """The year's ranking as it stands; None without a scoring table."""
    return await load_ranking(services)


async def visible_ranking(services: Services, actor: Actor) -> Standings | RankingRefused:
    """The ranking of the year ``services`` are bound to, as ``actor`` may see it: members and
    the province see it once the chair has published it."""
    actor = actor.in_year(services.cluster_year.cluster.chair)  # the role of that year
    data = await load_ranking(services)
    if data is None:
        return RankingRefused.NO_SCORING
    if actor.role in (Role.MEMBER, Role.PROVINCE) and not await published_at(services):
        return RankingRefused.NOT_PUBLISHED
    publishable = actor.can_manage and data.locked and not services.read_only
    return Standings(data, publishable)


def _published(services: Services) -> str:
    """The meta key that holds when the year's ranking was published."""
    return f"ranking.published:{services.year.id}"


async def published_at(services: Services) -> str | None:
    return await services.meta.get(_published(services))


async def publish(services: Services, actor: Actor) -> int | RankingRefused:
    """Send the locked ranking, with its chart, to every officer and linked group; returns how
    many chats it is on its way to."""
    data = await load_ranking(services)
    if data is None or not data.locked:
        return RankingRefused.NOT_LOCKED
    cluster = services.cluster_year.cluster
    await services.meta.set(_published(services), services.clock.now().isoformat())
    from bot.outputs.ranking_files import ranking_chart  # matplotlib: on use

    def build(_: Translator) -> Reply:
        chart = Attachment("xep-hang.png", ranking_chart(cluster, data, _, "vi"), "image/png")
        return Reply(ranking_text(cluster, data, _, "vi"), attachment=chart)

    officers = await services.officers.active()
    key = services.year_key(ranking_published_key())
    queued = await notify_officers(services, officers, key, build)
    group_reply = build(translator(services.settings.default_language))
    for group in await services.announcements.groups():
        key = services.year_key(ranking_group_key(group.channel, group.chat_id))
        queued += await services.outbox.enqueue(
            key, group.channel, group.chat_id, group_reply, is_group=True
        )
    return queued


async def decide(services: Services, actor: Actor, unit_code: str, award: str) -> bool:
    """Record the province's award to a unit; False for a unit or award that does not exist."""
    if services.cluster_year.cluster.unit(unit_code) is None or award not in (FLAG, MERIT):
        return False
    await services.scores.decide(unit_code, award, actor.officer_id, services.clock.now())
    return True
