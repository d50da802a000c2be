"""Kills inside one event: the bot runs as a subprocess with the test-only crash point of
``storage/crash_points.py`` and SIGKILLs itself just before the n-th write statement of an
event (a BEGIN, an INSERT, a COMMIT …), for each n in turn; then it is restarted and the user
does what a user would (waits for the answer, or sends again). Afterwards nothing the user sent
is lost and nothing is doubled.

A scenario drives one event: ``before`` brings the user to the moment before it, ``event`` sends
it, ``done`` is what the user sees when nothing dies, ``recover`` is what the user does after
the restart, ``check`` reads the database. A first run that kills nowhere lists the event's
statements (:func:`statements`)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import shutil
import signal
import socket
import sqlite3
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any, Protocol

import httpx

from bot.app import open_services
from bot.clock import SystemClock
from bot.config import Settings
from bot.domain.access import Actor, Role
from bot.domain.ballots import ElectionRule, Title
from bot.domain.invitations import Claimant
from bot.domain.report_draft import ReportDraft
from bot.fakes.base import Sent
from bot.fakes.telegram_server import FakeTelegram, FakeTelegramUser
from bot.fakes.zalo_server import FakeZalo, FakeZaloUser
from bot.services.container import Services
from bot.services.reminders import ReminderTicker
from bot.usecases.one_time_links import upload_url
from bot.usecases.pact import send_pact, signing_due
from storage.crash_points import CRASH_AT
from storage.seen_updates import seen_key
from tests.documents import docx_bytes, pdf_bytes

__all__ = [
    "SCENARIOS",
    "CrashingBot",
    "KillPoint",
    "Lost",
    "Scenario",
    "UploadLink",
    "ZaloPhoto",
    "kill_at_each",
    "kill_points",
    "make_template",
    "platforms",
    "statements",
    "until",
]

WAIT = 30.0
"""Seconds a step may take before the test fails (never waited when things go right)."""
SECRET = "crash-suite-webhook"
SIX = "bc-6-thang"
MEMBER_CHAT, CHAIR_CHAT, ZALO_USER = 2, 1, "z1"


class Lost(AssertionError):
    """Something the user sent is gone: neither stored nor sendable again."""


# The bot -------------------------------------------------------------------------------------


@dataclass
class Platforms:
    telegram: FakeTelegram
    zalo: FakeZalo

    @property
    def member(self) -> FakeTelegramUser:
        return self.telegram.user(MEMBER_CHAT, "Cán bộ MA")

    @property
    def chair(self) -> FakeTelegramUser:
        return self.telegram.user(CHAIR_CHAT, "Cán bộ TG")

    @property
    def zalo_member(self) -> FakeZaloUser:
        return self.zalo.user(ZALO_USER, "Cán bộ DB")

    def to(self, chat: int | str, text: str) -> list[Sent]:
        sent = self.zalo.sent if isinstance(chat, str) else self.telegram.sent
        return [s for s in sent if str(s.chat_id) == str(chat) and text in s.text]


@dataclass
class CrashingBot:
    """The bot as a subprocess on a copy of the template data, with a crash point."""

    platforms: Platforms
    data: Path
    module: str = "bot"
    """What ``python -m`` runs: the bot, or a deliberately broken copy of it."""
    port: int = field(default_factory=lambda: _free_port())
    process: asyncio.subprocess.Process | None = None

    @property
    def arm_file(self) -> Path:
        return self.data.parent / "arm"

    @property
    def web(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def start(self, kill: KillPoint | None = None) -> None:
        """Start and wait until both channels are up; with the crash point at ``kill``."""
        telegram, zalo = self.platforms.telegram, self.platforms.zalo
        env = os.environ | {
            "CUMTHIDUA_TELEGRAM_TOKEN": telegram.token,
            "CUMTHIDUA_TELEGRAM_BASE_URL": telegram.base_url,
            "CUMTHIDUA_TELEGRAM_FILE_URL": telegram.file_url,
            "CUMTHIDUA_TELEGRAM_POLL_TIMEOUT": "1",
            "CUMTHIDUA_ZALO_TOKEN": zalo.token,
            "CUMTHIDUA_ZALO_BASE_URL": zalo.base_url,
            "CUMTHIDUA_ZALO_MODE": "webhook",
            "CUMTHIDUA_ZALO_WEBHOOK_SECRET": SECRET,
            "CUMTHIDUA_PUBLIC_BASE_URL": self.web,
            "CUMTHIDUA_DATA_DIR": str(self.data),
            "CUMTHIDUA_WEB_PORT": str(self.port),
            "CUMTHIDUA_LOG_LEVEL": "ERROR",
            "CUMTHIDUA_SEND_PER_SECOND": "100",
            "CUMTHIDUA_SEND_CHAT_INTERVAL": "0.01",
        }
        env.pop(CRASH_AT, None)
        if kill is not None:
            env[CRASH_AT] = kill.setting(self.arm_file)
        polling = asyncio.Event()

        def seen(method: str, _params: dict[str, Any]) -> None:
            if method == "getUpdates":
                polling.set()

        telegram.on_request, zalo.webhook_set = seen, asyncio.Event()
        self.process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", self.module, "run", env=env, stdin=asyncio.subprocess.DEVNULL
        )
        try:
            await asyncio.wait_for(asyncio.gather(polling.wait(), zalo.webhook_set.wait()), WAIT)
        finally:
            telegram.on_request = None

    def arm(self) -> None:
        self.arm_file.touch()

    async def died(self) -> None:
        assert self.process is not None
        await self.process.wait()

    async def restart(self) -> None:
        """After the kill: start again, without a crash point."""
        await self.stop(signal.SIGKILL)
        self.arm_file.unlink(missing_ok=True)
        await self.start()

    async def stop(self, how: signal.Signals = signal.SIGTERM) -> None:
        if self.process is not None and self.process.returncode is None:
            self.process.send_signal(how)
            await self.process.wait()

    def read(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        """Rows of the bot's database, read beside it."""
        uri = f"{(self.data / 'cumthidua.sqlite3').resolve().as_uri()}?mode=ro"
        with contextlib.closing(sqlite3.connect(uri, uri=True)) as conn:
            return conn.execute(sql, params).fetchall()

    def queued(self, chat: int | str, text: str) -> bool:
        """Whether the outbox holds a message to ``chat`` containing ``text`` (sent or not)."""
        rows = self.read("SELECT payload FROM outbox WHERE chat_id = ?", (str(chat),))
        return any(text in json.loads(payload)["text"] for (payload,) in rows)

    async def post_quietly(self, send: Callable[[], Awaitable[object]]) -> object | None:
        """A request the bot may die in the middle of."""
        try:
            return await send()
        except (httpx.HTTPError, OSError):
            return None


