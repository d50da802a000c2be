"""The chair's own tasks of the plan: which are still open, and marking one done so its
reminders stop."""

from __future__ import annotations

from bot.domain.access import Actor
from bot.domain.cluster import Task
from bot.services.container import Services
from bot.usecases.report_progress import today

__all__ = ["mark_chair_task_done", "open_chair_tasks"]


async def open_chair_tasks(services: Services) -> tuple[Task, ...]:
    """The chair's one-off tasks not marked done and not past their window."""
    done = await services.reminders.done_tasks()
    as_of = today(services)
    return tuple(
        task
        for task in services.cluster_year.plan.chair_tasks()
        if task.number not in done and not task.window.recurring and task.window.end >= as_of
    )


async def mark_chair_task_done(services: Services, actor: Actor, number: int) -> Task | None:
    """Mark the chair's task ``number`` done (audited); None when the plan has no such task of
    the chair's."""
    plan = services.cluster_year.plan
    task = plan.task(number)
    if task is None or task not in plan.chair_tasks():
        return None
    await services.reminders.mark_task(number, "done", actor.officer_id, services.clock.now())
    return task
