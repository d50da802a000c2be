"""The nudges as use cases: putting a unit's reminders off (tomorrow up to the deadline only),
a report sent on paper confirmed once (then it counts, marked as paper) or refused, the
chair's reminder of the units that have not sent (once a day), the weekly digest preference,
the cluster-years a person may open on the pages, and a unit's record."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.domain.access import Role
from bot.domain.report_status import Cell
from bot.services.container import Services
from bot.usecases import nudges, page_scope, remind_missing, unit_record
from bot.usecases.nudges import NudgeRefused
from bot.usecases.remind_missing import RemindRefused
from bot.usecases.report_progress import progress
from tests.clusters import add_highland
from tests.usecases.conftest import MakeActor

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


def _on(services: Services, day: date) -> None:
    services.clock.set(datetime(day.year, day.month, day.day, 9, tzinfo=HANOI))  # type: ignore[attr-defined]


async def test_a_reminder_is_put_off_up_to_the_deadline_only(
    services: Services, actor_of: MakeActor
) -> None:
    member = await actor_of("MA", Role.MEMBER)
    _on(services, date(2022, 6, 27))
    offered = await nudges.snooze_days(services, member, "bc-6-thang")
    assert not isinstance(offered, NudgeRefused)
    assert offered[1] == (date(2022, 6, 28), date(2022, 6, 29), date(2022, 6, 30))
    assert await nudges.snooze(services, member, "bc-6-thang", date(2022, 7, 1)) is (
        NudgeRefused.BAD_DAY
    )
    assert await nudges.snooze(services, member, "khong-co", date(2022, 6, 28)) is (
        NudgeRefused.NOT_OWED
    )
    done = await nudges.snooze(services, member, "bc-6-thang", date(2022, 6, 29))
    assert isinstance(done, nudges.Snoozed) and done.until == date(2022, 6, 29)
    snoozes = await nudges.nudges(services).snoozes()
    assert snoozes[("bc-6-thang", "MA")].until == date(2022, 6, 29)
    _on(services, date(2022, 6, 30))
    assert await nudges.snooze_days(services, member, "bc-6-thang") is NudgeRefused.NO_LATER


async def test_paper_is_confirmed_once_and_then_counts(
    services: Services, actor_of: MakeActor
) -> None:
    chair = await actor_of("TG", Role.CHAIR)
    member = await actor_of("MA", Role.MEMBER)
    claimed = await nudges.claim_paper(services, member, "bc-6-thang")
    assert not isinstance(claimed, NudgeRefused)
    again = await nudges.claim_paper(services, member, "bc-6-thang")  # still the one claim
    assert not isinstance(again, NudgeRefused)
    [row] = await services.db.fetchall("SELECT id FROM paper_submissions")
    decided = await nudges.decide_paper(services, chair, row["id"], True)
    assert isinstance(decided, nudges.PaperDecided) and decided.confirmed
    assert await nudges.decide_paper(services, chair, row["id"], False) is NudgeRefused.GONE
    status = await progress(services, chair)
    ma = next(r for r in status.rows if r.unit.code == "MA")
    assert ma.cells[0] is Cell.PAPER and Cell.PAPER.done
    assert await nudges.claim_paper(services, member, "bc-6-thang") is NudgeRefused.DONE


async def test_the_chair_reminds_the_units_once_a_day(
    services: Services, actor_of: MakeActor
) -> None:
    chair = await actor_of("TG", Role.CHAIR)
    member = await actor_of("MA", Role.MEMBER)
    assert await remind_missing.missing_reports(services, member) is RemindRefused.NOT_CHAIR
    assert await remind_missing.missing_reports(services, chair, "x") is RemindRefused.UNKNOWN
    _on(services, date(2022, 3, 15))
    assert await remind_missing.missing_reports(services, chair) == ()  # nothing due for weeks
    _on(services, date(2022, 6, 20))
    found = await remind_missing.missing_reports(services, chair)
    assert not isinstance(found, RemindRefused)
    assert [m.unit.code for m in found] == ["DB", "DBP", "MA", "ML"]
    first = await remind_missing.remind_missing(services, chair)
    assert first == remind_missing.Reminded(4, 1)  # MA's officer is the only one to reach
    assert await remind_missing.remind_missing(services, chair) == remind_missing.Reminded(4, 0)
    services.clock.advance(timedelta(days=1))  # type: ignore[attr-defined]
    assert await remind_missing.remind_missing(services, chair) == remind_missing.Reminded(4, 1)


async def test_the_weekly_digest_is_turned_off_and_on(
    services: Services, actor_of: MakeActor
) -> None:
    member = await actor_of("MA", Role.MEMBER)
    assert await nudges.digest_wanted(services, member)
    await nudges.set_digest(services, member, False)
    assert not await nudges.digest_wanted(services, member)
    await nudges.set_digest(services, member, True)
    assert await nudges.digest_wanted(services, member)
    actions = [e.action for e in await services.audit.entries("digest.")]
    assert actions == ["digest.off", "digest.on"]


async def test_the_cluster_years_a_person_may_open(services: Services, actor_of: MakeActor) -> None:
    highland = await add_highland(services)
    member = await actor_of("MA", Role.MEMBER)
    own, other = services.year.cluster_id, highland.year.cluster_id
    view = page_scope.open_cluster_year(services, member, services.year.id, own, None)
    assert view is not None and view.services.year.id == services.year.id
    assert view.years == (2022,)
    assert page_scope.open_cluster_year(services, member, services.year.id, other, None) is None
    assert page_scope.open_cluster_year(services, member, services.year.id, own, 2021) is None
    record = await unit_record.unit_record(services, member, "MA")
    assert record is not None and [r.deliverable.code for r in record.reports] == [
        "bc-6-thang",
        "bc-nam",
    ]
    assert await unit_record.unit_record(services, member, "DB") is None
    link = await unit_record.unit_file_link(
        services, member, ("memory", "ma"), "DB", "bc-6-thang", 1, 0
    )
    assert link is None
