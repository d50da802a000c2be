"""Self-scoring, the chair's review, the unit's explanation, the lock and the ranking with its
chart and workbook — on Telegram and on Zalo."""

from __future__ import annotations

import io
import re

import httpx
from openpyxl import load_workbook

from bot.domain.access import Role
from tests.e2e.test_scenarios import join
from tests.platforms import Person, Platform

QUALITATIVE = {"II.1", "II.2", "III.1"}
CODES = ["I.1", "I.2", "I.3", "I.4", "II.1", "II.2", "II.3", "III.1", "III.2", "III.3"]
BARRED = "chưa đủ điều kiện đề nghị khen thưởng"
FULL = {"I.1": "8", "I.2": "100", "I.3": "3", "I.4": "4", "II.3": "5", "III.2": "90", "III.3": "0"}


async def score(person: Person, answers: dict[str, str], bonus: bool) -> str:
    """Answer every criterion as a person would; returns the bot's last answer."""
    prompt = await person.ask("/chamdiem")
    for code in CODES:
        assert f"{code}. " in prompt.text, prompt.text
        answer = answers.get(code, "Đạt")
        if code in QUALITATIVE:
            echoed = await person.choose(prompt, answer)
        else:
            echoed = await person.ask(answer)
        assert echoed.text.startswith(f"{code}: "), echoed.text
        prompt = await person.next()
    assert prompt.text.startswith("Điểm thưởng:")
    review = await person.choose(prompt, "Có" if bonus else "Không")
    assert review.text.startswith("Điểm tự chấm hiện tại:")
    return (await person.choose(review, "Gửi bảng điểm")).text


