"""Report submission end to end through the fake Telegram server."""

from __future__ import annotations

import asyncio
import csv
import hashlib
import re
from pathlib import Path

import pytest

from bot.cli.main import main
from bot.clock import FixedClock
from bot.domain.access import Role
from bot.fakes.telegram_server import FakeTelegram, FakeTelegramUser
from tests.documents import docx_bytes, pdf_bytes
from tests.harness import Harness
from tests.people import register

SIX_MONTH = "Báo cáo kết quả thi đua, khen thưởng 6 tháng đầu năm 2022"


async def _people(
    bot: Harness, telegram: FakeTelegram
) -> tuple[FakeTelegramUser, FakeTelegramUser]:
    chair = telegram.user(3001, "Vũ Văn Đức")
    member = telegram.user(3002, "Lò Thị Hằng")
    await register(bot.app, chair, "TG", Role.CHAIR)
    await register(bot.app, member, "MA", Role.MEMBER)
    await chair.next_message()  # told that the member joined
    return chair, member


async def _six_month_files_step(member: FakeTelegramUser) -> None:
    """/nopbaocao, the six-month report picked: the bot now waits for the files."""
    menu = await member.ask("/nopbaocao")
    member.press(menu, "6 tháng")
    await member.next_message()


async def _submit(member: FakeTelegramUser, files: list[tuple[str, bytes]]) -> str:
    menu = await member.ask("/nopbaocao")
    assert menu.text == "Anh/chị nộp báo cáo nào?"
    member.press(menu, "6 tháng")
    prompt = await member.next_message()
    assert "Anh/chị gửi tệp ngay bây giờ" in prompt.text
    for name, data in files:
        member.send_document(name, data)
        received = await member.next_message()
        assert received.text.startswith(f"Đã nhận {name}"), received.text
    summary = await member.ask("xong")
    assert summary.text.startswith("Anh/chị vui lòng kiểm tra trước khi gửi:")
    member.press(summary, "Gửi Trưởng Cụm")
    return (await member.next_message()).text


async def test_member_submits_two_files_and_gets_a_receipt(
    bot: Harness, telegram: FakeTelegram
) -> None:
    chair, member = await _people(bot, telegram)
    docx, pdf = docx_bytes(), pdf_bytes(pages=3)
    receipt = await _submit(member, [("bao-cao-6-thang.docx", docx), ("phu-luc.pdf", pdf)])

    assert receipt.startswith("BIÊN NHẬN")
    assert f"Báo cáo: {SIX_MONTH}" in receipt
    assert "Đơn vị: Huyện Mường Ảng (MA)" in receipt
    assert "Người gửi: Lò Thị Hằng" in receipt
    assert "Thời gian nhận: 09:00 15/3/2022" in receipt
    assert "Lần nộp: 1" in receipt
    assert f"SHA-256 {hashlib.sha256(docx).hexdigest()[:8]}" in receipt
    assert "2. phu-luc.pdf — " in receipt and "3 trang" in receipt
    assert f"SHA-256 {hashlib.sha256(pdf).hexdigest()[:8]}" in receipt
    assert "Tình trạng: đúng hạn (hạn 30/6/2022)" in receipt

    notice = await chair.next_message()
    assert notice.text == f"📥 Huyện Mường Ảng (MA) đã nộp {SIX_MONTH} (lần 1, 2 tệp): đúng hạn."
    status = await chair.ask("/tiendo")
    assert "MA Mường Ảng: (1)✅ (2)⏳" in status.text
    assert "DB Điện Biên: (1)⏳ (2)⏳" in status.text
    assert "Đã hoàn thành: 1/8 (12%)" in status.text