def _free_port() -> int:
    with contextlib.closing(socket.socket()) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.asynccontextmanager
async def platforms() -> AsyncIterator[Platforms]:
    async with FakeTelegram() as telegram, FakeZalo() as zalo:
        yield Platforms(telegram, zalo)


async def until(queue: Callable[[float], Awaitable[Sent]], *texts: str) -> Sent:
    """The next message containing one of ``texts`` (others may come first)."""
    while True:
        message = await queue(WAIT)
        if any(t in message.text for t in texts):
            return message


async def _button(queue: Callable[[float], Awaitable[Sent]], label: str) -> Sent:
    while True:
        message = await queue(WAIT)
        if any(label in text for text, _data in message.buttons):
            return message


async def _arrives(bot: CrashingBot, chat: int | str, texts: tuple[str, ...], what: str) -> None:
    """At least once; at most twice (a kill right after the platform took it may repeat it)."""
    p = bot.platforms
    server = p.zalo if isinstance(chat, str) else p.telegram

    def found() -> list[Sent]:
        return [s for t in texts for s in p.to(chat, t)]

    try:
        await server.wait_sent(lambda _sent: bool(found()), WAIT)
    except TimeoutError:
        raise Lost(f"{what} never came") from None
    assert len(found()) <= 2, f"{what} came {len(found())} times"


