"""Deadline-day benchmark: a province's last hours before a deadline, in one burst.

A province of 30 clusters × 8 units × 3 officers (720 officers, the database built before the
clock starts, as bench/history.py does). Every officer asks one status question (``/tiendo``
from the chair's unit, ``/toi`` from the others) and sends one file: the first officer of each
unit a 1–5 MB report (DOCX or PDF) as a Telegram document (/nopbaocao → 6 tháng → the file →
Xong → Gửi Trưởng Cụm), the second a report through an upload link (POST to /u/<token>; a busy
answer is retried after its Retry-After, as a patient officer does), the third the unit's filled
score form of 60 criteria (/chamdiem → the filled XLSX → Gửi Trưởng Cụm). Every file and form is
made before the clock starts. Our bot runs as a subprocess (``python -m bot run``), so its peak
RSS (VmHWM) and the bytes it wrote (/proc/<pid>/io write_bytes) are its own.

Beside it, on an identical fake server in the same run, the baseline: a bare aiogram bot that
downloads each document to disk and answers, sent the same files as Telegram documents and the
same number of text messages. It runs before and after ours in every round, and the ratio takes
the mean of its two rates, so that the machine's drift within a round weighs on both sides.

Prints files/s, the p50 and p99 of an officer's wait from sending the file to its receipt (the
simulated officer answers every question at once, so the wait is the bot's), the peak RSS, the
bytes written per byte received, whether every file got exactly one receipt, and last
``ratio_files=<ours / baseline>`` in files per second (target ≥ 0.5; p99 under 1.5 s, peak RSS
under 250 MB).

    PYTHONPATH=. .venv/bin/python bench/deadline_day.py [--scale 0.1]
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import io
import os
import random
import socket
import sqlite3
import statistics
import sys
import tempfile
import time
import zipfile
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

import aiohttp
from aiogram import Bot
from aiogram import Dispatcher as AiogramDispatcher
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.types import Message
from fpdf import FPDF
from PIL import Image

from bench._processes import children, cpu_seconds, status_kb, written_bytes
from bench.history import OFFICERS_PER_UNIT, UNITS, _year_data
from bot.app import open_services
from bot.clock import SystemClock
from bot.config import Settings
from bot.domain.scoring_import import read_scoring_table, to_scoring_table
from bot.domain.scoring_table import ScoringTable
from bot.fakes.telegram_server import FakeTelegram, FakeTelegramUser, Sent
from bot.i18n import translator
from bot.outputs.score_form import score_form
from bot.usecases.one_time_links import upload_url
from storage.clusters import ClusterRepository
from storage.database import Database
from storage.timestamps import to_db
from tests.documents import docx_bytes
from tests.score_forms import fill_form
from tests.scoring_corpus import sixty_criteria

CLUSTERS = 30
YEAR = 2026
FIRST_ID = 500_000
MB = 2**20
TIMEOUT = float(os.environ.get("BENCH_TIMEOUT", 600))
TELEGRAM_PER_SECOND = 30
"""What Telegram takes from one bot in a second: the real deadline day's floor, whatever the bot."""
TARGETS = {"ratio_files": 0.5, "p99_s": 1.5, "peak_rss_mb": 250}


@dataclass(frozen=True)
class Officer:
    id: int
    cluster: int
    unit: int
    seat: int
    """0: sends a report in chat, 1: through an upload link, 2: the unit's score form."""

    @property
    def chat(self) -> int:
        return FIRST_ID + self.id

    @property
    def unit_code(self) -> str:
        return f"C{self.cluster:02d}U{self.unit}"


DEPUTY = 100_000
"""A deputy's id: its chair-unit officer's id plus this."""


def _sender(o: Officer) -> Officer:
    """Who sends the file of this officer's seat: the chair's unit owes no report nor score, so
    a deputy of the member unit numbered after the seat sends it (a second version of that
    unit's), in a chat of its own, as soon as the chair-unit officer has the status answer."""
    if o.unit:
        return o
    return replace(o, id=o.id + DEPUTY, unit=1 + o.seat)


def _province(clusters: int) -> list[Officer]:
    return [
        Officer(1 + (c * UNITS + u) * OFFICERS_PER_UNIT + k, c, u, k)
        for c in range(clusters)
        for u in range(UNITS)
        for k in range(OFFICERS_PER_UNIT)
    ]


# Files, made before the clock -----------------------------------------------------------------


def _noise(size: int, rng: random.Random) -> bytes:
    return rng.randbytes(size)


