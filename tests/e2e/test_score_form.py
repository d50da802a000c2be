"""The score form end to end: the chair imports the province's 60-criterion table in chat; a
unit's officer gets its form from /chamdiem (a document on Telegram, a download link on Zalo),
fills it (openpyxl on Telegram, saved again by LibreOffice on Zalo), sends it back (a file in
chat, the upload link on Zalo), reads the total, corrects one criterion in chat and sends — in at
most five actions. A hostile form is refused politely and nothing is stored."""

from __future__ import annotations

import re

import httpx

from bot.domain.access import Role
from bot.domain.scoring_import import read_scoring_table
from bot.domain.scoring_table import ScoringTable
from bot.fakes.demo_people import Person
from bot.fakes.telegram_server import FakeTelegramUser
from bot.usecases import scoring_import
from bot.usecases.scoring_import import Applied
from tests.crafted_files import xlsx_bomb
from tests.e2e.test_scenarios import join
from tests.platforms import Platform
from tests.score_forms import fill_form, good_points, resave_by_libreoffice, rows_workbook
from tests.scoring_corpus import sixty_criteria

DOWNLOAD = re.compile(r"http://127\.0\.0\.1:\d+/d/[\w-]+")
FORM_UPLOAD = re.compile(r"http://127\.0\.0\.1:\d+/f/[\w-]+")


async def _table_imported(platform: Platform, chair: Person) -> ScoringTable:
    """The chair imports the table: in chat on Telegram (a preview, then applied), by the
    use case on Zalo (which carries no documents)."""
    case = sixty_criteria()
    if isinstance(chair.raw, FakeTelegramUser):
        prompt = await chair.ask("/nhapbangdiem")
        assert prompt.text.startswith("Anh/chị gửi bảng chấm điểm của tỉnh")
        chair.raw.send_document("bang-diem-2026.docx", case.data())
        first = preview = await chair.next()
        while not preview.buttons:  # a long preview comes in parts, the options on the last
            preview = await chair.next()
        assert first.text.startswith(f"{case.title}\n60 tiêu chí, tổng số 900 điểm.\n")
        assert "   1 Được tặng Cờ thi đua của Chính phủ: 0 … 20" in preview.text
        done = await chair.choose(preview, "Áp dụng bảng điểm này")
        assert done.text.startswith("Bảng chấm điểm phiên bản 1 được áp dụng")
    else:
        refused = await chair.ask("/nhapbangdiem")
        assert "qua Telegram" in refused.text
        services = platform.harness.app.services
        imported = read_scoring_table(case.data())
        assert await scoring_import.apply(services, imported, None, "x.docx", False) == Applied(
            1, 0
        )
    table = platform.harness.app.services.cluster_year.scoring
    assert table is not None and len(table.criteria()) == 61  # 60 and one bonus/penalty range
    return table


async def _form_of(person: Person, prompt_text: str, sent_file: bytes) -> bytes:
    if sent_file:
        return sent_file
    [url] = DOWNLOAD.findall(prompt_text)
    async with httpx.AsyncClient() as client:
        got = await client.get(url)
    assert got.status_code == 200
    return got.content


async def _send_back(person: Person, prompt_text: str, data: bytes) -> httpx.Response | None:
    """The filled form sent back: a file in chat on Telegram, the upload page on Zalo."""
    if isinstance(person.raw, FakeTelegramUser):
        person.raw.send_document("phieu-tu-cham.xlsx", data)
        return None
    [url] = FORM_UPLOAD.findall(prompt_text)
    async with httpx.AsyncClient(timeout=30) as client:
        page = await client.get(url)
        assert page.status_code == 200 and 'type="file"' in page.text
        return await client.post(url, files={"files": ("phieu.xlsx", data, "application/xlsx")})


