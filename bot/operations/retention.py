"""The retention job: every hour, what grows without end is forgotten after the time the
operator sets (``CUMTHIDUA_RETENTION_*``), within what the audit, the receipts and the vote
need — those are never pruned (see ``storage.retention``)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from bot.clock import Clock
from bot.config import Settings
from storage.database import Database
from storage.retention import Prunable, prune
from storage.seen_updates import SEEN_WINDOW

__all__ = ["Retention", "retention_periods"]

log = logging.getLogger(__name__)


def retention_periods(settings: Settings) -> dict[Prunable, timedelta]:
    """How long past its end each kind of row is kept."""
    days = timedelta(days=1)
    return {
        Prunable.OUTBOX: settings.retention_outbox_days * days,
        Prunable.SEEN_UPDATES: SEEN_WINDOW,
        Prunable.CONVERSATIONS: settings.retention_draft_days * days,
        Prunable.OPTION_TOKENS: timedelta(0),
        Prunable.LINKS: settings.retention_link_days * days,
        Prunable.WEB_SIGNIN_LINKS: settings.retention_link_days * days,
        Prunable.WEB_SESSIONS: settings.retention_link_days * days,
        Prunable.CALENDAR_TOKENS: settings.retention_link_days * days,
    }


@dataclass
class Retention:
    db: Database
    clock: Clock
    periods: dict[Prunable, timedelta]

    async def prune(self) -> dict[Prunable, int]:
        """One pass over every table; a table that fails is logged and the others go on."""
        now, pruned = self.clock.now(), {}
        for table, kept in self.periods.items():
            try:
                pruned[table] = await prune(self.db, table, now - kept)
            except Exception:
                log.exception("pruning %s failed; it is tried again at the next pass", table)
        if any(pruned.values()):
            log.info("pruned %s", ", ".join(f"{t}: {n}" for t, n in pruned.items() if n))
        return pruned
