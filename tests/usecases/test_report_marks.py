"""The chair excuses, reopens or clears a unit's report: recorded with its reason, audited, and
the unit's officers told; a report the unit does not owe changes nothing."""

from __future__ import annotations

from datetime import timedelta

from bot.delivery.outbox import decode_reply
from bot.domain.access import Role
from bot.domain.messages import Option
from bot.domain.report_status import Cell, MarkAction
from bot.services.container import Services
from bot.usecases.report_marks import REASON_CHARS, mark_report
from bot.usecases.report_progress import progress
from tests.usecases.officers import join

SIX = "bc-6-thang"


async def _told(services: Services, chat: str) -> list[tuple[str, tuple[Option, ...]]]:
    rows = await services.db.fetchall(
        "SELECT payload FROM outbox WHERE chat_id = ? AND key LIKE 'mark:%' ORDER BY id", (chat,)
    )
    replies = [decode_reply(r["payload"], services.files) for r in rows]
    return [(r.text, r.options) for r in replies]


async def test_excusing_reopening_and_clearing_are_recorded_and_told(services: Services) -> None:
    chair = await join(services, "c1", "TG", Role.CHAIR)
    await join(services, "m1", "MA", Role.MEMBER)

    excused = await mark_report(services, chair, "MA", SIX, MarkAction.EXCUSE, "Sáp nhập")
    assert excused is not None and excused.code == SIX
    mark = (await services.submissions.marks())[(SIX, "MA")]
    assert (mark.status, mark.reason) == ("excused", "Sáp nhập")
    rows = {row.unit.code: row.cells for row in (await progress(services, chair)).rows}
    assert rows["MA"][0] is Cell.EXCUSED

    services.clock.advance(timedelta(minutes=1))
    await mark_report(services, chair, "MA", SIX, MarkAction.REOPEN, "Thiếu phụ lục " * 60)
    mark = (await services.submissions.marks())[(SIX, "MA")]
    assert mark.status == "reopened" and len(mark.reason) == REASON_CHARS

    services.clock.advance(timedelta(minutes=1))
    await mark_report(services, chair, "MA", SIX, MarkAction.CLEAR, "Nhầm")
    assert (SIX, "MA") not in await services.submissions.marks()
    audit = await services.db.fetchall("SELECT action FROM audit_log ORDER BY id")
    assert [r["action"] for r in audit][-3:] == [
        "deliverable.excused",
        "deliverable.reopened",
        "deliverable.cleared",
    ]
    excuse, reopen, clear = await _told(services, "m1")
    assert excuse == (f"Trưởng Cụm đã miễn cho đơn vị nộp {excused.title}. Lý do: Sáp nhập", ())
    assert [o.value for o in reopen[1]] == [f"report:{SIX}"]  # reopened: send it now
    assert clear[0].endswith("Lý do: Nhầm") and clear[1] == ()


async def test_a_report_the_unit_does_not_owe_is_not_marked(services: Services) -> None:
    chair = await join(services, "c1", "TG", Role.CHAIR)
    assert await mark_report(services, chair, "TG", SIX, MarkAction.EXCUSE, "Lý do") is None
    assert await mark_report(services, chair, "MA", "khong-co", MarkAction.EXCUSE, "x") is None
    assert await services.submissions.marks() == {}
