"""The board's pages over real HTTP: the province overview, a cluster's matrix with its filter,
completion rate and the chair's reminder (preview, then a POST with its CSRF token, through the
outbox, audited), a unit's page with its versions and one-time downloads, the ranking with its
chart and workbook, an officer's upload (CSRF in the address, checked before the body), what a
member cannot open by changing the address, and escaping what users wrote."""

from __future__ import annotations

import contextlib
import io
import re
from collections.abc import AsyncIterator
from datetime import timedelta

import httpx
from openpyxl import load_workbook

from bot.domain.access import Role
from bot.domain.cluster import Unit, UnitKind
from bot.domain.formatting import number
from bot.domain.score_sheet import SheetEntries
from bot.fakes.telegram_server import FakeTelegram, FakeTelegramUser
from bot.i18n import translator
from bot.outputs.score_form import score_form
from bot.services.container import Services
from bot.usecases import ranking, score_lock, self_scoring
from tests.clusters import HIGHLAND_UNITS, highland_cluster
from tests.documents import pdf_bytes
from tests.harness import Harness
from tests.people import register
from tests.score_forms import fill_form
from tests.web_signin import base_url, csrf_of, signed_in, signin_url

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

HOSTILE = "<script>alert(1)</script> Mường Chà"
NOTE = "Bản <script>alert('x')</script> & chính thức"


def _services(bot: Harness) -> Services:
    assert bot.app.services is not None
    return bot.app.services


async def _highland(bot: Harness) -> Services:
    """The second cluster, one of its units named with markup."""
    services = _services(bot)
    year = highland_cluster()
    units = tuple(
        Unit(code=u.code, name=HOSTILE, kind=UnitKind.HUYEN) if u.code == "MC" else u
        for u in HIGHLAND_UNITS
    )
    year = year.model_copy(update={"cluster": year.cluster.model_copy(update={"units": units})})
    record, _created = await services.years.import_year(year, "tests", "test", services.clock.now())
    return services.scoped(record.id)


async def _person(
    bot: Harness, telegram: FakeTelegram, number: int, name: str, unit: str | None, role: Role
) -> FakeTelegramUser:
    user = telegram.user(number, name)
    province = "Điện Biên" if role is Role.PROVINCE else None
    await register(bot.app, user, unit, role, province)
    return user


@contextlib.asynccontextmanager
async def _client(bot: Harness, user: FakeTelegramUser) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=base_url(bot)) as client:
        opened = await signed_in(client, await signin_url(user))
        assert opened.status_code == 303
        yield client


async def _upload(client: httpx.AsyncClient, code: str, note: str) -> httpx.Response:
    form = await client.get(f"/web/upload/{code}")
    assert form.status_code == 200
    [action] = re.findall(r'action="(/web/upload/[^"]+)"', form.text)
    action = action.replace("&amp;", "&")
    files = {"files": ("bao-cao.pdf", pdf_bytes(1), "application/pdf")}
    return await client.post(action, files=files, data={"note": note})


async def test_a_member_opens_its_own_cluster_and_unit_only(
    bot: Harness, telegram: FakeTelegram
) -> None:
    highland = await _highland(bot)
    low, high = _services(bot).year.cluster_id, highland.year.cluster_id
    member = await _person(bot, telegram, 7301, "Lò Văn Minh", "MA", Role.MEMBER)
    async with _client(bot, member) as client:
        home = await client.get("/web/")
        assert f'href="/web/c/{low}/status"' in home.text and 'href="/web/upload"' in home.text
        assert 'href="/web/overview"' not in home.text
        status = await client.get(f"/web/c/{low}/status")
        assert status.status_code == 200 and "Mường Ảng" in status.text
        assert "Mường Lay" not in status.text  # a member sees its own row only
        assert "Nhắc các đơn vị" not in status.text
        refused = [
            f"/web/c/{high}/status",  # another cluster's matrix
            f"/web/c/{high}/ranking?year=2022",  # another cluster's ranking of a year
            f"/web/c/{high}/unit/MN",
            f"/web/c/{low}/unit/DB",  # another unit of its own cluster
            f"/web/c/{low}/status?year=1999",
            f"/web/c/{low}/unit/DB/file/bc-6-thang/1/0",
            "/web/c/999/status",
        ]
        for path in refused:
            answer = await client.get(path)
            assert answer.status_code == 404, path
            assert "không mở cho anh/chị" in answer.text, path
        assert (await client.get(f"/web/c/{low}/remind")).status_code == 403
        assert (await client.get("/web/overview")).status_code == 403
        assert (await client.get(f"/web/c/{low}/unit/MA")).status_code == 200
    observer = await _person(bot, telegram, 7308, "Quan sát viên", None, Role.OBSERVER)
    async with _client(bot, observer) as client:
        status = await client.get(f"/web/c/{low}/status")
        assert status.status_code == 200 and "Thị xã Mường Lay" in status.text  # every row
        assert f'href="/web/c/{low}/unit/' not in status.text  # but no unit's page
        assert (await client.get(f"/web/c/{low}/unit/MA")).status_code == 404


