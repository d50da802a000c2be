"""Importing the year's plan from the chair's own document (chat /nhapkehoach or the command
line): read in the capped worker, reviewed, confirmed as the plan reminders follow."""

from __future__ import annotations

from bot.domain.access import Actor
from bot.domain.plan_import import ImportedPlan, plan_from_import
from bot.services.container import Services
from bot.services.file_checks import read_plan

__all__ = ["confirm", "read"]


async def read(services: Services, data: bytes) -> ImportedPlan:
    """The plan a document holds; raises UnsafeFile or UnreadableDocument."""
    return await read_plan(services.settings, data)


async def confirm(services: Services, imported: ImportedPlan, by: Actor | None, source: str) -> int:
    """Store the plan and make it the one reminders follow from now on (``by`` None: the
    command line); returns its version."""
    plan = plan_from_import(imported, services.cluster_year)
    officer_id, who = (None, "cli") if by is None else (by.officer_id, f"officer:{by.officer_id}")
    version = await services.plans.confirm(
        plan.model_dump_json(), source, officer_id, who, services.clock.now()
    )
    await services.years.set_plan(services.year.id, plan)
    services.cluster_year = services.years.get(services.year.id).data
    return version
