"""Files that are not what their names say, names too long for a file system, names repeated in
one submission, bidi tricks and formula-looking names: stored, shown, re-sent and exported
safely (through the real bot on the fake Telegram server and the real CLI)."""

from __future__ import annotations

import asyncio
import csv
import unicodedata
from pathlib import Path

import pytest

from bot.cli.main import main
from bot.domain.access import Role
from bot.fakes.telegram_server import FakeTelegram
from tests.documents import docx_bytes, pdf_bytes
from tests.harness import Harness
from tests.people import register

LONG = "Báo cáo kết quả thực hiện phong trào thi đua yêu nước của Ủy ban nhân dân huyện " * 4
FORMULA = "=HYPERLINK('evil.example';'Bấm')"


async def test_names_are_stored_resent_and_exported_safely(
    bot: Harness,
    telegram: FakeTelegram,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    chair = telegram.user(3101, "Vũ Văn Đức")
    member = telegram.user(3102, "@Lò Thị Hằng")
    await register(bot.app, chair, "TG", Role.CHAIR)
    await register(bot.app, member, "MA", Role.MEMBER)
    await chair.next_message()
    menu = await member.ask("/nopbaocao")
    member.press(menu, "6 tháng")
    await member.next_message()
    long_name = unicodedata.normalize("NFD", LONG) + ".docx"
    assert len(long_name.encode()) > 255
    files = [
        ("hoa-don\u202efdp.hta", pdf_bytes(1, "mot")),  # a PDF named like an HTML application
        (long_name, docx_bytes("Báo cáo dài")),
        (FORMULA + ".pdf", pdf_bytes(2, "hai")),
        (FORMULA + ".pdf", pdf_bytes(3, "ba")),  # the same name again, other content
    ]
    shown = []
    for name, data in files:
        member.send_document(name, data)
        shown.append((await member.next_message()).text)
    assert shown[0].startswith("Đã nhận hoa-donfdp.pdf (")
    assert "\u202e" not in "".join(shown) and ".hta" not in "".join(shown)
    summary = await member.ask("xong")
    member.press(summary, "Gửi Trưởng Cụm")
    receipt = (await member.next_message()).text
    assert "1. hoa-donfdp.pdf — " in receipt
    assert f"3. {FORMULA}.pdf — " in receipt and f"4. {FORMULA} (2).pdf — " in receipt
    await chair.next_message()  # the notice

    [submission] = await bot.app.services.submissions.history("bc-6-thang", "MA")
    names = [f.name for f in submission.files]
    assert names[0] == "hoa-donfdp.pdf" and names[3] == f"{FORMULA} (2).pdf"
    assert all(len(n.encode()) <= 180 for n in names) and names[1].endswith(".docx")
    assert names[1] == unicodedata.normalize("NFC", names[1])

    units = await chair.ask("/xem")
    chair.press(units, "Mường Ảng")
    chair.press(await chair.next_message(), "6 tháng")
    await chair.next_message()  # the history
    resent = [await chair.next_message() for _ in files]
    assert [s.file_name for s in resent] == names  # re-sent under the detected type's name
    assert resent[0].file_data == files[0][1]

    monkeypatch.setenv("CUMTHIDUA_DATA_DIR", str(bot.settings.data_dir))
    out = tmp_path / "export"
    assert await asyncio.to_thread(main, ["export", "submissions", "--out", str(out)]) == 0
    folder = out / "bc-6-thang" / "MA"
    assert sorted(p.name for p in folder.iterdir()) == sorted(names)
    assert (folder / f"{FORMULA}.pdf").read_bytes() == files[2][1]
    assert (folder / f"{FORMULA} (2).pdf").read_bytes() == files[3][1]
    with (out / "manifest.csv").open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 4 and {r["officer"] for r in rows} == {"'@Lò Thị Hằng"}
    assert rows[3]["file"] == f"bc-6-thang/MA/{FORMULA} (2).pdf"
