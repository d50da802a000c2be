"""The offline demonstration of a cluster year: the real bot against the local fake Telegram and
Zalo servers, on an accelerated clock, with scripted officers of the five seed units.

Officers join by invitation (some on Telegram, some on Zalo), get reminders across the year,
send reports (one late, one through an upload link), self-score, are reviewed, receive the
ranking with its chart and workbook, and acknowledge an announcement; the cross-inspection round
is set up, one unit's minutes go in and the unit it inspected answers. Then the year ends: the
review-and-vote conference votes by secret ballot for the Flag (one unit late and reminded, one
trying to vote twice), the chair drafts the year-end report, the minutes and the proposal with
/vanban (written beside the workbook), hands over to Mường Ảng for 2023, the new chair sends
the pact, two units sign, the others are reminded, and 2022 is still there to read. The
transcript is printed in Vietnamese with dates; it and the artefacts go to an output folder
the demo names.
"""

from __future__ import annotations

import asyncio
import io
import logging
import re
import tempfile
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
from docx import Document
from matplotlib.figure import Figure
from pydantic import SecretStr

from bot.app import BotApp
from bot.clock import FixedClock
from bot.config import BUNDLED_CLUSTER, Settings
from bot.domain.access import Role
from bot.domain.invitations import NewInvitation
from bot.fakes.base import Sent
from bot.fakes.demo_people import Person, person_on
from bot.fakes.telegram_server import FakeTelegram
from bot.fakes.zalo_server import FakeZalo
from bot.outputs.docx_render import pdf_available
from bot.usecases import exports, invitations

__all__ = ["run_demo"]

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
CODE = re.compile(r"CTD(?:-[0-9A-Z]{4}){5}")
QUALITATIVE = {"II.1", "II.2", "III.1"}
CODES = ["I.1", "I.2", "I.3", "I.4", "II.1", "II.2", "II.3", "III.1", "III.2", "III.3"]
BONUS_GROUNDS = "Quyết định số 2345/QĐ-UBND ngày 20/11/2022 của UBND tỉnh tặng Cờ thi đua"
FULL = {"I.1": "8", "I.2": "100", "I.3": "3", "I.4": "4", "II.3": "5", "III.2": "90", "III.3": "0"}


def _docx(title: str) -> bytes:
    document = Document()
    document.add_heading(title, level=1)
    document.add_paragraph("Kết quả thực hiện các phong trào thi đua, công tác khen thưởng.")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _pdf(title: str) -> bytes:
    figure = Figure(figsize=(8.27, 11.69))
    figure.text(0.1, 0.9, title, fontsize=14)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="pdf")
    return buffer.getvalue()


class Scene:
    """The bot, the people, the clock and the transcript of one demonstration."""

    def __init__(self, app: BotApp, clock: FixedClock, out: Path) -> None:
        self.app, self.clock, self.out = app, clock, out
        self.people: dict[str, Person] = {}
        self.names: dict[int, str] = {}
        self.lines: list[str] = []

    def _stamp(self) -> str:
        return (
            self.clock.now()
            .astimezone(ZONE)
            .strftime("%d/%m/%Y %H:%M")
            .lstrip("0")
            .replace("/0", "/")
        )

    def log(self, line: str) -> None:
        self.lines.append(line)
        print(line, flush=True)

    def heard(self, person: Person, sent: Sent) -> Sent:
        body = sent.text or f"[{sent.method}]"
        if sent.buttons:
            body += "\n" + "  ".join(f"[{label}]" for label, _data in sent.buttons)
        if sent.method == "editMessageText":
            body = "(sửa tin) " + body
        self.log(f"[{self._stamp()}] 🤖 → {person.raw.name}: " + body.replace("\n", "\n      "))
        return sent

    async def say(self, person: Person, text: str) -> Sent:
        self.log(f"[{self._stamp()}] 👤 {person.raw.name} ({person.platform}): {text}")
        return self.heard(person, await person.ask(text))

    async def choose(self, person: Person, message: Sent, label: str) -> Sent:
        self.log(f"[{self._stamp()}] 👤 {person.raw.name} ({person.platform}) chọn: {label}")
        return self.heard(person, await person.choose(message, label))

    async def hear(self, person: Person) -> Sent:
        return self.heard(person, await person.next())

    async def settle(self) -> None:
        """Let the outbox deliver everything due now, then show what everyone received."""
        while not await self.app.delivered_all():
            await asyncio.sleep(0.05)
        for person in self.people.values():
            queue = person.raw.server.queue(person.raw.chat_id)
            while not queue.empty():
                person.last = self.heard(person, queue.get_nowait())

    async def travel(self, day: str, hour: int = 8, minute: int = 5) -> None:
        moment = datetime.strptime(day, "%d/%m/%Y").replace(hour=hour, minute=minute, tzinfo=ZONE)
        self.clock.set(moment)
        self.log(f"\n— {moment:%d/%m/%Y} —")
        assert self.app.reminders is not None
        await self.app.reminders.tick()
        await self.settle()