async def test_an_officer_uploads_and_its_unit_page_shows_the_version(
    bot: Harness, telegram: FakeTelegram
) -> None:
    low = _services(bot).year.cluster_id
    member = await _person(bot, telegram, 7302, "Lò Văn Minh", "MA", Role.MEMBER)
    async with _client(bot, member) as client:
        choices = await client.get("/web/upload")
        assert 'href="/web/upload/bc-6-thang"' in choices.text
        plain = await client.post(
            "/web/upload/bc-6-thang",
            files={"files": ("bao-cao.pdf", pdf_bytes(1), "application/pdf")},
        )
        assert plain.status_code == 403 and "không được chấp nhận" in plain.text
        assert await _services(bot).submissions.latest() == {}  # nothing stored
        assert (await client.get("/web/upload/khong-co")).status_code == 404
        received = await _upload(client, "bc-6-thang", NOTE)
        assert received.status_code == 200 and "Đã nhận" in received.text
        receipt = await member.next_message()
        assert "bc-6-thang" in receipt.text or "6 tháng" in receipt.text
        page = await client.get(f"/web/c/{low}/unit/MA")
        assert page.status_code == 200 and "Lò Văn Minh" in page.text
        assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; chính thức" in page.text
        assert "<script>" not in page.text and "BIÊN NHẬN" in page.text  # the version's receipt
        [link] = re.findall(rf'href="(/web/c/{low}/unit/MA/file/bc-6-thang/1/0[^"]*)"', page.text)
        moved = await client.get(link.replace("&amp;", "&"))
        assert moved.status_code == 303 and "/d/" in moved.headers["location"]
        form = await client.get("/web/upload/bc-6-thang")
        header = await client.post(  # the token may come in a header instead of the address
            f"/web/upload/bc-6-thang?form={'a' * 32}",
            files={"files": ("ban-2.pdf", pdf_bytes(2), "application/pdf")},
            headers={"X-CSRF-Token": csrf_of(form)},
        )
        assert header.status_code == 200 and "Lần nộp: 2" in header.text
        async with httpx.AsyncClient() as other:  # the chat's one-time link: single use
            download = await other.get(moved.headers["location"])
            assert download.status_code == 200 and download.content.startswith(b"%PDF")
            assert (await other.get(moved.headers["location"])).status_code == 410


async def test_the_chair_filters_the_matrix_and_reminds_the_units(
    bot: Harness, telegram: FakeTelegram
) -> None:
    low = _services(bot).year.cluster_id
    member = await _person(bot, telegram, 7303, "Lò Văn Minh", "MA", Role.MEMBER)
    sender = await _person(bot, telegram, 7304, "Quàng Văn Bình", "DB", Role.MEMBER)
    async with _client(bot, sender) as client:
        await _upload(client, "bc-6-thang", "")
    await sender.next_message()
    chair = await _person(bot, telegram, 7300, "Vũ Văn Đức", "TG", Role.CHAIR)
    async with _client(bot, chair) as client:
        status = await client.get(f"/web/c/{low}/status?d=bc-6-thang")
        assert status.status_code == 200
        assert "Mường Ảng" in status.text and "Mường Lay" in status.text
        assert "1/4 (25%)" in status.text  # the members owe it; one sent
        assert status.text.count('class="cell on-time"') == 2  # its cell and the legend
        assert (await client.get(f"/web/c/{low}/status?d=khong-co")).status_code == 404
        preview = await client.get(f"/web/c/{low}/remind?d=bc-6-thang")
        assert preview.status_code == 200 and "Mường Ảng" in preview.text
        assert "Điện Biên Đông" not in preview.text  # DB has sent it
        forged = await client.post(f"/web/c/{low}/remind", data={"d": "bc-6-thang"})
        assert forged.status_code == 403
        token = csrf_of(preview)
        done = await client.post(f"/web/c/{low}/remind", data={"d": "bc-6-thang", "csrf": token})
        assert done.status_code == 200 and "3 báo cáo" in done.text
        again = await client.post(f"/web/c/{low}/remind", data={"d": "bc-6-thang", "csrf": token})
        assert "0 tin nhắn" in again.text  # once a day per unit and report
    reminder = await member.next_message()
    assert "Nhắc" in reminder.text and "30/6/2022" in reminder.text
    audited = await _services(bot).audit.entries("reports.reminded")
    assert [e.subject for e in audited] == ["bc-6-thang", "bc-6-thang"]


async def test_the_province_overview_and_a_hostile_unit_name(
    bot: Harness, telegram: FakeTelegram
) -> None:
    highland = await _highland(bot)
    high = highland.year.cluster_id
    bot.clock.advance(timedelta(days=127))  # 20/7/2022: the mid-year reports are late
    board = await _person(bot, telegram, 7309, "Ban Thi đua tỉnh", None, Role.PROVINCE)
    async with _client(bot, board) as client:
        overview = await client.get("/web/overview")
        assert overview.status_code == 200
        assert "Cụm thi đua vùng thấp" in overview.text and "Cụm thi đua vùng cao" in overview.text
        assert f'href="/web/c/{high}/status"' in overview.text
        assert "&lt;script&gt;alert(1)&lt;/script&gt; Mường Chà" in overview.text  # late
        assert "<script>" not in overview.text
        matrix = await client.get(f"/web/c/{high}/status")
        assert matrix.status_code == 200 and "<script>" not in matrix.text
        assert "&lt;script&gt;alert(1)&lt;/script&gt; Mường Chà" in matrix.text
        unit = await client.get(f"/web/c/{high}/unit/MC")
        assert unit.status_code == 200 and "<script>" not in unit.text
        assert (await client.get(f"/web/c/{high}/remind")).status_code == 403  # reads only


