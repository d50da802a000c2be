"""The chair locks the cluster-year's scores: after this no sheet and no review changes, and the
ranking is final. Before the last deliverable that carries the self-score is due, the lock is
refused unless the chair gives a reason, which the audit log keeps."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from bot.domain.access import Actor
from bot.domain.fair_rule_checks import lock_opens
from bot.domain.report_status import local_day
from bot.i18n import N_
from bot.services.container import Services

__all__ = ["LockRefused", "TooEarly", "early_lock", "is_locked", "lock"]

REASON_CHARS = 500


class LockRefused(StrEnum):
    """Why the scores were not locked; the value is the msgid of the answer."""

    ALREADY = N_("The scores are already locked.")


@dataclass(frozen=True, slots=True)
class TooEarly:
    """The self-score is still due: the lock waits for ``opens`` or a reason."""

    opens: date

    @property
    def due(self) -> date:
        """The last self-score deliverable's due day."""
        return self.opens - timedelta(days=1)


async def is_locked(services: Services) -> bool:
    return await services.scores.locked()


def early_lock(services: Services) -> TooEarly | None:
    """Whether locking today comes before the self-score's due date has passed."""
    opens = lock_opens(services.cluster_year)
    today = local_day(services.clock.now(), services.cluster_year.cluster.timezone)
    return TooEarly(opens) if opens is not None and today < opens else None


async def lock(services: Services, actor: Actor, reason: str = "") -> bool | LockRefused | TooEarly:
    """Lock the scores; refused when they already were, or too early without a reason."""
    reason = reason.strip()[:REASON_CHARS]
    too_early = early_lock(services)
    if too_early is not None and not reason:
        return too_early
    if not await services.scores.lock(
        actor.officer_id, services.clock.now(), reason if too_early else ""
    ):
        return LockRefused.ALREADY
    return True