async def test_a_file_goes_to_the_chair_straight_from_its_answer(
    bot: Harness, telegram: FakeTelegram
) -> None:
    chair, member = await _people(bot, telegram)
    await _six_month_files_step(member)
    member.send_document("sai.pdf", b"MZ\x90\x00\x03" + b"\x00" * 2000, "application/pdf")
    refused = await member.next_message()
    assert [label for label, _data in refused.buttons] == ["Xong"]  # nothing to send yet

    member.send_document("bao-cao.docx", docx_bytes())
    received = await member.next_message()
    assert received.text.startswith("Đã nhận bao-cao.docx (")
    assert "hoặc gửi ngay cho Trưởng Cụm" in received.text
    assert [label for label, _data in received.buttons] == ["1. Xong", "2. Gửi Trưởng Cụm"]
    member.press(received, "Gửi Trưởng Cụm")
    receipt = await member.next_message()
    assert receipt.text.startswith("BIÊN NHẬN") and "1. bao-cao.docx — " in receipt.text
    assert "(lần 1, 1 tệp)" in (await chair.next_message()).text
    count = await bot.app.services.db.fetchone("SELECT COUNT(*) FROM submissions")
    assert count[0] == 1


async def test_bad_files_are_refused_and_nothing_is_stored(
    bot: Harness, telegram: FakeTelegram
) -> None:
    _chair, member = await _people(bot, telegram)
    db = bot.app.services.db
    before = (await db.fetchone("SELECT COUNT(*) FROM stored_files"))[0]
    await _six_month_files_step(member)

    member.send_document("baocao.pdf", b"MZ\x90\x00\x03" + b"\x00" * 2000, "application/pdf")
    renamed = await member.next_message()
    member.send_document("trong.docx", b"")
    empty = await member.next_message()
    member.send_document("rat-lon.pdf", b"%PDF-1.4\n" + b"0" * (21 * 1024 * 1024))
    too_big = await member.next_message()

    assert renamed.text.startswith("Tệp baocao.pdf không phải loại tài liệu tôi nhận được")
    assert empty.text.startswith("Tệp trong.docx trống")
    assert too_big.text.startswith(
        "Tệp này lớn hơn mức ứng dụng nhắn tin cho phép bot nhận (20 MB)"
    )
    assert (
        "Anh/chị tải tệp lên tại đây (dùng một lần, trong 24 giờ): http://127.0.0.1:"
        in too_big.text
    )
    done = await member.ask("xong")
    assert done.text == "Chưa nhận được tệp nào. Anh/chị vui lòng gửi ít nhất một tệp."
    assert (await db.fetchone("SELECT COUNT(*) FROM stored_files"))[0] == before
    assert (await db.fetchone("SELECT COUNT(*) FROM submissions"))[0] == 0