async def _join(scene: Scene, chair: Person, code: str, person: Person, unit: str) -> None:
    menu = await scene.say(chair, "/moi")
    invitation = await scene.choose(chair, menu, f"({code})")
    [typed] = CODE.findall(invitation.text)
    text = f"/start {typed.replace('-', '')}" if person.platform == "telegram" else typed
    await scene.say(person, text)
    await scene.settle()


async def _score(scene: Scene, person: Person, answers: dict[str, str], bonus: bool) -> None:
    prompt = await person.ask("/chamdiem")
    for code in CODES:
        answer = answers.get(code, "Đạt")
        if code in QUALITATIVE:
            await person.choose(prompt, answer)
        else:
            await person.ask(answer)
        prompt = await person.next()
    review = await person.choose(prompt, "Có" if bonus else "Không")
    if bonus:  # a bonus declared takes its grounds, shown on the sheet and in the documents
        review = await person.ask(BONUS_GROUNDS)
    sent = await person.choose(review, "Gửi bảng điểm")
    scene.log(f"[{scene._stamp()}] 👤 {person.raw.name} tự chấm điểm 10 tiêu chí.")
    scene.heard(person, sent)


async def _story(scene: Scene, telegram: FakeTelegram, zalo: FakeZalo) -> None:
    app = scene.app
    services = app.services
    assert services is not None
    people = scene.people
    people["TG"] = chair = person_on(telegram, 101, "Vũ Văn Đức")
    people["MA"] = person_on(telegram, 102, "Lò Thị Hằng")
    people["DB"] = person_on(zalo, 103, "Quàng Văn Bình")
    people["ML"] = person_on(telegram, 104, "Tòng Thị Mai")
    people["DBP"] = person_on(zalo, 105, "Nguyễn Thị Lan")

    scene.log("— Bản trình diễn ngoại tuyến: một năm của Cụm thi đua vùng thấp (Điện Biên, 2022) —")
    await scene.travel("14/03/2022", 9, 0)
    made = await invitations.invite(services, "TG", Role.CHAIR, None)
    assert isinstance(made, NewInvitation)
    scene.log(
        "(Quản trị viên cấp mã mời cho Trưởng Cụm bằng lệnh: cumthidua invite create --unit TG)"
    )
    await scene.say(chair, f"/start {made.code}")
    for unit in ("MA", "DB", "ML", "DBP"):
        await _join(scene, chair, unit, people[unit], unit)

    await scene.travel("23/06/2022")
    ma = people["MA"]
    menu = await scene.say(ma, "/nopbaocao")
    prompt = await scene.choose(ma, menu, "6 tháng")
    ma.raw.send_document(
        "bao-cao-6-thang-MA.docx", _docx("Báo cáo 6 tháng đầu năm 2022 — Mường Ảng")
    )
    scene.log(f"[{scene._stamp()}] 👤 {ma.raw.name} gửi tệp bao-cao-6-thang-MA.docx")
    await scene.hear(ma)
    summary = await scene.say(ma, "Xong")
    await scene.choose(ma, summary, "Gửi Trưởng Cụm")
    await scene.settle()

    await scene.travel("27/06/2022")
    dbp = people["DBP"]
    menu = await scene.say(dbp, "/nopbaocao")
    prompt = await scene.choose(dbp, menu, "6 tháng")
    [url] = re.findall(r"http://127\.0\.0\.1:\d+/u/[\w-]+", prompt.text)
    scene.log(
        f"[{scene._stamp()}] 🌐 {dbp.raw.name} mở đường dẫn tải lên và gửi bao-cao-6-thang-DBP.pdf"
    )
    async with httpx.AsyncClient(timeout=30) as client:
        page = await client.post(
            url,
            files={"files": ("bao-cao-6-thang-DBP.pdf", _pdf("Báo cáo 6 tháng — Điện Biên Phủ"))},
        )
    assert page.status_code == 200
    await scene.settle()

    await scene.travel("29/06/2022")
    db = people["DB"]
    menu = await scene.say(db, "/nopbaocao")
    prompt = await scene.choose(db, menu, "6 tháng")
    [url] = re.findall(r"http://127\.0\.0\.1:\d+/u/[\w-]+", prompt.text)
    async with httpx.AsyncClient(timeout=30) as client:
        await client.post(
            url, files={"files": ("bao-cao-6-thang-DB.docx", _docx("Báo cáo 6 tháng — Điện Biên"))}
        )
    scene.log(f"[{scene._stamp()}] 🌐 {db.raw.name} gửi báo cáo qua đường dẫn tải lên")
    await scene.settle()

    await scene.travel("30/06/2022")
    await scene.travel("04/07/2022")
    ml = people["ML"]
    menu = await scene.say(ml, "/nopbaocao")
    await scene.choose(ml, menu, "6 tháng")
    ml.raw.send_document("bao-cao-6-thang-ML.pdf", _pdf("Báo cáo 6 tháng — Mường Lay"))
    scene.log(f"[{scene._stamp()}] 👤 {ml.raw.name} gửi tệp bao-cao-6-thang-ML.pdf (trễ hạn)")
    await scene.hear(ml)
    summary = await scene.say(ml, "Xong")
    await scene.choose(ml, summary, "Gửi Trưởng Cụm")
    await scene.settle()
    status = await scene.say(chair, "/tiendo")
    (scene.out / "tien-do.txt").write_text(status.text, encoding="utf-8")
    await _web_pages(scene, telegram)
    await _inspection(scene)

    await scene.travel("15/12/2022", 9, 0)
    answers = {
        "TG": (FULL, False),
        "MA": (FULL | {"III.3": "4,5"}, True),
        "DB": (FULL | {"III.3": "2"}, False),
        "ML": (FULL | {"I.1": "6"}, False),
        "DBP": (FULL | {"I.2": "95", "III.3": "7"}, False),
    }
    for unit, (values, bonus) in answers.items():
        await _score(scene, people[unit], values, bonus)
    await scene.settle()
    menu = await scene.say(chair, "/duyetdiem")
    summary = await scene.choose(chair, menu, "Huyện Điện Biên")
    await scene.choose(chair, summary, "Điều chỉnh II.2")
    await scene.say(chair, "5 báo cáo 6 tháng gửi sát hạn, thiếu số liệu")
    await scene.settle()
    told = people["DB"].last
    assert told is not None
    await scene.choose(db, told, "Giải trình")
    await scene.say(db, "Số liệu đã bổ sung trong báo cáo năm.")
    await scene.settle()
    # the annual report with the self-score is due on 31/12: the lock waits for it
    await scene.say(chair, "/chotdiem")
    await scene.say(chair, "/huy")
    await _annual_reports(scene)
    await scene.travel("03/01/2023", 9, 0)
    lock = await scene.say(chair, "/chotdiem")
    await scene.choose(chair, lock, "Đồng ý chốt")

    await scene.travel("10/01/2023", 9, 0)
    await chair.send("/xephang")
    scene.log(f"[{scene._stamp()}] 👤 {chair.raw.name} (telegram): /xephang")
    ranking, chart, book = (
        (await scene.hear(chair)),
        (await scene.hear(chair)),
        (await scene.hear(chair)),
    )
    (scene.out / "xep-hang.txt").write_text(ranking.text, encoding="utf-8")
    (scene.out / "xep-hang.png").write_bytes(chart.file_data)
    (scene.out / "xep-hang-2022.xlsx").write_bytes(book.file_data)

    await scene.say(chair, "/thongbao")
    who = await scene.say(
        chair,
        "Hội nghị tổng kết Cụm thi đua vùng thấp năm 2022: 8 giờ ngày 15/3/2023"
        " tại UBND huyện Tuần Giáo.",
    )
    when = await scene.choose(chair, who, "Tất cả cán bộ")
    await scene.choose(chair, when, "Gửi ngay")
    await scene.hear(chair)
    question = await scene.hear(chair)
    await scene.choose(chair, question, "Gửi")
    await scene.settle()
    for unit in ("MA", "DB"):
        person = people[unit]
        if person.last is not None:
            await scene.choose(person, person.last, "Đã nhận")
    await asyncio.sleep(0.2)  # the progress tracker runs every 0.05 s
    await scene.settle()
    await scene.say(chair, "/thongbao")  # the receipts per unit, then the composing question
    await scene.hear(chair)
    await scene.say(chair, "/huy")

    await _next_year(scene)


