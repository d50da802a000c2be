"""APScheduler drives the periodic work: the reminder tick (and, later, scheduled posts)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger

__all__ = ["PeriodicJobs"]

log = logging.getLogger(__name__)


class PeriodicJobs:
    def __init__(self) -> None:
        self._scheduler = AsyncIOScheduler(timezone=UTC)
        self._running: set[asyncio.Task[object]] = set()

    def every(
        self,
        seconds: float,
        name: str,
        job: Callable[[], Awaitable[object]],
        first_after: float = 0.0,
    ) -> None:
        """Run ``job`` after ``first_after`` seconds (now by default) and then every
        ``seconds``; a run never overlaps the previous one."""

        async def guarded() -> None:
            task = asyncio.current_task()
            assert task is not None
            self._running.add(task)
            try:
                await job()
            except Exception:
                log.exception("periodic job %s failed; it runs again at its next time", name)
            finally:
                self._running.discard(task)

        self._scheduler.add_job(
            guarded,
            IntervalTrigger(seconds=seconds),
            id=name,
            next_run_time=datetime.now(UTC) + timedelta(seconds=first_after),
            max_instances=1,
            coalesce=True,
        )

    def next_run(self, name: str) -> datetime | None:
        """When the job ``name`` runs next (None: no such job)."""
        job = self._scheduler.get_job(name)
        return None if job is None else job.next_run_time

    def start(self) -> None:
        self._scheduler.start()

    async def stop(self, grace: float) -> None:
        """Start no more runs, and let a run under way finish for up to ``grace`` seconds
        before it is cancelled (APScheduler's own shutdown cancels it at once, mid-write)."""
        if not self._scheduler.running:
            return
        self._scheduler.pause()
        if self._running:
            await asyncio.wait(self._running, timeout=grace)
        self._scheduler.shutdown(wait=False)