async def test_resubmission_versions_view_and_export(
    bot: Harness,
    telegram: FakeTelegram,
    clock: FixedClock,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    chair, member = await _people(bot, telegram)
    first = docx_bytes("Bản 1")
    await _submit(member, [("bao-cao.docx", first)])
    await chair.next_message()
    clock.set(datetime(2022, 7, 3, 10, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")))
    second = pdf_bytes(1, "Ban 2")
    menu = await member.ask("/nopbaocao")
    assert any("đã nộp: nộp bản mới" in label for label, _ in menu.buttons)
    member.press(menu, "6 tháng")
    await member.next_message()
    member.send_document("bao-cao-v2.pdf", second)
    await member.next_message()
    summary = await member.ask("1")  # typing the number of "Xong"
    member.press(summary, "Gửi Trưởng Cụm")
    receipt = (await member.next_message()).text
    assert "Lần nộp: 2" in receipt and "Tình trạng: trễ 3 ngày (hạn 30/6/2022)" in receipt
    assert "trễ 3 ngày" in (await chair.next_message()).text

    units = await chair.ask("/xem")
    chair.press(units, "Mường Ảng")
    reports = await chair.next_message()
    chair.press(reports, "6 tháng")
    history = await chair.next_message()
    assert "Lần 1: 09:00 15/3/2022 — Lò Thị Hằng — 1 tệp — đúng hạn" in history.text
    assert "Lần 2: 10:00 3/7/2022 — Lò Thị Hằng — 1 tệp — trễ 3 ngày" in history.text
    sent_file = await chair.next_message()
    assert sent_file.method == "sendDocument" and sent_file.file_data == second
    status = await chair.ask("/tiendo")
    assert "MA Mường Ảng: (1)🕒 (2)⏳" in status.text
    assert "DB Điện Biên: (1)❌ (2)⏳" in status.text

    monkeypatch.setenv("CUMTHIDUA_DATA_DIR", str(bot.settings.data_dir))
    out = tmp_path / "export"
    assert await asyncio.to_thread(main, ["export", "submissions", "--out", str(out)]) == 0
    assert (out / "bc-6-thang" / "MA" / "bao-cao-v2.pdf").read_bytes() == second
    with (out / "manifest.csv").open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert rows == [
        {
            "unit": "MA",
            "deliverable": "bc-6-thang",
            "version": "2",
            "officer": "Lò Thị Hằng",
            "received_at": "2022-07-03T03:00:00+00:00",
            "on_time": "no",
            "days_late": "3",
            "file": "bc-6-thang/MA/bao-cao-v2.pdf",
            "sha256": hashlib.sha256(second).hexdigest(),
        }
    ]
    assert "Đã xuất 1 báo cáo" in capsys.readouterr().out


async def test_a_submission_survives_a_restart_after_the_first_file(
    bot: Harness, telegram: FakeTelegram
) -> None:
    _chair, member = await _people(bot, telegram)
    await _six_month_files_step(member)
    docx = docx_bytes()
    member.send_document("bao-cao.docx", docx)
    await member.next_message()

    await bot.restart()

    offer = await member.next_message()
    assert offer.text.startswith("Bot vừa khởi động lại. Anh/chị còn việc nộp báo cáo đang làm dở")
    member.press(offer, "Làm tiếp")
    resumed = await member.next_message()
    assert "đã nhận 1 tệp" in resumed.text
    pdf = pdf_bytes()
    member.send_document("phu-luc.pdf", pdf)
    await member.next_message()
    summary = await member.ask("Xong")
    assert "1. bao-cao.docx" in summary.text and "2. phu-luc.pdf" in summary.text
    member.press(summary, "Gửi Trưởng Cụm")
    receipt = (await member.next_message()).text
    assert hashlib.sha256(docx).hexdigest()[:8] in receipt
    assert hashlib.sha256(pdf).hexdigest()[:8] in receipt


async def test_chair_excuses_a_unit_and_it_is_told(bot: Harness, telegram: FakeTelegram) -> None:
    chair, member = await _people(bot, telegram)
    units = await chair.ask("/xem")
    chair.press(units, "Mường Ảng")
    chair.press(await chair.next_message(), "năm 2022 kèm")
    history = await chair.next_message()
    assert "Chưa nhận được gì." in history.text
    chair.press(history, "Miễn nộp")
    assert "ghi lý do" in (await chair.next_message()).text
    done = await chair.ask("Đơn vị sáp nhập, UBND tỉnh cho phép")
    assert done.text == "Đã ghi nhận và thông báo cho đơn vị."
    told = await member.next_message()
    assert told.text.startswith(
        "Trưởng Cụm đã miễn cho đơn vị nộp Báo cáo kết quả thi đua năm 2022"
    )
    status = await member.ask("/tiendo")
    assert "MA Mường Ảng: (1)⏳ (2)➖" in status.text
    assert "DB" not in status.text  # a member sees only its own unit
    actions = [e.action for e in await bot.app.services.audit.entries("deliverable.")]
    assert actions == ["deliverable.excused"]


async def test_a_file_sent_out_of_the_blue_starts_a_submission(
    bot: Harness, telegram: FakeTelegram
) -> None:
    _chair, member = await _people(bot, telegram)
    member.send_document("bao-cao.docx", docx_bytes())
    menu = await member.next_message()  # one message: the file kept, and which report
    assert re.fullmatch(r"Đã nhận bao-cao\.docx \([^)]+\)\.\nAnh/chị nộp báo cáo nào\?", menu.text)
    member.press(menu, "6 tháng")
    files = await member.next_message()
    assert files.text.startswith(
        "Báo cáo kết quả thi đua, khen thưởng 6 tháng đầu năm 2022: đã nhận 1 tệp. Gửi thêm, "
        "bấm Xong để xem lại, hoặc gửi ngay cho Trưởng Cụm."
    ), files.text
    member.press(files, "Gửi Trưởng Cụm")  # sent from there, without the check screen
    receipt = await member.next_message()
    assert receipt.text.startswith("BIÊN NHẬN") and "bao-cao.docx" in receipt.text
