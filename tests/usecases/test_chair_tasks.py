"""The chair's own tasks: the open ones listed, one marked done (audited) leaves the list; a
number that is not a chair's task changes nothing."""

from __future__ import annotations

from datetime import timedelta

from bot.domain.access import Role
from bot.services.container import Services
from bot.usecases.chair_tasks import mark_chair_task_done, open_chair_tasks
from tests.usecases.officers import join


async def test_open_tasks_leave_the_list_when_done_or_past(services: Services) -> None:
    chair = await join(services, "c1", "TG", Role.CHAIR)
    # 15/3/2022: every one-off chair task is still ahead (task 2 runs all year: never listed)
    assert [t.number for t in await open_chair_tasks(services)] == [1, 3, 4, 5, 6, 7, 8, 9]

    done = await mark_chair_task_done(services, chair, 3)
    assert done is not None and done.number == 3
    assert 3 in await services.reminders.done_tasks()
    assert [t.number for t in await open_chair_tasks(services)] == [1, 4, 5, 6, 7, 8, 9]
    row = await services.db.fetchone("SELECT action, subject FROM audit_log ORDER BY id DESC")
    assert (row["action"], row["subject"]) == ("task.done", "task:3")

    services.clock.advance(timedelta(days=17))  # 1/4/2022: task 1 (by 31/3) is past
    assert [t.number for t in await open_chair_tasks(services)] == [4, 5, 6, 7, 8, 9]


async def test_a_number_that_is_no_chair_task_is_refused(services: Services) -> None:
    chair = await join(services, "c1", "TG", Role.CHAIR)
    assert await mark_chair_task_done(services, chair, 99) is None
    assert await services.reminders.done_tasks() == set()