def _report(n: int, rng: random.Random) -> tuple[str, bytes]:
    """A valid report of 1–5 MB: a DOCX with a stored (incompressible) media part, or a PDF
    with a noise image, every one different."""
    size = rng.randint(1 * MB, 5 * MB)
    if n % 2:
        buffer = io.BytesIO(docx_bytes(f"Báo cáo kết quả thi đua số {n}"))
        with zipfile.ZipFile(buffer, "a") as docx:
            docx.writestr("word/media/image1.bin", _noise(size, rng), zipfile.ZIP_STORED)
        return f"bao-cao-{n}.docx", buffer.getvalue()
    side = int((size / 3) ** 0.5)
    pdf = FPDF()
    pdf.set_font("helvetica", size=12)
    pdf.add_page()
    pdf.cell(0, 10, f"Bao cao ket qua thi dua so {n}")
    pdf.image(Image.frombytes("RGB", (side, side), _noise(side * side * 3, rng)), x=10, y=30, w=150)
    return f"bao-cao-{n}.pdf", bytes(pdf.output())


def _sixty(base: ScoringTable) -> ScoringTable:
    return to_scoring_table(read_scoring_table(sixty_criteria().data()), base)


def _filled_form(table: ScoringTable, officer: Officer) -> bytes:
    _ = translator("vi")
    cluster, unit = (
        f"Cụm thi đua số {officer.cluster + 1}",
        f"Xã Số {officer.cluster}-{officer.unit}",
    )
    blank = score_form(table, cluster, unit, YEAR, None, _, "vi")
    return fill_form(blank, table)[0]


# The province's database ---------------------------------------------------------------------


async def _build(data_dir: Path, officers: list[Officer], clusters: int) -> list[int]:
    """Every cluster-year with the 60-criterion table, every officer (and deputy, see
    ``_sender``) registered on Telegram; the cluster-years' ids."""
    settings = Settings(_env_file=None, data_dir=data_dir)
    db = await Database.open(settings.database_path)
    repo, now = ClusterRepository(db), datetime.now(UTC)
    table: ScoringTable | None = None
    year_ids = []
    for c in range(clusters):
        year = _year_data(c, YEAR)
        assert year.scoring is not None
        table = table or _sixty(year.scoring)
        saved = await repo.save_year(year.model_copy(update={"scoring": table}), "b", "b", now)
        year_ids.append(saved[0])
    stamp, people = to_db(now), [*officers, *(_sender(o) for o in officers if not o.unit)]
    async with db.transaction() as conn:
        await conn.executemany(
            "INSERT INTO officers (id, name, unit_code, role, is_primary, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            [
                (
                    o.id,
                    f"Cán bộ {o.id}",
                    o.unit_code,
                    "chair" if o.unit == 0 else "member",
                    int(o.seat == 0 and o.id < DEPUTY),
                    stamp,
                )
                for o in people
            ],
        )
        await conn.executemany(
            "INSERT INTO identities (channel, user_id, chat_id, officer_id, linked_at)"
            " VALUES ('telegram', ?, ?, ?, ?)",
            [(str(o.chat), str(o.chat), o.id, stamp) for o in people],
        )
    await db.close()
    return year_ids


async def _links(settings: Settings, senders: list[Officer], year_ids: list[int]) -> list[str]:
    """An upload link for each of these senders (the use case the chat calls)."""
    services = await open_services(settings, SystemClock())
    services.web_url = f"http://127.0.0.1:{settings.web_port}"  # what the running bot serves
    try:
        return [
            await upload_url(
                services.scoped(year_ids[o.cluster]), o.id, "bc-nam", "telegram", str(o.chat)
            )
            for o in senders
        ]
    finally:
        await services.db.close()


# The officers ---------------------------------------------------------------------------------


async def _until(user: FakeTelegramUser, start: str) -> Sent:
    """The bot's next message in this chat that holds ``start`` (notices are skipped)."""
    skipped = []
    while True:
        try:
            sent = await user.next_message(TIMEOUT)
        except TimeoutError:
            raise AssertionError(f"{user.chat_id} waited for {start!r}, got {skipped}") from None
        if start in sent.text:
            return sent
        skipped.append(sent.text[:80])


async def _chat_report(user: FakeTelegramUser, name: str, data: bytes) -> float:
    user.send("/nopbaocao")
    user.press(await _until(user, "Anh/chị nộp báo cáo nào?"), "6 tháng")
    await _until(user, "Anh/chị gửi tệp")
    started = time.perf_counter()
    user.send_document(name, data)
    user.press(await _until(user, f"Đã nhận {name}"), "Gửi Trưởng Cụm")
    await _until(user, "BIÊN NHẬN")
    return time.perf_counter() - started