async def _annual_reports(scene: Scene) -> None:
    """Late December: every member sends its annual report, which carries the self-score."""
    await scene.travel("28/12/2022", 9, 0)
    for unit in ("MA", "DB", "ML", "DBP"):
        person = scene.people[unit]
        menu = await scene.say(person, "/nopbaocao")
        prompt = await scene.choose(person, menu, "kèm bảng tự chấm")
        name = f"bao-cao-nam-2022-{unit}.docx"
        scene.log(f"[{scene._stamp()}] 👤 {person.raw.name} gửi tệp {name}")
        answers = await person.send_files(prompt, [(name, _docx(f"Báo cáo năm 2022 — {unit}"))])
        for answer in answers:
            scene.heard(person, answer)
        if person.platform == "telegram":
            summary = await scene.say(person, "Xong")
            await scene.choose(person, summary, "Gửi Trưởng Cụm")
    await scene.settle()


async def _web_pages(scene: Scene, telegram: FakeTelegram) -> None:
    """The province's board signs in to the web pages and saves the overview and the cluster's
    matrix (with the style sheet beside them, so they open as they were shown)."""
    services = scene.app.services
    assert services is not None
    made = await invitations.invite(services, None, Role.PROVINCE, None)
    assert isinstance(made, NewInvitation)
    board = person_on(telegram, 109, "Ban Thi đua - Khen thưởng tỉnh")
    scene.log(
        "(Quản trị viên cấp mã mời cho Ban Thi đua tỉnh: cumthidua invite create --role province)"
    )
    await scene.say(board, f"/start {made.code}")
    answer = await scene.say(board, "/web")
    [url] = re.findall(r"http://127\.0\.0\.1:\d+/web/signin/[\w-]+", answer.text)
    cluster = services.year.cluster_id
    pages = {"tong-quan.html": "/web/overview", "tien-do.html": f"/web/c/{cluster}/status"}
    async with httpx.AsyncClient(base_url=services.web_url, timeout=30) as client:
        await client.post(url)
        for name, path in pages.items():
            page = await client.get(path)
            assert page.status_code == 200, page.text
            text = page.text.replace('href="/web/style.css"', 'href="style.css"')
            (scene.out / name).write_text(text, encoding="utf-8")
        style = await client.get("/web/style.css")
        (scene.out / "style.css").write_text(style.text, encoding="utf-8")
    scene.log(f"[{scene._stamp()}] 🌐 {board.raw.name} mở trang tổng quan và tiến độ của Cụm")


