"""The reminder tick: which rungs are due and not yet handled, enqueued through the outbox.

Every rung of the year is computed once from the plan; each tick walks those whose time has
come, skips what was handled (``reminder_log``), what no longer applies (the report arrived, the
chair excused it, the task is done) and what is stale (older than the staleness limit: logged,
never fired late in a burst). Restarts and clock jumps are therefore safe.

Each open cluster-year is ticked with the services bound to it; a closed year's reminders stop.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.delivery.outbox_keys import reminder_key
from bot.domain.cluster import ClusterYear, Deliverable, Task
from bot.domain.messages import Reply
from bot.domain.officer_records import OfficerRecord
from bot.domain.reminder_policy import (
    Rung,
    WorkCalendar,
    deadline_rungs,
    monthly_rungs,
    weekly_digests,
)
from bot.domain.report_status import cell, owed_report
from bot.i18n import Translator
from bot.services.container import Services
from bot.services.digest import digest_reply, unit_digests
from bot.services.notices import notify_managers, notify_officers
from bot.texts.reminders import (
    chair_task_reply,
    escalation_reply,
    monthly_reply,
    unit_reminder_reply,
)
from bot.usecases.pact import remind_unsigned
from bot.usecases.voting import close_due, remind_unvoted
from storage.nudges import NudgeRepository, Snooze

__all__ = ["PlannedReminder", "ReminderTicker", "plan_reminders"]

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class PlannedReminder:
    key: str
    rung: Rung
    deliverable: Deliverable | None = None
    unit_code: str | None = None
    task: Task | None = None

    @property
    def kind(self) -> str:
        if self.rung.name.startswith("digest"):
            return "digest"
        if self.task is not None:
            return "monthly" if self.rung.name.startswith("month") else "task"
        return "escalate" if self.rung.name == "escalate" else "unit"


def plan_reminders(year: ClusterYear) -> list[PlannedReminder]:
    cluster, plan = year.cluster, year.plan
    policy, tz = cluster.reminders, cluster.timezone
    days = [d.due for d in plan.deliverables] + [t.window.end for t in plan.tasks]
    if not days:  # a cluster-year set up from the province's decision, its plan not imported yet
        return []
    starts = [t.window.start for t in plan.tasks if t.window.start] + days
    calendar = WorkCalendar(range(min(starts).year - 1, max(days).year + 2))
    planned: list[PlannedReminder] = []
    for deliverable in plan.deliverables:
        for unit in year.owers(deliverable):
            for rung in deadline_rungs(deliverable.due, policy, calendar, tz):
                key = f"{deliverable.code}:{unit.code}:{rung.name}"
                planned.append(PlannedReminder(key, rung, deliverable, unit.code))
    for task in plan.chair_tasks():
        window = task.window
        if window.recurring and window.start is not None:
            rungs = monthly_rungs(window.start, window.end, policy, calendar, tz)
        else:
            rungs = deadline_rungs(window.end, policy, calendar, tz, escalate=False)
        planned += [PlannedReminder(f"task-{task.number}:{r.name}", r, task=task) for r in rungs]
    first = min(starts) - timedelta(days=7)
    for rung in weekly_digests(first, max(days) + timedelta(days=14), policy, tz):
        planned.append(PlannedReminder(rung.name, rung))
    return sorted(planned, key=lambda p: (p.rung.at, p.key))


class ReminderTicker:
    def __init__(self, services: Services, staleness: timedelta) -> None:
        self._services = services
        self._staleness = staleness
        self._plans: dict[int, tuple[ClusterYear, list[PlannedReminder]]] = {}

    def planned_for(self, services: Services) -> list[PlannedReminder]:
        """Every rung of a cluster-year; computed again when a confirmed plan replaces it."""
        cached = self._plans.get(services.year.id)
        if cached is None or cached[0] is not services.cluster_year:
            cached = (services.cluster_year, plan_reminders(services.cluster_year))
            self._plans[services.year.id] = cached
        return cached[1]

    @property
    def planned(self) -> list[PlannedReminder]:
        """Every rung of the first cluster's current year."""
        services = self._services
        return self.planned_for(services.scoped(services.years.default().id))

    async def tick(self) -> tuple[int, int]:
        """Enqueue what is due now in every open cluster-year; returns (enqueued, skipped as
        stale)."""
        enqueued = skipped = 0
        for year in self._services.years.open_years():
            done = await self._tick(self._services.scoped(year.id))
            enqueued, skipped = enqueued + done[0], skipped + done[1]
        return enqueued, skipped

    async def _tick(self, services: Services) -> tuple[int, int]:
        now = services.clock.now()
        cluster = services.cluster_year.cluster
        await close_due(services, now)  # a vote closes at its time, quiet hours or not
        if _quiet(
            now, cluster.reminders.quiet_start, cluster.reminders.quiet_end, cluster.timezone
        ):
            return 0, 0
        pact_reminders = await self._tick_pact(services, now)
        handled = await services.reminders.handled()
        due = [p for p in self.planned_for(services) if p.rung.at <= now and p.key not in handled]
        snoozes = await NudgeRepository(services.db, services.year.id).snoozes()
        if not due and all(s.woken for s in snoozes.values()):
            return pact_reminders, 0
        latest = await services.submissions.latest()
        marks = await services.submissions.marks()
        done_tasks = await services.reminders.done_tasks()
        today = now.astimezone(ZoneInfo(cluster.timezone)).date()
        officers = _Officers(services)  # read once per tick, and only if someone is reminded
        enqueued = pact_reminders + await self._wake(services, snoozes, today, officers)
        skipped = 0
        for planned in due:
            if now - planned.rung.at > self._staleness:
                log.info("reminder %s is stale (due %s): skipped", planned.key, planned.rung.at)
                await services.reminders.record(planned.key, "skipped", now)
                skipped += 1
                continue
            if planned.deliverable is not None and planned.unit_code is not None:
                pair = (planned.deliverable.code, planned.unit_code)
                state = cell(planned.deliverable.due, today, latest.get(pair), marks.get(pair))
                if state.done:
                    continue
                snoozed = snoozes.get(pair)
                if planned.kind == "unit" and snoozed and planned.rung.day <= snoozed.until:
                    await services.reminders.record(planned.key, "skipped", now)  # put off
                    continue
            if planned.task is not None and planned.task.number in done_tasks:
                continue
            if await self._send(services, planned, officers):
                await services.reminders.record(planned.key, "enqueued", now)
                enqueued += 1
        return enqueued, skipped

    async def _wake(
        self,
        services: Services,
        snoozes: dict[tuple[str, str], Snooze],
        today: date,
        everyone: _Officers,
    ) -> int:
        """The reminders put off until today (or a day missed) come now, once; a report in by
        then is not reminded."""
        year, now, queued = services.cluster_year, services.clock.now(), 0
        latest = await services.submissions.latest()
        marks = await services.submissions.marks()
        repository = NudgeRepository(services.db, services.year.id)
        for (code, unit_code), snoozed in snoozes.items():
            deliverable = owed_report(year, unit_code, code)
            if snoozed.woken or snoozed.until > today:
                continue
            if deliverable is not None:
                pair = (code, unit_code)
                if not cell(deliverable.due, today, latest.get(pair), marks.get(pair)).done:
                    queued += await self._remind_unit(
                        services,
                        deliverable,
                        unit_code,
                        today,
                        f"{code}:{unit_code}:snooze:{snoozed.until.isoformat()}",
                        everyone,
                    )
            await repository.woken(code, unit_code, now)
        return queued

    async def _remind_unit(
        self,
        services: Services,
        deliverable: Deliverable,
        unit_code: str,
        day: date,
        rung_key: str,
        everyone: _Officers,
    ) -> int:
        cluster = services.cluster_year.cluster
        officers = [o for o in await everyone.all() if o.unit_code == unit_code]
        officers.sort(key=lambda o: not o.is_primary)  # the primary contact first

        def build(_: Translator) -> Reply:
            return unit_reminder_reply(cluster, deliverable, unit_code, day, _)

        key = services.year_key(reminder_key(rung_key))
        return await notify_officers(services, officers, key, build)

    async def _tick_pact(self, services: Services, now: datetime) -> int:
        return await remind_unsigned(services, now, self._staleness) + await remind_unvoted(
            services, now
        )

    async def _send(self, services: Services, planned: PlannedReminder, everyone: _Officers) -> int:
        """Queue the messages of one rung; 0 when nobody can be reached yet (it is tried again
        at the next tick, until it goes stale, so an officer who joins that day still gets it)."""
        cluster = services.cluster_year.cluster
        day, key = planned.rung.day, services.year_key(reminder_key(planned.key))
        build: Callable[[Translator], Reply]
        kind = planned.kind
        if kind == "unit":
            deliverable, unit_code = planned.deliverable, planned.unit_code
            assert deliverable is not None and unit_code is not None
            return await self._remind_unit(
                services, deliverable, unit_code, day, planned.key, everyone
            )
        if kind == "escalate":
            deliverable, unit_code = planned.deliverable, planned.unit_code
            assert deliverable is not None and unit_code is not None

            def build(_: Translator) -> Reply:
                return escalation_reply(cluster, deliverable, unit_code, day, _)

        elif kind in ("task", "monthly"):
            task = planned.task
            assert task is not None

            def build(_: Translator) -> Reply:
                if kind == "task":
                    return chair_task_reply(cluster, task, day, _)
                return monthly_reply(task, day, _)

        else:
            digest = await digest_reply(services, day)

            def build(_: Translator) -> Reply:
                return digest(_)

            sent = await notify_managers(services, key, build)
            return sent + await self._unit_digests(services, planned, everyone)

        return await notify_managers(services, key, build)

    async def _unit_digests(
        self, services: Services, planned: PlannedReminder, everyone: _Officers
    ) -> int:
        """Each unit's officers get their unit's digest, unless they turned it off."""
        off = await NudgeRepository(services.db, services.year.id).digest_off()
        queued = 0
        for unit_code, build in (await unit_digests(services, planned.rung.day)).items():
            officers = [
                o for o in await everyone.all() if o.unit_code == unit_code and o.id not in off
            ]
            key = services.year_key(reminder_key(f"{planned.key}:{unit_code}"))
            queued += await notify_officers(services, officers, key, build)
        return queued


class _Officers:
    """The scope's officers for one tick: read from the database on first use, then kept (a
    tick with nothing to send, the usual one, holds none of them in memory)."""

    def __init__(self, services: Services) -> None:
        self._services = services
        self._records: list[OfficerRecord] | None = None

    async def all(self) -> list[OfficerRecord]:
        if self._records is None:
            self._records = await self._services.officers.active()
        return self._records


def _quiet(now: datetime, start: time, end: time, timezone: str) -> bool:
    local = now.astimezone(ZoneInfo(timezone)).time()
    return local >= start or local < end