async def _link_report(
    session: aiohttp.ClientSession, user: FakeTelegramUser, url: str, name: str, data: bytes
) -> float:
    started = time.perf_counter()
    while True:
        form = aiohttp.FormData()
        form.add_field("files", data, filename=name, content_type="application/octet-stream")
        async with session.post(url, data=form) as response:
            page = await response.text()
            if response.status in (429, 503):
                await asyncio.sleep(float(response.headers.get("Retry-After", "1")))
                continue
            assert response.status == 200 and "BIÊN NHẬN" in page, (response.status, page)
            break
    waited = time.perf_counter() - started  # the receipt on the page the officer sent from
    await _until(user, "BIÊN NHẬN")  # and its copy in the chat, before the burst ends
    return waited


async def _score_form(user: FakeTelegramUser, data: bytes) -> float:
    user.send("/chamdiem")
    await _until(user, "")  # the blank form (its text varies)
    started = time.perf_counter()
    user.send_document("phieu-tu-cham.xlsx", data)
    user.press(await _until(user, "Đã đọc phiếu tự chấm điểm"), "Gửi Trưởng Cụm")
    await _until(user, "Đã gửi: lần")
    return time.perf_counter() - started


Job = Callable[[FakeTelegramUser], Awaitable[float]]
"""One officer's file sent; the wait from the file's sending to its receipt."""


@dataclass
class Outcome:
    seconds: float
    waits: list[float]
    status_waits: list[float]
    by_kind: dict[str, list[float]]
    """The waits by the way the file came (the job's name)."""
    files: int
    bytes_sent: int


async def _burst(
    server: FakeTelegram,
    officers: list[Officer],
    jobs: dict[int, list[Job]],
    sender_of: Callable[[Officer], Officer] = lambda o: o,
) -> Outcome:
    """Every officer asks a question, then its file is sent by its sender (the officer itself,
    unless ``sender_of`` names another chat)."""
    waits: list[float] = []
    status_waits: list[float] = []
    by_kind: dict[str, list[float]] = {}

    async def officer(o: Officer) -> None:
        user = server.user(o.chat, f"Cán bộ {o.id}")
        asked = time.perf_counter()
        user.send("/tiendo" if o.unit == 0 else "/toi")
        await user.next_message(TIMEOUT)
        status_waits.append(time.perf_counter() - asked)
        sender = sender_of(o)
        if sender != o:
            user = server.user(sender.chat, f"Cán bộ {sender.id}")
        for job in jobs.get(o.id, []):
            waits.append(await job(user))
            by_kind.setdefault(getattr(job, "func", job).__name__.strip("_"), []).append(waits[-1])

    started = time.perf_counter()
    await asyncio.gather(*(officer(o) for o in officers))
    files = sum(len(j) for j in jobs.values())
    return Outcome(time.perf_counter() - started, waits, status_waits, by_kind, files, 0)


# Our bot --------------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _file_check_seconds(bot: int) -> float:
    """CPU time of the bot's fork server of file checks and of its workers, ended or waiting."""
    servers = children(bot)
    workers = [w for server in servers for w in children(server)]
    return sum(cpu_seconds(pid, reaped=True) for pid in servers) + sum(map(cpu_seconds, workers))


@dataclass
class Ours:
    outcome: Outcome
    peak_rss_mb: float
    written: int
    receipts: Counter[int]
    cpu: dict[str, float]
    """CPU seconds during the burst: the bot, its file checks, this process (users, server)."""
    messages: int
    """What the bot sent the fake server (messages and documents)."""
    gathered: tuple[int, int]
    """The chairs' notices still gathering at the end, and the chats they wait for."""


