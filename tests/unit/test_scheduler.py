"""The periodic jobs stop cleanly: a run under way is let finish, within a grace time."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from bot.scheduler import PeriodicJobs


async def test_stop_lets_a_run_under_way_finish() -> None:
    jobs, started, release, finished = PeriodicJobs(), asyncio.Event(), asyncio.Event(), []

    async def tick() -> None:
        started.set()
        await release.wait()
        finished.append("tick")

    jobs.every(3600, "tick", tick)
    jobs.start()
    await asyncio.wait_for(started.wait(), 5)
    stopping = asyncio.create_task(jobs.stop(grace=30))
    await asyncio.sleep(0)  # one turn of the loop: stop is now waiting for the run
    assert not stopping.done()
    release.set()
    await asyncio.wait_for(stopping, 5)
    assert finished == ["tick"]


async def test_a_run_that_outlasts_the_grace_is_cancelled() -> None:
    jobs, started, ended = PeriodicJobs(), asyncio.Event(), asyncio.Event()
    outcome: list[str] = []

    async def stuck() -> None:
        started.set()
        try:
            await asyncio.Event().wait()
        except asyncio.CancelledError:
            outcome.append("cancelled")
            raise
        finally:
            ended.set()

    jobs.every(3600, "stuck", stuck)
    jobs.start()
    await asyncio.wait_for(started.wait(), 5)
    await asyncio.wait_for(jobs.stop(grace=0.01), 5)
    await asyncio.wait_for(ended.wait(), 5)
    assert outcome == ["cancelled"]


async def test_a_job_may_first_run_later_than_its_start() -> None:
    jobs, ran = PeriodicJobs(), asyncio.Event()

    async def job() -> None:
        ran.set()

    jobs.every(3600, "later", job, first_after=600)
    jobs.every(3600, "now", job)
    jobs.start()
    try:
        await asyncio.wait_for(ran.wait(), 5)  # the one due now ran
        later, now = jobs.next_run("later"), datetime.now(UTC)
        assert later is not None and timedelta(seconds=590) < later - now <= timedelta(seconds=600)
        assert jobs.next_run("nothing") is None
    finally:
        await jobs.stop(1)