async def _inspection(scene: Scene) -> None:
    """The cross-inspection round: the chair keeps the proposed pairs and sets the due date,
    every inspecting unit is told; Mường Ảng sends its minutes through the report intake, the
    unit it inspected is told and answers with an explanation; the chair sees the round."""
    people, services = scene.people, scene.app.services
    assert services is not None
    chair, ma = people["TG"], people["MA"]
    await scene.travel("03/10/2022", 9, 0)
    pairs = await scene.say(chair, "/kiemtra")
    due = await scene.choose(chair, pairs, "Giữ các cặp này")
    preview = await scene.say(chair, "31/10/2022")
    await scene.choose(chair, preview, "Tổ chức đợt kiểm tra")
    await scene.settle()
    await scene.travel("20/10/2022")
    menu = await scene.say(ma, "/nopbaocao")
    await scene.choose(ma, menu, "Biên bản kiểm tra chéo")
    ma.raw.send_document("bien-ban-kiem-tra-MA.docx", _docx("Biên bản kiểm tra chéo năm 2022"))
    scene.log(f"[{scene._stamp()}] 👤 {ma.raw.name} gửi tệp bien-ban-kiem-tra-MA.docx")
    await scene.hear(ma)
    summary = await scene.say(ma, "Xong")
    await scene.choose(ma, summary, "Gửi Trưởng Cụm")
    await scene.settle()
    pairs = await exports.inspection_lines(services)
    assert pairs is not None
    inspected = people[next(line.pair.inspected for line in pairs if line.pair.inspector == "MA")]
    assert inspected.last is not None and due is not None
    prompt = await scene.choose(inspected, inspected.last, "Giải trình")
    assert prompt is not None
    await scene.say(inspected, "Đơn vị đã bổ sung hồ sơ đề nghị khen thưởng còn thiếu.")
    await scene.settle()
    status = await scene.say(chair, "/kiemtra")
    (scene.out / "kiem-tra-cheo.txt").write_text(status.text, encoding="utf-8")