async def _ours(
    officers: list[Officer], reports: list[tuple[str, bytes]], forms: list[bytes]
) -> Ours:
    async with FakeTelegram() as server:
        with tempfile.TemporaryDirectory() as folder:
            data, port = Path(folder), _free_port()
            clusters = 1 + max(o.cluster for o in officers)
            year_ids = await _build(data, officers, clusters)
            settings = Settings(_env_file=None, data_dir=data, web_port=port)
            senders = [_sender(o) for o in officers if o.seat == 1]
            links = await _links(settings, senders, year_ids)
            env = {k: v for k, v in os.environ.items() if not k.startswith("CUMTHIDUA_")} | {
                "CUMTHIDUA_TELEGRAM_TOKEN": server.token,
                "CUMTHIDUA_TELEGRAM_BASE_URL": server.base_url,
                "CUMTHIDUA_TELEGRAM_FILE_URL": server.file_url,
                "CUMTHIDUA_TELEGRAM_POLL_TIMEOUT": "1",
                "CUMTHIDUA_DATA_DIR": str(data),
                "CUMTHIDUA_WEB_PORT": str(port),
                "CUMTHIDUA_LOG_LEVEL": "WARNING",
                # the fake server, like the baseline's, takes any rate: Telegram's 30 messages
                # a second is a floor of its own, printed apart (see _telegram_floor)
                "CUMTHIDUA_SEND_PER_SECOND": "1000",
            }
            process = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot", "run", env=env
            )
            try:
                await _started(server, port)
                written = written_bytes(process.pid)
                cpu = {
                    "bot": cpu_seconds(process.pid),
                    "file_checks": _file_check_seconds(process.pid),
                    "bench": time.process_time(),
                }
                async with aiohttp.ClientSession(
                    timeout=aiohttp.ClientTimeout(total=TIMEOUT)
                ) as session:
                    outcome = await _burst(
                        server,
                        officers,
                        _our_jobs(officers, reports, forms, links, session),
                        _sender,
                    )
                await asyncio.sleep(1.0)  # a doubled receipt would come now
                written = written_bytes(process.pid) - written
                peak = status_kb(process.pid, "VmHWM") / 1024
                cpu = {
                    "bot": cpu_seconds(process.pid) - cpu["bot"],
                    "file_checks": _file_check_seconds(process.pid) - cpu["file_checks"],
                    "bench": time.process_time() - cpu["bench"],
                }
            finally:
                process.terminate()
                await process.wait()
            gathered = _gathered(settings)
            receipts = Counter(
                int(s.chat_id)
                for s in server.sent
                if s.method == "sendMessage" and s.text.startswith(("BIÊN NHẬN", "Đã gửi: lần"))
            )
    outcome.bytes_sent = sum(len(d) for _n, d in reports) + sum(len(d) for d in forms)
    return Ours(outcome, peak, written, receipts, cpu, len(server.sent), gathered)


def _gathered(settings: Settings) -> tuple[int, int]:
    """The gathered notices the stopped bot left waiting, and their chats."""
    with sqlite3.connect(settings.database_path) as db:
        rows, chats = db.execute(
            "SELECT COUNT(*), COUNT(DISTINCT chat_id) FROM outbox"
            " WHERE status = 'pending' AND gathered = 1"
        ).fetchone()
    return int(rows), int(chats)


async def _started(server: FakeTelegram, port: int) -> None:
    """Wait until the bot polls Telegram and its web server answers."""
    deadline = time.monotonic() + 60
    async with aiohttp.ClientSession() as session:
        while time.monotonic() < deadline:
            try:
                async with session.get(f"http://127.0.0.1:{port}/u/none"):
                    pass
                if any(method == "getUpdates" for method, _p in server.calls):
                    return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.1)
    raise TimeoutError("the bot did not start")


def _our_jobs(
    officers: list[Officer],
    reports: list[tuple[str, bytes]],
    forms: list[bytes],
    links: list[str],
    session: aiohttp.ClientSession,
) -> dict[int, list[Job]]:
    """Each officer's file (sent by the officer's sender, see ``_sender``)."""
    jobs: dict[int, list[Job]] = {}
    files, urls, filled = iter(reports), iter(links), iter(forms)
    for o in officers:
        job: Job
        if o.seat == 0:
            name, data = next(files)
            job = functools.partial(_chat_report, name=name, data=data)
        elif o.seat == 1:
            name, data = next(files)
            job = functools.partial(_link_report, session, url=next(urls), name=name, data=data)
        else:
            job = functools.partial(_score_form, data=next(filled))
        jobs.setdefault(o.id, []).append(job)
    return jobs


# The baseline ---------------------------------------------------------------------------------


async def _baseline(officers: list[Officer], files: list[tuple[str, bytes]]) -> Outcome:
    """A bare aiogram bot that downloads each document to disk and answers; every officer asks
    one question and sends one file."""
    async with FakeTelegram() as server:
        with tempfile.TemporaryDirectory() as folder:
            bot = Bot(
                server.token,
                session=AiohttpSession(api=TelegramAPIServer.from_base(server.origin)),
            )
            dispatcher = AiogramDispatcher()

            @dispatcher.message()
            async def answer(message: Message) -> None:
                if message.document is not None:
                    path = Path(folder) / message.document.file_unique_id
                    await bot.download(message.document, destination=path)
                    await message.answer(f"Đã nhận {message.document.file_name}")
                else:
                    await message.answer(message.text or "")

            polling = asyncio.create_task(
                dispatcher.start_polling(bot, polling_timeout=1, handle_signals=False)
            )
            try:

                async def send(u: FakeTelegramUser, n: str, d: bytes) -> float:
                    started = time.perf_counter()
                    u.send_document(n, d)
                    await _until(u, "Đã nhận")
                    return time.perf_counter() - started

                jobs: dict[int, list[Job]] = {
                    o.id: [functools.partial(send, n=n, d=d)]
                    for o, (n, d) in zip(officers, files, strict=True)
                }
                outcome = await _burst(server, officers, jobs)
            finally:
                await dispatcher.stop_polling()
                await polling
                await bot.session.close()
    outcome.bytes_sent = sum(len(d) for _n, d in files)
    return outcome


