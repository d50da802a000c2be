"""The installation's state for an operator: the health verdict (``/healthz``), the figures
behind ``/metrics`` and the operator's page in chat."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from importlib import metadata
from typing import Any, Protocol

from bot.clock import Clock
from bot.config import Settings
from bot.delivery.sender import Sender, SenderState
from storage.backup import META_KEY, last_backup
from storage.database import Database
from storage.operator_figures import OperationsRepository, OutboxState, Totals
from storage.preferences import MetaRepository

__all__ = ["Health", "OperationsProbe", "Snapshot", "version"]


class Installation(Protocol):
    """What the probe reads of the installation (the services container gives it)."""

    @property
    def db(self) -> Database: ...
    @property
    def clock(self) -> Clock: ...
    @property
    def settings(self) -> Settings: ...
    @property
    def meta(self) -> MetaRepository: ...


class MonthlyCount(Protocol):
    """What the probe reads of a Zalo bot's monthly quota (``bot.delivery.zalo_quota``)."""

    bot_id: str

    async def sent_this_month(self) -> int: ...


def version() -> str:
    try:
        return metadata.version("cumthidua")
    except metadata.PackageNotFoundError:
        return "unknown"


@dataclass(frozen=True, slots=True)
class Health:
    healthy: bool
    body: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Snapshot:
    now: datetime
    outbox: OutboxState
    totals: Totals
    database_bytes: int
    last_backup: dict[str, object] | None
    zalo_sent: dict[str, int] = field(default_factory=dict)

    @property
    def oldest_pending_seconds(self) -> float:
        oldest = self.outbox.oldest_due
        return max(0.0, (self.now - oldest).total_seconds()) if oldest else 0.0


class OperationsProbe:
    """Reads the state of the running bot: its senders, its outbox, its totals."""

    def __init__(
        self,
        installation: Installation,
        senders: Mapping[str, Sender],
        started_at: datetime,
        zalo_quota: MonthlyCount | None = None,
    ) -> None:
        self.installation = installation
        self.senders = senders
        self.started_at = started_at
        self.zalo_quota = zalo_quota
        self._repo = OperationsRepository(installation.db)

    async def snapshot(self) -> Snapshot:
        now = self.installation.clock.now()
        zalo = {}
        if self.zalo_quota is not None:
            zalo = {self.zalo_quota.bot_id: await self.zalo_quota.sent_this_month()}
        return Snapshot(
            now=now,
            outbox=await self._repo.outbox(now),
            totals=await self._repo.totals(),
            database_bytes=await self._repo.database_bytes(),
            last_backup=last_backup(await self.installation.meta.get(META_KEY)),
            zalo_sent=zalo,
        )

    async def health(self) -> Health:
        """Unhealthy when a sender is not running, a due row waited too long, or the database
        does not answer."""
        senders = {
            name: {"state": s.state.value, "restarts": s.restarts, "last_error": s.last_error}
            for name, s in self.senders.items()
        }
        problems = [
            f"sender {name} is {s.state.value}"
            for name, s in self.senders.items()
            if s.state is not SenderState.RUNNING
        ]
        now = self.installation.clock.now()
        try:
            outbox = await self._repo.outbox(now)
        except Exception as exc:
            problems.append(f"database: {type(exc).__name__}")
            outbox = None
        body: dict[str, Any] = {"senders": senders}
        if outbox is not None:
            oldest = (now - outbox.oldest_due).total_seconds() if outbox.oldest_due else 0.0
            limit = self.installation.settings.health_max_pending_minutes * 60
            body["outbox"] = {"pending": outbox.pending, "oldest_pending_seconds": round(oldest)}
            if oldest > limit:
                problems.append(f"a due message has waited {round(oldest)} s (limit {limit:g} s)")
        body = {"status": "unhealthy" if problems else "ok", "problems": problems, **body}
        return Health(not problems, body)