async def _cast(scene: Scene, person: Person, ballot: Sent, candidate: str) -> None:
    menu = await scene.choose(person, ballot, "Bỏ phiếu")
    menu = await scene.choose(person, menu, candidate)
    preview = await scene.choose(person, menu, "Xem lại và bỏ phiếu")
    await scene.choose(person, preview, "Bỏ lá phiếu")


async def _vote(scene: Scene) -> None:
    """The review-and-vote conference: the chair opens the ballot for the Flag, four units vote
    (one on Zalo by number), Mường Lay is late and reminded, Điện Biên tries to vote twice; at
    the close every officer gets the counts and the result."""
    people = scene.people
    chair = people["TG"]
    await scene.travel("15/03/2023", 8, 0)
    scene.log("(Hội nghị bình xét thi đua năm 2022: bỏ phiếu kín đề nghị Cờ thi đua)")
    menu = await scene.say(chair, "/bophieu")
    titles = await scene.choose(chair, menu, "Mở cuộc bỏ phiếu mới")
    candidates = await scene.choose(chair, titles, "Cờ thi đua")
    candidates = await scene.say(chair, "MA DBP TG")
    seats = await scene.choose(chair, candidates, "Giữ các ứng viên này")
    closes = await scene.choose(chair, seats, "1 đơn vị")
    preview = await scene.choose(chair, closes, "Sau 2 giờ")
    await scene.choose(chair, preview, "Mở bỏ phiếu")
    await scene.settle()
    for unit, candidate in (("MA", "(MA)"), ("DB", "(MA)"), ("DBP", "(DBP)"), ("TG", "(MA)")):
        person = people[unit]
        assert person.last is not None
        await _cast(scene, person, person.last, candidate)
    await scene.say(people["DB"], "/bophieu")  # a second try: politely refused
    await scene.travel("15/03/2023", 9, 5)  # half-way: Mường Lay has not voted and is reminded
    late = people["ML"]
    assert late.last is not None
    await _cast(scene, late, late.last, "(MA)")
    await scene.travel("15/03/2023", 10, 5)  # the close: counts and result to every officer


async def _documents(scene: Scene) -> None:
    """The chair's documents of 2022 from /vanban, written beside the workbook."""
    chair = scene.people["TG"]
    files = 2 if pdf_available() else 1
    for label in (
        "Báo cáo tổng kết năm",
        "Biên bản họp bình xét",
        "Tờ trình đề nghị khen thưởng",
    ):
        menu = await scene.say(chair, "/vanban")
        first = await scene.choose(chair, menu, label)
        for sent in [first, *[await scene.hear(chair) for _ in range(files - 1)]]:
            name = sent.file_name or "van-ban.docx"
            (scene.out / name).write_bytes(sent.file_data)


