"""`cumthidua invite sheets|list|revoke|create`: invitations printed before the bot ever ran
(their QR codes decoded back to the bot's deep links, and redeemed), the bot's username from the
setting or from Telegram's getMe (the fake server), a unit's cluster found by its code."""

from __future__ import annotations

import asyncio
import io
import json
import re
import zipfile
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import cv2
import numpy as np
import pytest
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from bot.app import open_services
from bot.cli.main import main
from bot.clock import FixedClock
from bot.config import Settings
from bot.domain.invitations import Claimant, Redemption
from bot.fakes.telegram_server import FakeTelegram
from bot.outputs.docx_render import pdf_available
from bot.usecases import province_import
from tests.clusters import add_highland

HIGHLAND = "dien-bien-cum-thi-dua-vung-cao"
LOWLAND = "dien-bien-cum-thi-dua-vung-thap"
CODE = re.compile(r"CTD(?:-[0-9A-Z]{4}){5}")
NOW = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh"))  # the command line's clock is the system's


async def _installation(data: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """The bundled lowland cluster and the highland one, for the command line to find."""
    monkeypatch.setenv("CUMTHIDUA_DATA_DIR", str(data))
    settings = Settings(_env_file=None, data_dir=data)
    services = await open_services(settings, FixedClock(NOW))
    try:
        await add_highland(services)
    finally:
        await services.db.close()
    return settings


async def _cli(*argv: str) -> int:
    """The command line, in a thread of its own (it runs its own event loop)."""
    return await asyncio.to_thread(main, list(argv))


def qr_links(docx: bytes) -> list[str]:
    """What every QR picture of the document says, decoded from its pixels."""
    links = []
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        for name in sorted(n for n in archive.namelist() if n.startswith("word/media/")):
            pixels = np.frombuffer(archive.read(name), np.uint8)
            text, _points, _code = cv2.QRCodeDetectorAruco().detectAndDecode(
                cv2.imdecode(pixels, cv2.IMREAD_GRAYSCALE)
            )
            links.append(text)
    return links


def _codes(docx: bytes) -> list[str]:
    text = "\n".join(p.text for p in Document(io.BytesIO(docx)).paragraphs)
    return [code.replace("-", "") for code in CODE.findall(text)]


async def _redeem(settings: Settings, code: str) -> Redemption:
    services = await open_services(settings, FixedClock(NOW))
    try:
        who = Claimant("zalo", "z1", "z1", "Cán bộ đầu mối")
        return (await services.invitations.redeem(code, who, NOW)).outcome
    finally:
        await services.db.close()


async def test_sheets_for_every_cluster_carry_qr_codes_of_the_deep_links_that_redeem(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = await _installation(tmp_path / "data", monkeypatch)
    monkeypatch.setenv("CUMTHIDUA_TELEGRAM_USERNAME", "@cumthidua_in_bot")
    out = tmp_path / "moi" / "giay-moi.docx"
    assert await _cli("invite", "sheets", "--all", "--out", str(out)) == 0
    assert f"Đã ghi 9 giấy mời vào {out}" in capsys.readouterr().out
    docx = out.read_bytes()
    codes = _codes(docx)
    assert len(codes) == len(set(codes)) == 9  # five lowland units and four highland ones
    assert qr_links(docx) == [f"https://t.me/cumthidua_in_bot?start={c}" for c in codes]
    text = "\n".join(p.text for p in Document(io.BytesIO(docx)).paragraphs)
    assert text.count("GIẤY MỜI THAM GIA BOT THI ĐUA") == 9
    assert "Trên Zalo: tìm bot thi đua" in text
    cells = [c.text for t in Document(io.BytesIO(docx)).tables for r in t.rows for c in r.cells]
    assert "Cụm thi đua vùng cao (Điện Biên)" in cells and "Cán bộ đầu mối" in cells
    assert "cán bộ đơn vị Trưởng Cụm" in cells  # the chair units' pages say so
    assert out.with_suffix(".pdf").is_file() == pdf_available()
    if pdf_available():
        assert len(PdfReader(out.with_suffix(".pdf")).pages) == 9  # one A4 page each
    assert await _redeem(settings, codes[-1]) is Redemption.JOINED


async def test_without_the_setting_the_username_is_asked_of_telegram_and_kept(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    telegram: FakeTelegram,
) -> None:
    await _installation(tmp_path / "data", monkeypatch)
    monkeypatch.setenv("CUMTHIDUA_TELEGRAM_TOKEN", telegram.token)
    monkeypatch.setenv("CUMTHIDUA_TELEGRAM_BASE_URL", telegram.base_url)
    out = tmp_path / "vung-cao.docx"
    assert await _cli("invite", "sheets", "--cluster", HIGHLAND, "--out", str(out)) == 0
    docx = out.read_bytes()
    codes = _codes(docx)
    assert len(codes) == 4
    assert qr_links(docx) == [f"https://t.me/{telegram.username}?start={c}" for c in codes]
    monkeypatch.delenv("CUMTHIDUA_TELEGRAM_TOKEN")  # Telegram's answer was kept
    capsys.readouterr()
    assert await _cli("invite", "create", "--unit", "TG") == 0
    assert f"https://t.me/{telegram.username}?start=CTD" in capsys.readouterr().out


async def test_create_finds_the_units_cluster_and_list_and_revoke_take_code_or_number(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    await _installation(tmp_path / "data", monkeypatch)
    assert await _cli("invite", "create", "--unit", "mn") == 0
    made = capsys.readouterr().out
    assert "Cụm, khối thi đua: Cụm thi đua vùng cao; tỉnh, thành phố: Điện Biên." in made
    assert "Huyện Mường Nhé (MN)" in made and "cán bộ đơn vị Trưởng Cụm" in made
    assert "https://t.me/" not in made  # no username known yet: the code alone
    first = CODE.findall(made)[0]
    assert await _cli("invite", "create", "--role", "province") == 0
    province = capsys.readouterr().out
    assert "Hội đồng Thi đua - Khen thưởng tỉnh Điện Biên (chỉ xem, mọi cụm, khối)" in province
    assert await _cli("invite", "create", "--unit", "MC", "--role", "chair") == 2
    refused = capsys.readouterr().out
    assert "vai trò thành viên (member)" in refused
    assert "truongcum" not in refused and "thanhvien" not in refused
    assert await _cli("invite", "create", "--unit", "MN", "--role", "member") == 2
    assert "với vai trò chair." in capsys.readouterr().out
    assert await _cli("invite", "create", "--unit", "XX") == 2
    assert "Không cụm, khối nào trong hệ thống có đơn vị “XX”" in capsys.readouterr().out
    assert await _cli("invite", "list", "--json") == 0
    listed = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(i["cluster"], i["unit"], i["role"]) for i in listed] == [
        (HIGHLAND, "MN", "chair"),
        (LOWLAND, None, "province"),
    ]
    assert await _cli("invite", "list", "--cluster", HIGHLAND) == 0
    line = capsys.readouterr().out
    assert line.startswith(f"Số {listed[0]['number']}: Huyện Mường Nhé (MN), cán bộ đơn vị")
    assert await _cli("invite", "revoke", first.lower()) == 0
    assert f"Đã thu hồi lời mời số {listed[0]['number']}" in capsys.readouterr().out
    assert await _cli("invite", "revoke", first) == 2
    assert "Không có lời mời chưa dùng" in capsys.readouterr().out
    assert await _cli("invite", "revoke", str(listed[1]["number"])) == 0
    capsys.readouterr()
    assert await _cli("invite", "list") == 0
    assert capsys.readouterr().out == "Không có lời mời nào chưa dùng.\n"


async def test_a_wrong_token_leaves_the_sheets_without_qr_codes_and_says_what_to_set(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    telegram: FakeTelegram,
) -> None:
    settings = await _installation(tmp_path / "data", monkeypatch)
    monkeypatch.setenv("CUMTHIDUA_TELEGRAM_TOKEN", "123456:NOT-THE-TOKEN")
    monkeypatch.setenv("CUMTHIDUA_TELEGRAM_BASE_URL", telegram.base_url)
    monkeypatch.setenv("CUMTHIDUA_DEFAULT_LANGUAGE", "en")
    out = tmp_path / "lowland.docx"
    assert await _cli("invite", "sheets", "--cluster", LOWLAND, "--out", str(out)) == 0
    said = capsys.readouterr().out
    assert "5 invitation(s) written to" in said
    assert "Set CUMTHIDUA_TELEGRAM_USERNAME (or CUMTHIDUA_TELEGRAM_TOKEN)" in said
    assert "123456:NOT-THE-TOKEN" not in said
    docx = out.read_bytes()
    assert qr_links(docx) == []
    text = "\n".join(p.text for p in Document(io.BytesIO(docx)).paragraphs)
    assert text.count("INVITATION TO THE EMULATION BOT") == 5
    assert "On Telegram: open a private chat with the emulation bot" in text
    assert await _redeem(settings, _codes(docx)[0]) is Redemption.JOINED


async def test_the_officers_a_province_listed_get_their_own_pages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CUMTHIDUA_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("CUMTHIDUA_TELEGRAM_USERNAME", "cumthidua_in_bot")
    workbook = load_workbook(io.BytesIO(province_import.template()))
    workbook["Cụm, khối"].append(["Khối các cơ quan tổng hợp", "khối", "Sở Tài chính", None])
    for name in ("Sở Tài chính", "Sở Nội vụ", "Sở Tư pháp"):
        workbook["Đơn vị"].append([name, None, "Khối các cơ quan tổng hợp"])
    officers = workbook["Cán bộ"]
    officers.append(["Lò Văn Páo", "Chánh Văn phòng", "Sở Tài chính", "0215 3838 123"])
    officers.append(["Quàng Thị Mai", "Chuyên viên", "Sở Tài chính"])
    path = tmp_path / "tinh.xlsx"
    workbook.save(path)
    year = str(NOW.year)
    assert await _cli("province", "import", str(path), "--year", year) == 0
    capsys.readouterr()
    out = tmp_path / "khoi.docx"
    key = "dien-bien-khoi-cac-co-quan-tong-hop"
    assert await _cli("invite", "sheets", "--cluster", key, "--out", str(out)) == 0
    docx = out.read_bytes()
    assert len(_codes(docx)) == 4  # two listed officers of one unit, one page for each other
    cells = [c.text for t in Document(io.BytesIO(docx)).tables for r in t.rows for c in r.cells]
    officers_named = [cells[i + 1] for i, c in enumerate(cells) if c == "Cán bộ"]
    assert officers_named == [
        "Lò Văn Páo — Chánh Văn phòng",
        "Quàng Thị Mai — Chuyên viên",
        "Cán bộ đầu mối",
        "Cán bộ đầu mối",
    ]
    assert cells.count("cán bộ đơn vị Trưởng Khối") == 2  # a bloc's chair, in its words