# Scenarios -----------------------------------------------------------------------------------


class Scenario(Protocol):
    name: str
    critical: tuple[str, ...]
    """What the event stores (each the first statement of the event to hold that text): the
    quick run kills inside the commit of each and right after it."""

    async def prepare(self, services: Services, people: dict[str, Actor]) -> None: ...
    async def before(self, bot: CrashingBot) -> None: ...
    async def event(self, bot: CrashingBot) -> None: ...
    async def done(self, bot: CrashingBot) -> None: ...
    async def recover(self, bot: CrashingBot) -> None: ...
    async def check(self, bot: CrashingBot) -> None: ...


async def _one_submission(bot: CrashingBot) -> None:
    rows = bot.read("SELECT version FROM submissions WHERE unit_code = 'MA'")
    if not rows:
        raise Lost("no submission was stored")
    assert rows == [(1,)], f"stored {len(rows)} times"
    await _arrives(bot, MEMBER_CHAT, ("Lần nộp: 1",), "the receipt")
    await _arrives(bot, CHAIR_CHAT, ("(MA) đã nộp",), "the chair's notice")


class ChatReport:
    """A member confirms a report in chat: stored, the chair told, the receipt answered."""

    name = "report-by-chat"
    critical = ("INSERT INTO submissions",)

    async def prepare(self, services: Services, people: dict[str, Actor]) -> None:
        return None

    async def before(self, bot: CrashingBot) -> None:
        member = bot.platforms.member
        member.send("/nopbaocao")
        member.press(await _button(member.next_message, "6 tháng"), "6 tháng")
        await member.next_message(WAIT)
        member.send_document("bao-cao.docx", docx_bytes("Bản báo cáo"))
        await until(member.next_message, "Đã nhận bao-cao.docx")
        self._summary = await member.ask("Xong", WAIT)

    async def event(self, bot: CrashingBot) -> None:
        bot.platforms.member.press(self._summary, "Gửi Trưởng Cụm")

    async def done(self, bot: CrashingBot) -> None:
        await until(bot.platforms.member.next_message, "Lần nộp")

    async def recover(self, bot: CrashingBot) -> None:
        member = bot.platforms.member
        if bot.platforms.to(MEMBER_CHAT, "Lần nộp"):  # it came before the kill
            return
        found = await until(member.next_message, "Lần nộp", "Bot vừa khởi động lại")
        if "Lần nộp" in found.text:
            return
        member.press(found, "Làm tiếp")  # the draft is kept: send it again
        member.press(await _button(member.next_message, "Gửi Trưởng Cụm"), "Gửi Trưởng Cụm")
        await until(member.next_message, "Lần nộp")

    async def check(self, bot: CrashingBot) -> None:
        await _one_submission(bot)


