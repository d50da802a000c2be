"""/nhapkehoach in chat: the chair sends the plan, fixes a row the bot could not read, confirms;
the reminders follow the new plan."""

from __future__ import annotations

from bot.domain.access import Role
from bot.fakes.telegram_server import FakeTelegram
from tests.documents import plan_docx, seed_rows
from tests.harness import Harness
from tests.people import register


async def test_import_fix_and_confirm(bot: Harness, telegram: FakeTelegram) -> None:
    chair = telegram.user(9001, "Vũ Văn Đức")
    await register(bot.app, chair, "TG", Role.CHAIR)
    rows = seed_rows()
    rows[4][4] = "Cuối năm, sớm nhất có thể"  # row 5: a time frame nobody can date
    rows[8][4] = "Tháng 02/2023"  # task 8 moves a month (rows[7] continues task 7)
    ask = await chair.ask("/nhapkehoach")
    assert ask.text.startswith("Anh/chị gửi tệp kế hoạch")
    chair.send_document("ke-hoach-2022.docx", plan_docx(rows))
    preview = await chair.next_message()
    assert "5. “Cuối năm, sớm nhất có thể” ⚠️ chưa hiểu được" in preview.text
    assert "Các dòng cần sửa: 5" in preview.text
    assert "~ nhiệm vụ 8: thay đổi thời gian" in preview.text
    assert not any("Xác nhận" in label for label, _ in preview.buttons)

    chair.press(preview, "Sửa thời gian một dòng")
    assert (await chair.next_message()).text.startswith("Nhập số dòng và thời gian")
    assert (await chair.ask("5: sau Tết")).text.startswith("Tôi chưa hiểu “sau Tết”.")
    fixed = await chair.ask("5: Tháng 11 – 12/2022")
    assert "5. từ 1/11 đến 31/12/2022" in fixed.text and "Các dòng cần sửa" not in fixed.text
    chair.press(fixed, "Xác nhận kế hoạch này")
    done = await chair.next_message()
    assert done.text == "Đã xác nhận kế hoạch (phiên bản 1): từ nay lời nhắc theo kế hoạch này."

    services = bot.app.services
    assert services.cluster_year.plan.task(8).window.end.isoformat() == "2023-02-28"
    planned = {p.key for p in bot.app.reminders.planned}
    assert "task-8:due" in planned
    due = next(p for p in bot.app.reminders.planned if p.key == "task-8:due")
    assert due.rung.day.isoformat() == "2023-02-28"
    assert [e.action for e in await services.audit.entries("plan.")] == ["plan.confirmed"]

    await bot.restart()  # the confirmed plan outlives a restart
    assert bot.app.services.cluster_year.plan.task(8).window.end.isoformat() == "2023-02-28"