async def test_scores_review_lock_and_ranking(platform: Platform) -> None:
    units = {
        "TG": Role.CHAIR,
        "MA": Role.MEMBER,
        "DB": Role.MEMBER,
        "ML": Role.MEMBER,
        "DBP": Role.MEMBER,
    }
    people = {code: platform.person(n, f"Cán bộ {code}") for n, code in enumerate(units, start=1)}
    for code, role in units.items():
        await join(platform, people[code], code, role)
    chair = people["TG"]
    for _ in range(4):
        await chair.next()  # four members joined

    # Mường Ảng first types an out-of-range value, then a comma decimal.
    ma = people["MA"]
    prompt = await ma.ask("/chamdiem")
    for code in CODES[:-1]:
        if code in QUALITATIVE:
            await ma.choose(prompt, "Đạt")
        else:
            await ma.ask(FULL[code])
        prompt = await ma.next()
    refused = await ma.ask("12")
    assert (
        refused.text
        == "Giá trị nằm ngoài khoảng cho phép: từ -10 đến 10. Anh/chị vui lòng nhập lại."
    )
    assert (await ma.ask("4,5")).text == "III.3: 4,5 điểm."
    grounds = await ma.choose(await ma.next(), "Có")
    assert grounds.text.startswith("Anh/chị nhập căn cứ của B.1")
    review = await ma.ask("Quyết định số 1234/QĐ-UBND ngày 20/11/2022")
    assert "B.1 " in review.text and "(Quyết định số 1234/QĐ-UBND ngày 20/11/2022)" in review.text
    assert "Tổng: 104,5 điểm" in review.text
    sent = await ma.choose(review, "Gửi bảng điểm")
    assert sent.text.startswith("Đã gửi: lần 1, 104,5 điểm.")

    assert (await score(people["TG"], FULL, bonus=False)).startswith("Đã gửi: lần 1, 90 điểm.")
    assert (await score(people["DB"], FULL | {"III.3": "2"}, bonus=False)).startswith(
        "Đã gửi: lần 1, 92 điểm."
    )
    assert (await score(people["ML"], FULL | {"I.1": "6"}, bonus=False)).startswith(
        "Đã gửi: lần 1, 87,5 điểm."
    )
    dbp = FULL | {"I.2": "95", "III.3": "7"}
    assert (await score(people["DBP"], dbp, bonus=False)).startswith("Đã gửi: lần 1, 87 điểm.")
    for _ in range(4):
        assert (await chair.next()).text.startswith("📊 ")

    # The chair lowers Điện Biên's II.2 with a reason; the unit explains.
    menu = await chair.ask("/duyetdiem")
    summary = await chair.choose(menu, "Huyện Điện Biên")
    assert "II.2: 10 / 10" in summary.text and "Tổng: 92 điểm" in summary.text
    ask = await chair.choose(summary, "Điều chỉnh II.2")
    assert "nhập điểm duyệt (từ 0 đến 10) và lý do" in ask.text
    assert (await chair.ask("5")).text.startswith("Anh/chị nhập điểm rồi đến lý do")
    done = await chair.ask("5 nộp báo cáo 6 tháng trễ hạn")
    assert done.text.startswith("Đã ghi: II.2 của DB là 5 điểm.")
    db = people["DB"]
    told = await db.next()
    assert told.text.startswith("Trưởng Cụm đã điều chỉnh điểm II.2 của đơn vị: 10 → 5.")
    await db.choose(told, "Giải trình")
    assert (
        await db.ask("Báo cáo gửi qua đường bưu điện đúng hạn")
    ).text == "Đã gửi giải trình cho Trưởng Cụm."
    assert (await chair.next()).text.startswith("Huyện Điện Biên (DB) giải trình về II.2:")

    # March: the annual report with the self-score is due on 31/12, so the lock takes a reason
    lock = await chair.ask("/chotdiem")
    assert lock.text.startswith("Hạn gửi bảng tự chấm điểm là hết ngày 31/12/2022")
    locked = await chair.ask("Thử nghiệm quy trình chấm điểm")
    assert locked.text.startswith("Đã chốt điểm.")
    assert (await db.ask("/chamdiem")).text == "Trưởng Cụm đã chốt điểm, không thể thay đổi nữa."

    await chair.send("/xephang")
    text, chart, book = await chair.next(), await chair.next(), await chair.next()
    # no member has sent its annual report: none may be proposed, and the ranking says why
    lines = [line for line in text.text.splitlines() if BARRED not in line]
    assert text.text.count(BARRED) == 4
    assert lines[1] == "1. Huyện Mường Ảng — 104,5 điểm — Hoàn thành xuất sắc nhiệm vụ"
    assert lines[2].startswith(
        "2. Huyện Tuần Giáo — 90 điểm — Hoàn thành xuất sắc nhiệm vụ — đề nghị tặng Cờ thi đua"
    )
    assert lines[3] == "3. Thị xã Mường Lay — 87,5 điểm — Hoàn thành tốt nhiệm vụ"
    assert lines[4] == "4. Huyện Điện Biên — 87 điểm — Hoàn thành tốt nhiệm vụ"
    assert lines[5] == "   (bằng điểm, xếp trên theo điểm nhóm I)"
    assert lines[6] == "5. Thành phố Điện Biên Phủ — 87 điểm — Hoàn thành tốt nhiệm vụ"
    assert chart.method == "sendPhoto" and chart.file_data.startswith(b"\x89PNG")
    workbook = await _workbook_bytes(platform, book.method, book.file_data, book.text)
    sheet = load_workbook(io.BytesIO(workbook))["Tổng hợp"]
    assert sheet["A1"].value == "KẾT QUẢ XẾP HẠNG — Cụm thi đua vùng thấp năm 2022"
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=2, max_row=7)]
    assert rows[0] == [
        "Xếp hạng",
        "Đơn vị",
        "Tự chấm",
        "Điểm duyệt",
        "Xếp loại",
        "Đề nghị khen thưởng",
        "Trưởng, phó",
    ]
    assert rows[1] == [
        1,
        "Huyện Mường Ảng",
        104.5,
        104.5,
        "Hoàn thành xuất sắc nhiệm vụ",
        BARRED + ": chưa gửi Báo cáo kết quả thi đua năm 2022 kèm bảng tự chấm điểm",
        None,
    ]
    assert rows[2][:4] == [2, "Huyện Tuần Giáo", 90, 90] and rows[2][5] == "Cờ thi đua"
    assert rows[2][6] == "Trưởng Cụm"
    assert rows[4][:4] == [4, "Huyện Điện Biên", 92, 87] and str(rows[4][5]).startswith(BARRED)
    assert sheet.freeze_panes == "A3"
    refused = await people["MA"].ask("/xephang")
    assert refused.text == "Kết quả xếp hạng sẽ hiện khi Trưởng Cụm công bố."
    published = await chair.choose(book, "Công bố cho tất cả cán bộ")
    assert published.text == "Kết quả đang được gửi tới 5 cuộc trò chuyện."  # every officer
    got = await people["MA"].next()
    assert got.method == "sendPhoto" and "1. Huyện Mường Ảng — 104,5 điểm" in got.text
    assert (await people["MA"].ask("/xephang")).text.startswith("KẾT QUẢ XẾP HẠNG")
    unit_sheet = load_workbook(io.BytesIO(workbook))["DB"]
    ii2 = next(r for r in unit_sheet.iter_rows(values_only=True) if str(r[0]).startswith("II.2"))
    assert ii2[1:5] == (10, 10, 5, "nộp báo cáo 6 tháng trễ hạn")
    ma_sheet = load_workbook(io.BytesIO(workbook))["MA"]
    b1 = next(r for r in ma_sheet.iter_rows(values_only=True) if str(r[0]).startswith("B.1 "))
    assert b1[2] == 10 and b1[4] == "Quyết định số 1234/QĐ-UBND ngày 20/11/2022"


async def _workbook_bytes(platform: Platform, method: str, data: bytes, text: str) -> bytes:
    if platform.name == "telegram":
        assert method == "sendDocument"
        return data
    [url] = re.findall(r"http://127\.0\.0\.1:\d+/d/[\w-]+", text)  # Zalo: a download link
    async with httpx.AsyncClient() as client:
        return (await client.get(url)).content


async def test_a_score_draft_survives_a_restart(platform: Platform) -> None:
    officer = platform.person(1, "Cán bộ Mường Lay")
    await join(platform, officer, "ML", Role.MEMBER)
    await officer.ask("/chamdiem")
    await officer.ask("6,8")
    await officer.next()
    await officer.ask("100")
    await officer.next()
    await platform.harness.restart()
    offer = await officer.next()
    assert offer.text.startswith("Bot vừa khởi động lại. Anh/chị còn việc tự chấm điểm đang làm dở")
    prompt = await officer.choose(offer, "Làm tiếp")
    assert prompt.text.startswith("I.3. ")
    review = await officer.ask("Xem lại")
    assert "   I.1: 8,5 / 10" in review.text and "   I.2: 10 / 10" in review.text
    assert "Chưa chấm: I.3, I.4" in review.text