class UploadLink:
    """A member sends a report on an upload link's page: the link spent, the report stored,
    the chair told, the receipt queued to the chat the link was given in."""

    name = "upload-link"
    critical = ("UPDATE links SET used_at",)

    async def prepare(self, services: Services, people: dict[str, Actor]) -> None:
        url = await upload_url(services, people["MA"].officer_id, SIX, "telegram", str(MEMBER_CHAT))
        self._token = url.rsplit("/", 1)[1]

    async def before(self, bot: CrashingBot) -> None:
        return None

    async def _post(self, bot: CrashingBot) -> httpx.Response:
        async with httpx.AsyncClient(timeout=WAIT) as client:
            return await client.post(
                f"{bot.web}/u/{self._token}",
                files={"files": ("bao-cao.pdf", pdf_bytes(1), "application/pdf")},
            )

    async def event(self, bot: CrashingBot) -> None:
        self._posted = asyncio.ensure_future(bot.post_quietly(lambda: self._post(bot)))

    async def done(self, bot: CrashingBot) -> None:
        await self._posted
        await until(bot.platforms.member.next_message, "Lần nộp")

    async def recover(self, bot: CrashingBot) -> None:
        await self._posted
        async with httpx.AsyncClient(timeout=WAIT) as client:
            page = await client.get(f"{bot.web}/u/{self._token}")
        if page.status_code == 410:  # spent: then it was stored, and the receipt comes
            if not bot.read("SELECT id FROM submissions WHERE unit_code = 'MA'"):
                raise Lost("the link is spent and there is no submission")
        else:
            assert page.status_code == 200, page.status_code
            assert (await self._post(bot)).status_code == 200  # the form, sent again
        if not bot.platforms.to(MEMBER_CHAT, "Lần nộp"):  # unless it came before the kill
            await until(bot.platforms.member.next_message, "Lần nộp")

    async def check(self, bot: CrashingBot) -> None:
        await _one_submission(bot)
        assert bot.read("SELECT COUNT(*) FROM links WHERE used_at IS NOT NULL") == [(1,)]


class ZaloPhoto:
    """A Zalo officer in the report flow sends a photo through the webhook: its delivery is
    kept, the photo fetched and checked, the draft keeps it once."""

    name = "zalo-webhook"
    critical = ("INTO seen_updates", "INSERT INTO conversations")

    async def prepare(self, services: Services, people: dict[str, Actor]) -> None:
        return None

    async def before(self, bot: CrashingBot) -> None:
        zalo = bot.platforms.zalo_member
        menu = await zalo.ask("/nopbaocao", WAIT)
        await zalo.press(menu, "6 tháng")
        await zalo.next_message(WAIT)
        self._sent = asyncio.Event()

    async def event(self, bot: CrashingBot) -> None:
        zalo = bot.platforms.zalo_member
        self.update = zalo.image_update(_jpeg())
        self._posted = asyncio.ensure_future(
            bot.post_quietly(lambda: bot.platforms.zalo.push(self.update))
        )

    async def done(self, bot: CrashingBot) -> None:
        await until(bot.platforms.zalo_member.next_message, "Đã nhận anh-")

    async def recover(self, bot: CrashingBot) -> None:
        await self._posted
        key = f"{self.update['event_name']}:{self.update['message']['message_id']}"
        handled = bot.read(
            "SELECT payload IS NULL FROM seen_updates WHERE update_key = ?", (seen_key(key),)
        ) == [(1,)]
        await bot.post_quietly(lambda: bot.platforms.zalo.push(self.update))  # redelivered
        if not handled:  # the restarted bot answers it (kept, or delivered again)
            await until(bot.platforms.zalo_member.next_message, "Đã nhận anh-")

    async def check(self, bot: CrashingBot) -> None:
        rows = bot.read("SELECT data FROM conversations WHERE channel = 'zalo'")
        files = [len(ReportDraft.from_json(json.loads(data)).files) for (data,) in rows]
        if files != [1]:
            raise Lost(f"the draft holds {files} photos")


class Pact:
    """A member unit's officer signs the pact: the signature, the chair's notice, the
    confirmation."""

    name = "pact"
    critical = ("INTO pact_signatures",)

    async def prepare(self, services: Services, people: dict[str, Actor]) -> None:
        today = services.clock.now().date()
        await send_pact(services, people["TG"], "Giao ước thi đua", None, signing_due(today))

    async def before(self, bot: CrashingBot) -> None:
        self._pact = await _button(bot.platforms.member.next_message, "Đồng ý ký kết")

    async def event(self, bot: CrashingBot) -> None:
        bot.platforms.member.press(self._pact, "Đồng ý ký kết")

    async def done(self, bot: CrashingBot) -> None:
        await until(bot.platforms.member.next_message, "Đã ghi nhận")

    async def recover(self, bot: CrashingBot) -> None:
        member = bot.platforms.member
        member.press(self._pact, "Đồng ý ký kết")  # no answer came: press again
        await until(member.next_message, "Đã ghi nhận", "đã ký giao ước rồi")

    async def check(self, bot: CrashingBot) -> None:
        if bot.read("SELECT unit_code FROM pact_signatures") != [("MA",)]:
            raise Lost("no signature")
        answers = ("Đã ghi nhận", "đã ký giao ước rồi")
        await _arrives(bot, MEMBER_CHAT, answers, "the confirmation")
        await _arrives(bot, CHAIR_CHAT, ("(MA) đã ký giao ước",), "the chair's notice")


