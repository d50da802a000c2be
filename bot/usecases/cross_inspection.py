"""The cross-inspection round around its storage: the minutes are a deliverable of the year's
plan (so the report intake, receipts, versions, reminders, ``/tiendo`` and the export apply), and
the inspected unit is told when minutes about it arrive and may answer."""

from __future__ import annotations

from datetime import date

from bot.domain.cluster import Deliverable, Plan
from bot.domain.formatting import short_date
from bot.domain.messages import Option, Reply
from bot.domain.pairing import Pair
from bot.domain.text import fold
from bot.i18n import Translator
from bot.services.container import Services
from bot.services.notices import notify_officers
from bot.texts.roles import unit_label
from storage.submissions import Submission

__all__ = ["MINUTES", "open_round", "tell_inspected"]

MINUTES = "kiem-tra-cheo"
"""The deliverable code of the inspection minutes (biên bản kiểm tra)."""
MINUTES_TITLE = "Biên bản kiểm tra chéo công tác thi đua, khen thưởng"


def _with_minutes(plan: Plan, due: date, inspectors: tuple[str, ...]) -> Plan:
    """The plan with the minutes owed by every inspecting unit, under the plan's inspection
    task (the chair's first task otherwise)."""
    task = next(
        (t.number for t in plan.tasks if "kiem tra cheo" in fold(t.title)), plan.tasks[0].number
    )
    minutes = Deliverable(code=MINUTES, title=MINUTES_TITLE, task=task, due=due, owed_by=inspectors)
    others = tuple(d for d in plan.deliverables if d.code != MINUTES)
    return plan.model_copy(update={"deliverables": (*others, minutes)})


async def open_round(
    services: Services, pairs: tuple[Pair, ...], due: date, officer_id: int
) -> int:
    """Store the round, add the minutes to the year's plan, tell every inspecting unit."""
    now = services.clock.now()
    round_id = await services.inspections.create(pairs, MINUTES, due, officer_id, now)
    plan = _with_minutes(services.cluster_year.plan, due, tuple(p.inspector for p in pairs))
    await services.years.set_plan(services.year.id, plan, services.year.flagged)
    bound = services.scoped(services.year.id)
    cluster = bound.cluster_year.cluster
    officers = await bound.officers.active()
    for pair in pairs:

        def build(_: Translator, pair: Pair = pair) -> Reply:
            return Reply(
                _(
                    "🔎 Cross-inspection {year}: your unit inspects {unit}. Please send the "
                    "minutes (biên bản kiểm tra) by {due} with /nopbaocao."
                ).format(
                    year=bound.year.year,
                    unit=unit_label(cluster, pair.inspected, _),
                    due=short_date(due),
                )
            )

        own = [o for o in officers if o.unit_code == pair.inspector]
        await notify_officers(bound, own, bound.year_key(f"inspection:{round_id}"), build)
    return round_id


async def tell_inspected(services: Services, submission: Submission) -> None:
    """Minutes arrived: the inspected unit's officers are told and may answer."""
    current = await services.inspections.current()
    if current is None or submission.deliverable != current.deliverable:
        return
    inspected = current.inspected_by(submission.unit_code)
    if inspected is None:
        return
    cluster = services.cluster_year.cluster

    def build(_: Translator) -> Reply:
        return Reply(
            _(
                "🔎 {unit} sent the minutes of its inspection of your unit (version {version}: "
                "{files}). You may answer with an explanation."
            ).format(
                unit=unit_label(cluster, submission.unit_code, _),
                version=submission.version,
                files=", ".join(f.name for f in submission.files),
            ),
            (Option(_("Explain"), f"inspectanswer:{current.id}"),),
        )

    own = [o for o in await services.officers.active() if o.unit_code == inspected]
    key = services.year_key(f"inspected:{current.id}:{inspected}:{submission.version}")
    await notify_officers(services, own, key, build)
