"""APScheduler drives the periodic work: the reminder tick (and, later, scheduled posts)."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger

__all__ = ["PeriodicJobs"]

log = logging.getLogger(__name__)


class PeriodicJobs:
    def __init__(self) -> None:
        self._scheduler = AsyncIOScheduler(timezone=UTC)

    def every(self, seconds: float, name: str, job: Callable[[], Awaitable[object]]) -> None:
        """Run ``job`` now and then every ``seconds``; a run never overlaps the previous one."""

        async def guarded() -> None:
            try:
                await job()
            except Exception:
                log.exception("periodic job %s failed; it runs again at its next time", name)

        self._scheduler.add_job(
            guarded,
            IntervalTrigger(seconds=seconds),
            id=name,
            next_run_time=datetime.now(UTC),
            max_instances=1,
            coalesce=True,
        )

    def start(self) -> None:
        self._scheduler.start()

    def stop(self) -> None:
        if self._scheduler.running:
            self._scheduler.shutdown(wait=False)