class Vote:
    """A member unit casts its ballot: counted once, the receipt answered."""

    name = "vote"
    critical = ("INTO ballot_voters",)

    async def prepare(self, services: Services, people: dict[str, Actor]) -> None:
        now = services.clock.now()
        units = frozenset(("TG", "MA", "DB", "ML", "DBP"))
        await services.ballots.open(
            Title.CHAIR, ("MA", "TG"), 1, ElectionRule(), units, now + timedelta(days=1), 1, now
        )

    async def before(self, bot: CrashingBot) -> None:
        self._preview = await _ballot(bot.platforms.member)

    async def event(self, bot: CrashingBot) -> None:
        bot.platforms.member.press(self._preview, "Bỏ lá phiếu")

    async def done(self, bot: CrashingBot) -> None:
        await until(bot.platforms.member.next_message, "đã được bỏ vào hòm phiếu")

    async def recover(self, bot: CrashingBot) -> None:
        member = bot.platforms.member
        member.press(self._preview, "Bỏ lá phiếu")  # no answer came: press again
        found = await until(member.next_message, "đã được bỏ vào hòm phiếu", "không còn hiệu lực")
        if "hòm phiếu" in found.text or bot.platforms.to(MEMBER_CHAT, "hòm phiếu"):
            return
        if not bot.queued(MEMBER_CHAT, "hòm phiếu"):  # cast before, and its receipt?
            raise Lost("the ballot was cast and no receipt is on its way")
        await until(member.next_message, "đã được bỏ vào hòm phiếu")

    async def check(self, bot: CrashingBot) -> None:
        if bot.read("SELECT COUNT(*) FROM ballot_voters") != [(1,)]:
            raise Lost("the ballot was not counted once")
        await _arrives(bot, MEMBER_CHAT, ("đã được bỏ vào hòm phiếu",), "the receipt")


async def _ballot(member: FakeTelegramUser) -> Sent:
    member.send("/bophieu")
    member.press(await until(member.next_message, "đang mở cho đơn vị"), "Bỏ phiếu")
    member.press(await until(member.next_message, "Chọn tối đa"), "(MA)")
    member.press(await until(member.next_message, "Chọn tối đa"), "Xem lại và bỏ phiếu")
    return await until(member.next_message, "Phiếu đã bỏ thì không thể thay đổi")


def _jpeg() -> bytes:
    import cv2
    import numpy as np

    ok, encoded = cv2.imencode(".jpg", np.full((600, 800, 3), 200, dtype=np.uint8))
    assert ok
    return encoded.tobytes()


SCENARIOS: dict[str, Callable[[], Scenario]] = {
    s.name: s for s in (ChatReport, UploadLink, ZaloPhoto, Pact, Vote)
}


# Running them --------------------------------------------------------------------------------


async def make_template(data: Path, scenario: Scenario) -> None:
    """The database a scenario starts from: a chair, a member on Telegram, a member on Zalo."""
    services = await open_services(Settings(_env_file=None, data_dir=data), SystemClock())
    try:
        people = {}
        for who, unit, role in (
            (Claimant("telegram", "1", "1", "Cán bộ TG"), "TG", Role.CHAIR),
            (Claimant("telegram", "2", "2", "Cán bộ MA"), "MA", Role.MEMBER),
            (Claimant("zalo", ZALO_USER, ZALO_USER, "Cán bộ DB"), "DB", Role.MEMBER),
        ):
            now = services.clock.now()
            _id, code = await services.invitations.create(
                unit, role, now, timedelta(days=1), None, "test"
            )
            await services.invitations.redeem(code, who, now)
            actor = await services.officers.actor(who.channel, who.user_id, now)
            assert actor is not None
            people[unit] = actor
        await scenario.prepare(services, people)
        staleness = timedelta(hours=services.settings.reminder_staleness_hours)
        await ReminderTicker(services, staleness).tick()  # the bot's first tick: nothing due
    finally:
        await services.db.close()


