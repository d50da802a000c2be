"""Where the reports stand, read through the use case: the matrix as each role may see it and
one unit's versions of one report with the newest version's files."""

from __future__ import annotations

from datetime import date, timedelta

from bot.domain.access import Role
from bot.domain.report_status import Cell, MarkAction
from bot.services.container import Services
from bot.usecases.report_marks import mark_report
from bot.usecases.report_progress import progress, report_history, today
from bot.usecases.submit_report import FileTaken, Submitted, new_draft, submit, take_file
from tests.documents import pdf_bytes
from tests.usecases.officers import join

SIX = "bc-6-thang"


async def _send(services: Services, chat: str, unit: str, name: str, data: bytes) -> None:
    officer = await join(services, chat, unit, Role.MEMBER)
    taken = await take_file(services, new_draft(SIX), name, data)
    assert isinstance(taken, FileTaken)
    assert isinstance(await submit(services, officer, "memory", chat, taken.draft), Submitted)


async def test_the_chair_sees_every_unit_and_a_member_its_own_row(services: Services) -> None:
    chair = await join(services, "c1", "TG", Role.CHAIR)
    await _send(services, "m1", "MA", "bc.pdf", pdf_bytes(1))
    db = await join(services, "d1", "DB", Role.MEMBER)

    status = await progress(services, chair)
    assert status.as_of == today(services) == date(2022, 3, 15)
    assert [d.code for d in status.deliverables] == [SIX, "bc-nam"]
    cells = {row.unit.code: row.cells for row in status.rows}
    assert cells == {
        "MA": (Cell.ON_TIME, Cell.OPEN),
        "DB": (Cell.OPEN, Cell.OPEN),
        "ML": (Cell.OPEN, Cell.OPEN),
        "DBP": (Cell.OPEN, Cell.OPEN),
    }
    mine = await progress(services, db)
    assert [(row.unit.code, row.cells) for row in mine.rows] == [("DB", (Cell.OPEN, Cell.OPEN))]

    services.clock.advance(timedelta(days=120))  # past 30/6: the unsent are overdue
    assert (await progress(services, db)).rows[0].cells == (Cell.OVERDUE, Cell.OPEN)


async def test_a_units_history_has_every_version_the_mark_and_the_newest_files(
    services: Services,
) -> None:
    chair = await join(services, "c1", "TG", Role.CHAIR)
    first, second = pdf_bytes(1, "Ban 1"), pdf_bytes(2, "Ban 2")
    await _send(services, "m1", "MA", "bc.pdf", first)
    await _send(services, "m2", "MA", "bc-sua.pdf", second)
    await mark_report(services, chair, "MA", SIX, MarkAction.REOPEN, "Thiếu phụ lục")

    history = await report_history(services, "MA", SIX)
    assert history is not None and history.deliverable.code == SIX
    assert [(s.version, s.officer_name) for s in history.versions] == [
        (1, "Cán bộ m1"),
        (2, "Cán bộ m2"),
    ]
    assert history.mark is not None and history.mark.reason == "Thiếu phụ lục"
    [attachment] = history.latest_files
    assert (attachment.name, attachment.data, attachment.mime) == (
        "bc-sua.pdf",
        second,
        "application/pdf",
    )
    empty = await report_history(services, "DB", SIX)
    assert empty is not None and empty.versions == () and empty.latest_files == ()
    assert await report_history(services, "TG", SIX) is None  # the chair unit owes none
    assert await report_history(services, "MA", "khong-co") is None