async def test_a_filled_form_round_trip_in_at_most_five_actions(platform: Platform) -> None:
    chair, member = platform.person(1, "Trưởng Cụm"), platform.person(2, "Cán bộ Mường Ảng")
    await join(platform, chair, "TG", Role.CHAIR)
    await join(platform, member, "MA", Role.MEMBER)
    await chair.next()  # MA joined
    table = await _table_imported(platform, chair)
    actions = 0

    prompt = await member.ask("/chamdiem")
    actions += 1
    assert "phiếu tự chấm điểm của đơn vị (61 tiêu chí)" in prompt.text
    blank = await _form_of(member, prompt.text, prompt.file_data)
    actions += 0 if prompt.file_data else 1  # on Zalo, opening the download link
    filled, total = fill_form(blank, table, {"I.2": "4,5"}, {"VII.1": 20, "VII.3": 0})
    if platform.name == "zalo":
        filled = await resave_by_libreoffice(filled)
    page = await _send_back(member, prompt.text, filled)
    actions += 1
    if page is not None:
        assert page.status_code == 200 and "trong cuộc trò chuyện" in page.text
    summary = await member.next()
    assert summary.text.startswith("Đã đọc phiếu tự chấm điểm: tổng cộng ")
    assert "I. PHÁT TRIỂN KINH TẾ: " in summary.text and "Chưa chấm" not in summary.text
    if platform.name == "telegram":  # a correction typed in chat
        fixed = await member.ask("I.2 7,5")
        actions += 1
        assert fixed.text == "I.2: 7,5 điểm."
        summary = await member.next()
        total += 7.5 - 4.5
    sent = await member.choose(summary, "Gửi Trưởng Cụm")
    actions += 1
    shown = f"{total:g}".replace(".", ",")
    assert sent.text.startswith(f"Đã gửi: lần 1, {shown} điểm."), sent.text
    assert actions <= 5
    assert (await chair.next()).text.startswith(
        "📊 Huyện Mường Ảng (MA) đã gửi bảng tự chấm điểm (lần 1)"
    )
    services = platform.harness.app.services
    sheet = (await services.scores.latest())["MA"]
    assert sheet.entries.entry("I.2").points == (7.5 if platform.name == "telegram" else 4.5)
    assert sheet.entries.entry("I.1").points == good_points(table.criteria()[0])
    assert sheet.entries.bonuses == {"VII.1": True, "VII.3": False}


def _formulas_only(blank: bytes, table: ScoringTable) -> bytes:
    filled, _total = fill_form(
        blank, table, {c.code: f"=MAX(0,{i})" for i, c in enumerate(table.criteria())}
    )
    return filled


async def test_a_hostile_form_is_refused_politely_and_nothing_is_stored(
    platform: Platform,
) -> None:
    chair, member = platform.person(1, "Trưởng Cụm"), platform.person(2, "Cán bộ Mường Ảng")
    await join(platform, chair, "TG", Role.CHAIR)
    await join(platform, member, "MA", Role.MEMBER)
    await chair.next()
    table = await _table_imported(platform, chair)
    services = platform.harness.app.services
    prompt = await member.ask("/chamdiem")
    blank = await _form_of(member, prompt.text, prompt.file_data)
    answers = []
    for data in (xlsx_bomb(), rows_workbook(100_000)):  # a refused form spends no link
        page = await _send_back(member, prompt.text, data)
        if page is None:
            answers.append((await member.next()).text)
        else:
            assert page.status_code == 400
            answers.append(page.text)
    assert "Tệp không đọc được an toàn" in answers[0]
    assert "Phiếu có hơn 2000 dòng; xin anh/chị gửi lại đúng phiếu bot đã gửi." in answers[1]
    await _send_back(member, prompt.text, _formulas_only(blank, table))
    summary = await member.next()
    assert summary.text.startswith("Đã đọc phiếu tự chấm điểm: tổng cộng 0 điểm.")
    assert "ô có công thức nhưng chưa lưu giá trị" in summary.text
    assert "   … và 49 dòng khác.\n" in summary.text  # 61 rows, 12 of them named
    refused = await member.choose(summary, "Gửi Trưởng Cụm")
    assert refused.text.startswith("Anh/chị cần chấm đủ các tiêu chí trước: I.1, I.2")
    assert await services.scores.latest() == {}