async def _next_year(scene: Scene) -> None:
    """2023: Tuần Giáo hands over to Mường Ảng, the new chair sends the pact, two units sign,
    the others are reminded, and 2022 is still there to read."""
    people = scene.people
    chair, new_chair = people["TG"], people["MA"]
    await _vote(scene)
    await _documents(scene)
    await scene.travel("15/03/2023", 10, 30)
    scene.log("(Hội nghị tổng kết năm 2022: bàn giao Trưởng Cụm năm 2023 và ký kết giao ước)")
    menu = await scene.say(chair, "/bangiao")
    deputy = await scene.choose(chair, menu, "Mường Ảng")
    plan = await scene.choose(chair, deputy, "Điện Biên (DB)")
    preview = await scene.choose(chair, plan, "Mang kế hoạch")
    await scene.choose(chair, preview, "Xác nhận bàn giao")  # minutes are still open: a reason
    await scene.say(chair, "Các đơn vị đã báo cáo kết quả kiểm tra chéo tại hội nghị tổng kết.")
    await scene.settle()
    preview = await scene.say(new_chair, "/xacnhankehoach")
    await scene.choose(new_chair, preview, "Xác nhận tất cả")
    await scene.say(new_chair, "/giaouoc")
    preview = await scene.say(
        new_chair,
        "Các đơn vị thành viên Cụm thi đua vùng thấp cam kết thi đua hoàn thành thắng lợi "
        "các chỉ tiêu kinh tế - xã hội, quốc phòng - an ninh năm 2023.",
    )
    await scene.choose(new_chair, preview, "Gửi giao ước")
    await scene.settle()
    for unit in ("TG", "DB"):
        person = people[unit]
        assert person.last is not None
        await scene.choose(person, person.last, "Đồng ý ký kết")
    await scene.settle()
    await scene.travel("17/03/2023")  # the unsigned are reminded
    status = await scene.say(new_chair, "/giaouoc")
    (scene.out / "giao-uoc-2023.txt").write_text(status.text, encoding="utf-8")
    await scene.say(chair, "/tiendo 2022")
    await chair.send("/xephang 2022")
    scene.log(f"[{scene._stamp()}] 👤 {chair.raw.name} (telegram): /xephang 2022")
    await scene.hear(chair)
    await scene.hear(chair)
    await scene.hear(chair)
    await scene.say(new_chair, "/tiendo")


async def run_demo(settings: Settings, output: Path | None = None) -> int:
    logging.getLogger().setLevel(logging.WARNING)  # the transcript is the output
    out = output or Path("demo-output") / datetime.now().strftime("%Y%m%d-%H%M%S")
    out.mkdir(parents=True, exist_ok=True)
    clock = FixedClock(datetime(2022, 3, 14, 9, 0, tzinfo=ZONE))
    with tempfile.TemporaryDirectory(prefix="cumthidua-demo-") as data:
        async with FakeTelegram() as telegram, FakeZalo() as zalo:
            demo_settings = settings.model_copy(
                update={
                    "data_dir": Path(data),
                    "cluster_dir": BUNDLED_CLUSTER,  # the story's cluster, only ever here
                    "telegram_token": SecretStr(telegram.token),
                    "telegram_base_url": telegram.base_url,
                    "telegram_file_url": telegram.file_url,
                    "telegram_poll_timeout": 1,
                    "zalo_token": SecretStr(zalo.token),
                    "zalo_base_url": zalo.base_url,
                    "zalo_poll_timeout": 1,
                    "web_port": 0,
                    "send_per_second": 200,
                    "send_chat_interval": 0.01,
                    "send_group_interval": 0.05,
                    "reminder_tick_seconds": 3600,
                    "progress_tick_seconds": 0.05,
                    "flood_per_minute": 6000,  # its people answer a year's questions in seconds
                }
            )
            app = BotApp(demo_settings, clock)
            await app.start()
            scene = Scene(app, clock, out)
            try:
                await _story(scene, telegram, zalo)
            finally:
                await app.stop()
    (out / "transcript.txt").write_text("\n".join(scene.lines) + "\n", encoding="utf-8")
    print(
        f"\n— Kết thúc. Nhật ký và sản phẩm (biểu đồ, bảng tính, tiến độ) ở thư mục: {out} —",
        flush=True,
    )
    return 0