# The report -----------------------------------------------------------------------------------


def _p(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100)[q - 1] if len(values) > 1 else values[0]


def _print(name: str, o: Outcome) -> float:
    rate = o.files / o.seconds
    print(
        f"  {name}: files={o.files} seconds={o.seconds:.1f} files_per_second={rate:.1f}"
        f" receipt_s_p50={_p(o.waits, 50):.2f} receipt_s_p99={_p(o.waits, 99):.2f}"
        f" status_s_p50={_p(o.status_waits, 50):.2f} status_s_p99={_p(o.status_waits, 99):.2f}",
        flush=True,
    )
    if len(o.by_kind) > 1:
        for kind, waits in o.by_kind.items():
            print(f"    {kind}: files={len(waits)} p50={_p(waits, 50):.2f} p99={_p(waits, 99):.2f}")
    return rate


async def run(scale: float, rounds: int) -> None:
    clusters = max(1, round(CLUSTERS * scale))
    officers = _province(clusters)
    rng = random.Random(28)
    made = time.perf_counter()
    reports = [_report(n, rng) for n in range(2 * len(officers) // OFFICERS_PER_UNIT)]
    base = _year_data(0, YEAR).scoring
    assert base is not None
    table = _sixty(base)
    forms = [_filled_form(table, _sender(o)) for o in officers if o.seat == 2]
    baseline_files = [*reports, *(("phieu-tu-cham.xlsx", d) for d in forms)]
    print(
        f"officers={len(officers)} clusters={clusters} reports={len(reports)}"
        f" ({sum(len(d) for _n, d in reports) / MB:.0f} MB) forms={len(forms)}"
        f" made in {time.perf_counter() - made:.0f} s (not timed)",
        flush=True,
    )
    ratios, p99s, peaks, amplifications, exact = [], [], [], [], True
    for number in range(1, rounds + 1):
        print(f"round {number}", flush=True)
        baseline = await _baseline(officers, baseline_files)
        base_rate = _print("baseline_aiogram", baseline)
        ours = await _ours(officers, reports, forms)
        rate = _print("ours", ours.outcome)
        expected = Counter(_sender(o).chat for o in officers)
        once = ours.receipts == expected
        exact &= once
        amplification = ours.written / ours.outcome.bytes_sent
        print(
            f"  ours: peak_rss_mb={ours.peak_rss_mb:.0f}"
            f" written_per_byte_received={amplification:.2f}"
            f" receipts={sum(ours.receipts.values())}/{len(officers)} exactly_once={once}",
            flush=True,
        )
        print("  ours: cpu_s " + " ".join(f"{k}={v:.1f}" for k, v in ours.cpu.items()))
        print(
            f"  ours: messages_sent={ours.messages} telegram_floor_s="
            f"{ours.messages / TELEGRAM_PER_SECOND:.0f} (at {TELEGRAM_PER_SECOND} a second)"
            f" notices_gathering={ours.gathered[0]} in {ours.gathered[1]} chats"
        )
        after = _print("baseline_aiogram_after", await _baseline(officers, baseline_files))
        ratios.append(rate / ((base_rate + after) / 2))
        p99s.append(_p(ours.outcome.waits, 99))
        peaks.append(ours.peak_rss_mb)
        amplifications.append(amplification)
        print(f"  ratio_files={ratios[-1]:.3f}", flush=True)
    print(
        f"rounds={rounds} scale={scale} (medians of the rounds; our bot measured as a subprocess)"
    )
    print(f"receipt_s_p99={statistics.median(p99s):.2f} target<{TARGETS['p99_s']}")
    print(f"peak_rss_mb={statistics.median(peaks):.0f} target<{TARGETS['peak_rss_mb']}")
    print(f"written_per_byte_received={statistics.median(amplifications):.2f}")
    print(f"every_file_exactly_one_receipt={exact}")
    print(f"ratio_files={statistics.median(ratios):.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    asyncio.run(run(args.scale, args.rounds))


if __name__ == "__main__":
    main()
