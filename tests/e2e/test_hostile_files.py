"""Hostile documents sent to the running bot: ZIP, DOCX and XLSX bombs that inflate to
gigabytes, an archive with tens of thousands of entries, PDFs whose page content inflates past
any memory bound or takes minutes to interpret. Each is refused politely ("tệp không đọc được
an toàn"), nothing is stored, the bot's peak RSS grows by less than 100 MB and the event loop
never stalls for more than 200 ms, so other chats are answered meanwhile."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import pytest

from bot.cli.main import main
from bot.config import Settings
from bot.domain.access import Role
from bot.fakes.telegram_server import FakeTelegram
from tests.crafted_files import (
    docx_bomb,
    many_entries_zip,
    pdf_memory_bomb,
    pdf_time_bomb,
    xlsx_bomb,
    zip_bomb,
)
from tests.documents import plan_docx, seed_rows
from tests.harness import Harness
from tests.people import register

UNSAFE = "Tệp không đọc được an toàn: "
MB = 1 << 20


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"plan_read_seconds": 3.0})


def _status_kb(field: str) -> int:
    text = Path("/proc/self/status").read_text()
    return int(re.search(rf"^{field}:\s+(\d+) kB", text, re.M).group(1))


class Ticker:
    """A task on the event loop that notes the longest gap between its 10 ms ticks."""

    def __init__(self) -> None:
        self.longest = 0.0

    async def run(self) -> None:
        loop = asyncio.get_running_loop()
        last = loop.time()
        while True:
            await asyncio.sleep(0.01)
            now = loop.time()
            self.longest = max(self.longest, now - last - 0.01)
            last = now


async def test_bombs_are_refused_within_memory_and_without_stalls(
    bot: Harness, telegram: FakeTelegram
) -> None:
    chair = telegram.user(4001, "Vũ Văn Đức")
    member = telegram.user(4002, "Lò Thị Hằng")
    other = telegram.user(4003, "Quàng Văn Sơn")
    await register(bot.app, chair, "TG", Role.CHAIR)
    await register(bot.app, member, "MA", Role.MEMBER)
    await register(bot.app, other, "DB", Role.MEMBER)
    await chair.next_message(), await chair.next_message()  # told of both joins
    reports = {
        "bao-cao.zip": zip_bomb(),
        "bao-cao.docx": docx_bomb(),
        "bang-diem.xlsx": xlsx_bomb(),
        "nhieu-muc.docx": many_entries_zip(),
    }
    plans = {
        "ke-hoach.docx": docx_bomb(),
        "ke-hoach.pdf": pdf_memory_bomb(),
        "ke-hoach-cham.pdf": pdf_time_bomb(),
    }
    menu = await member.ask("/nopbaocao")
    member.press(menu, "6 tháng")
    await member.next_message()
    ask = await chair.ask("/nhapkehoach")
    assert ask.text.startswith("Anh/chị gửi tệp kế hoạch")

    Path("/proc/self/clear_refs").write_text("5")  # the peak RSS starts again from here
    start_kb = _status_kb("VmRSS")
    ticker = Ticker()
    ticking = asyncio.create_task(ticker.run())
    for name, data in reports.items():
        member.send_document(name, data)
        other.send("/toi")  # another chat, meanwhile
        answer, whoami = await member.next_message(), await other.next_message()
        assert answer.text.startswith(UNSAFE + name), answer.text
        assert "Quàng Văn Sơn" in whoami.text
    for name, data in plans.items():
        chair.send_document(name, data)
        other.send("/toi")
        answer, whoami = await chair.next_message(), await other.next_message()
        assert answer.text.startswith(UNSAFE + name), answer.text
        assert "Quàng Văn Sơn" in whoami.text
    ticking.cancel()
    peak_kb = _status_kb("VmHWM")

    assert (peak_kb - start_kb) * 1024 < 100 * MB, (start_kb, peak_kb)
    assert ticker.longest < 0.2, ticker.longest
    services = bot.app.services
    stored = await services.db.fetchone("SELECT COUNT(*) FROM stored_files")
    assert stored is not None and stored[0] == 0
    assert await services.submissions.history() == []

    chair.send_document("ke-hoach-2022.docx", plan_docx(seed_rows()))  # a real plan still reads
    preview = await chair.next_message()
    assert any("Xác nhận kế hoạch này" in label for label, _ in preview.buttons)


def test_the_plan_command_refuses_a_bomb_and_an_oversized_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CUMTHIDUA_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("CUMTHIDUA_MAX_FILE_MB", "5")
    bomb, big = tmp_path / "ke-hoach.docx", tmp_path / "ke-hoach-lon.pdf"
    bomb.write_bytes(docx_bomb())
    assert main(["plan", "import", str(bomb), "--dry-run"]) == 2
    assert "tệp không đọc được an toàn" in capsys.readouterr().out
    big.write_bytes(b"%PDF-1.4\n" + bytes(6 << 20))
    assert main(["plan", "import", str(big), "--dry-run"]) == 2
    assert "lớn hơn 5 MB" in capsys.readouterr().out