@dataclass(frozen=True, slots=True)
class KillPoint:
    """Kill before the ``n``-th write statement counted from the event's start — or from the
    first one containing ``start`` (numbered 1), so that the point stays inside its transaction
    whatever the background wrote before; ``before`` is that statement in the first run."""

    n: int
    start: str = ""
    before: str = ""

    def setting(self, arm: Path) -> str:
        return f"{self.n}:{arm}" + (f":{self.start}" if self.start else "")


async def _case(
    template: Path, work: Path, scenario: Scenario, kill: KillPoint | None, module: str
) -> list[str]:
    """One run, killed at ``kill`` (None: never); returns the statements run since the event
    began, as the crash point logged them."""
    shutil.copytree(template, work / "data")
    async with platforms() as found:
        bot = CrashingBot(found, work / "data", module)
        await bot.start(kill or KillPoint(0))
        try:
            await bot.platforms.chair.ask("/huongdan", WAIT)  # the start's own writes are done
            await scenario.before(bot)
            bot.arm()
            await scenario.event(bot)
            died = asyncio.ensure_future(bot.died())
            answered = asyncio.ensure_future(scenario.done(bot))
            await asyncio.wait({died, answered}, timeout=WAIT, return_when="FIRST_COMPLETED")
            if kill is not None:
                with contextlib.suppress(TimeoutError):  # a kill in what follows the answer
                    await asyncio.wait_for(asyncio.shield(died), 5 if answered.done() else WAIT)
                answered.cancel()
                await bot.restart()
                await scenario.recover(bot)
            else:
                await answered
            await scenario.check(bot)
            log = (work / "arm.log").read_text(encoding="utf-8").splitlines()
        finally:
            await bot.stop(signal.SIGKILL)
    return log


async def statements(
    template: Path, work: Path, scenario: Scenario, module: str = "bot"
) -> list[str]:
    """The write statements of the scenario's event, as a run that kills nowhere logs them."""
    return await _case(template, work, scenario, None, module)


def kill_points(log: list[str], critical: tuple[str, ...], every: bool) -> list[KillPoint]:
    """Where to kill: before every statement of the log, or (quick) before the COMMIT of the
    transaction of each critical statement — inside the commit — and before the statement
    after it — between two commits."""
    sql = [line.split("\t", 1)[1] for line in log]
    if every:
        return [KillPoint(n, "", text) for n, text in enumerate(sql, start=1)]
    chosen: list[KillPoint] = []
    for pattern in critical:
        first = next(i for i, text in enumerate(sql) if pattern in text)
        commit = next(i for i in range(first, len(sql)) if sql[i].startswith("COMMIT"))
        after = sql[commit + 1] if commit + 1 < len(sql) else "what came after"
        chosen.append(KillPoint(commit - first + 1, pattern, sql[commit]))
        chosen.append(KillPoint(commit - first + 2, pattern, after))
    return chosen


async def kill_at_each(
    template: Path,
    work: Path,
    scenario: Scenario,
    points: list[KillPoint],
    module: str = "bot",
) -> dict[KillPoint, str]:
    """Run the scenario killed at each of ``points``; the kill points whose run lost or doubled
    something, with what (empty when all held)."""
    failed: dict[KillPoint, str] = {}
    for n, point in enumerate(points):
        try:
            await _case(template, work / f"kill-{n}", scenario, point, module)
        except AssertionError as exc:
            failed[point] = f"{type(exc).__name__}: {exc}"
    return failed