async def test_the_ranking_with_its_chart_and_workbook(
    bot: Harness, telegram: FakeTelegram
) -> None:
    services = _services(bot)
    low = services.year.cluster_id
    member = await _person(bot, telegram, 7305, "Lò Văn Minh", "MA", Role.MEMBER)
    chair = await _person(bot, telegram, 7306, "Vũ Văn Đức", "TG", Role.CHAIR)
    now = services.clock.now()
    member_actor = await services.officers.actor("telegram", "7305", now)
    chair_actor = await services.officers.actor("telegram", "7306", now)
    assert member_actor is not None and chair_actor is not None
    table = services.cluster_year.scoring
    assert table is not None
    entries = SheetEntries()
    for criterion in table.criteria():
        entries = entries.scored(criterion.code, 1.0, criterion.max)
    await self_scoring.send(services, member_actor, entries)
    async with _client(bot, member) as client:
        hidden = await client.get(f"/web/c/{low}/ranking")
        assert "khi Trưởng Cụm công bố" in hidden.text and "ranking.png" not in hidden.text
        assert (await client.get(f"/web/c/{low}/ranking.xlsx")).status_code == 404
        unit = await client.get(f"/web/c/{low}/unit/MA")
        assert "Tổng điểm tự chấm" in unit.text
    assert await score_lock.lock(services, chair_actor, "hội nghị tổ chức sớm") is True
    await ranking.publish(services, chair_actor)
    async with _client(bot, chair) as client:
        page = await client.get(f"/web/c/{low}/ranking")
        assert page.status_code == 200 and "Mường Ảng" in page.text
        assert "ranking.png?year=2022" in page.text and "document/bien-ban" in page.text
        chart = await client.get(f"/web/c/{low}/ranking.png?year=2022")
        assert chart.headers["content-type"] == "image/png" and chart.content[:4] == b"\x89PNG"
        book = await client.get(f"/web/c/{low}/ranking.xlsx?year=2022")
        assert "xep-hang-2022.xlsx" in book.headers["content-disposition"]
        assert load_workbook(io.BytesIO(book.content)).sheetnames
        minutes = await client.get(f"/web/c/{low}/document/bien-ban?year=2022")
        assert minutes.status_code == 200 and minutes.content.startswith(b"PK")
        assert ".docx" in minutes.headers["content-disposition"]
        assert (await client.get(f"/web/c/{low}/document/khong-co")).status_code == 404
    async with _client(bot, member) as client:
        assert (await client.get(f"/web/c/{low}/document/bien-ban")).status_code == 403
    board = await _person(bot, telegram, 7307, "Ban Thi đua tỉnh", None, Role.PROVINCE)
    async with _client(bot, board) as client:
        overview = await client.get("/web/overview")
        assert "1. Huyện Mường Ảng (" in overview.text  # the published ranking's first


async def test_an_officer_sends_the_filled_score_form_on_the_pages(
    bot: Harness, telegram: FakeTelegram
) -> None:
    """The same reading as the form sent in chat: the draft takes the form's scores and the
    answer, with the total and the confirmation, comes in the officer's chat; a form that is
    no workbook is refused on the page and changes nothing."""
    services = _services(bot)
    member = await _person(bot, telegram, 7321, "Lò Văn Minh", "MA", Role.MEMBER)
    table = services.cluster_year.scoring
    assert table is not None
    cluster = services.cluster_year.cluster
    blank = score_form(table, cluster.name, "Huyện Mường Ảng", 2022, None, translator("vi"), "vi")
    filled, total = fill_form(blank, table)
    async with _client(bot, member) as client:
        page = await client.get("/web/score-form")
        [action] = re.findall(r'action="(/web/score-form[^"]+)"', page.text)
        action = action.replace("&amp;", "&")
        junk = {"files": ("bang-diem.xlsx", b"not a workbook", XLSX_MIME)}
        refused = await client.post(action, files=junk)
        assert refused.status_code == 400 and 'class="error"' in refused.text
        read = await client.post(action, files={"files": ("bang-diem.xlsx", filled, XLSX_MIME)})
        assert read.status_code == 200 and "trong cuộc trò chuyện" in read.text
        no_token = action.split("?")[0] + "?form=" + "0" * 32
        assert (await client.post(no_token, files={"files": ("b.xlsx", filled)})).status_code == 403
    answer = await member.next_message()
    assert number(total, "vi") in answer.text and "Gửi Trưởng Cụm" in str(answer.buttons)
