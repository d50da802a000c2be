"""What the audit of the vote did, done again: the real bot on the fake Telegram server, the
database file and its write-ahead log kept after every step of a vote — a ballot menu and a
preview whose sends fail (429, 5xx), an early close attempt, a ballot cast after the closing
time, the close. The vote is run twice, with two units' choices swapped: every snapshot of one
run equals the same snapshot of the other, row for row (random tokens and sealed bytes masked,
their lengths kept), so no query over any snapshots — one, two consecutive, all of them — can
tell which unit ticked which candidate. No snapshot, nor the raw bytes of the file and its log,
holds a tick; the outbox holds the failed menus' stand-ins only."""

from __future__ import annotations

import asyncio
import re
import shutil
import sqlite3
from collections.abc import Awaitable, Callable
from contextlib import closing
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from pydantic import SecretStr

from bot.clock import FixedClock
from bot.config import Settings
from bot.domain.access import Role
from bot.fakes.telegram_server import FakeTelegram, FakeTelegramUser, Fault, Sent
from bot.services.container import Services
from storage.ballot_seals import BallotSeals, SealBroken
from tests.harness import Harness
from tests.people import register

START = datetime(2022, 12, 20, 8, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
UNITS = ("TG", "MA", "DB", "ML", "DBP")
TICK = "☑"
RANDOM = re.compile(r'"[A-Za-z0-9_-]{8}"|CTD-[A-Z0-9-]+|[0-9a-f]{16,}|[A-Za-z0-9_-]{43}')
"""Option tokens (in a payload), invitation codes, keys and seals, session tokens: random by
design."""
UNSTABLE = {
    ("outbox", "message_id"),
    ("option_tokens", "token"),
    ("option_tokens", "menu_id"),
    ("last_menus", "menu_id"),
}
"""Random tokens, menu ids from the wall clock, and the platform's message ids, which follow
the order sends reach the fake server (it interleaves direct replies and the sender's)."""

Snapshot = tuple[list[str], bytes, Path]
"""Every row of every table (masked), the raw bytes of the file and its log, and the copy."""


class Vote:
    """One run of the audited vote, keeping a snapshot after every step."""

    def __init__(self, harness: Harness, telegram: FakeTelegram, clock: FixedClock) -> None:
        self.harness, self.telegram, self.clock = harness, telegram, clock
        self.snapshots: list[Snapshot] = []
        self.users: dict[str, FakeTelegramUser] = {}
        self.keys: dict[str, bytes] = {}
        """Every seal's key seen in the data folder during the run, by its name."""

    @property
    def services(self) -> Services:
        assert self.harness.app is not None and self.harness.app.services is not None
        return self.harness.app.services

    async def step(self, action: Callable[[], Awaitable[object]]) -> None:
        await action()
        await _settled(self.services)
        database = self.harness.settings.database_path
        folder = database.parent.parent / f"snapshot-{len(self.snapshots):02d}"
        self.snapshots.append(_snapshot(database, folder))
        for key in self.harness.settings.seals_dir.glob("*.key"):
            self.keys[key.stem] = key.read_bytes()

    async def until(self, unit: str, text: str) -> Sent:
        while text not in (message := await self.users[unit].next_message(20)).text:
            pass
        return message

    async def ask(self, unit: str, message: Sent, label: str, answer: str) -> Sent:
        self.users[unit].press(message, label)
        return await self.until(unit, answer)

    async def say(self, unit: str, text: str, answer: str) -> Sent:
        self.users[unit].send(text)
        return await self.until(unit, answer)

    async def quiet(self) -> None:
        """Every message so far delivered and read (the join notices)."""
        await _settled(self.services)
        for user in self.users.values():
            queue = self.telegram.queue(user.chat_id)
            while not queue.empty():
                queue.get_nowait()


async def _settled(services: Services) -> None:
    async def drained() -> None:
        while await services.outbox.repo.pending(services.clock.now()):
            await asyncio.sleep(0.02)

    await asyncio.wait_for(drained(), 20)


def _snapshot(database: Path, copy: Path) -> Snapshot:
    """The file and its log as a copy taken now would hold them (a backup, a shell's copy)."""
    raw = b"".join(p.read_bytes() for p in database.parent.glob(f"{database.name}*"))
    copy.mkdir()
    for part in database.parent.glob(f"{database.name}*"):
        if not part.name.endswith("-shm"):
            shutil.copy(part, copy / part.name)
    with closing(sqlite3.connect(copy / database.name)) as conn:
        lines = []
        for (table,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'"):
            cursor = conn.execute(f'SELECT * FROM "{table}"')
            names = [d[0] for d in cursor.description]
            for row in cursor:
                shown = [
                    "<unstable>" if (table, name) in UNSTABLE else _masked(value)
                    for name, value in zip(names, row, strict=True)
                ]
                lines.append(f"{table}: {shown}")
    return lines, raw, copy / database.name


def _masked(value: object) -> object:
    if isinstance(value, bytes):
        return f"<{len(value)} bytes>"
    if isinstance(value, str):
        return RANDOM.sub(lambda m: f"<random {len(m.group())}>", value)
    return value


async def _run(tmp: Path, clock: FixedClock, picks: dict[str, str]) -> Vote:
    """The audited vote: the chair opens a Flag ballot among MA, DB and ML; MA's ticked menu
    and preview fail to send; the chair tries to close early; MA, DB and ML vote; DBP casts
    after the closing time; the round closes at its time."""
    clock.set(START)
    async with FakeTelegram() as telegram:
        settings = Settings(
            _env_file=None,
            data_dir=tmp / "data",
            web_port=0,
            telegram_token=SecretStr(telegram.token),
            telegram_base_url=telegram.base_url,
            telegram_file_url=telegram.file_url,
            telegram_poll_timeout=1,
            telegram_timeout=0.5,
            send_chat_interval=0,
            send_backoff_seconds=0.01,
        )
        harness = Harness(settings, clock)
        app = await harness.start()
        await app.jobs.stop(grace=10)  # the periodic work runs at the steps' times instead
        assert app.reminders is not None
        await app.reminders.tick()
        try:
            vote = Vote(harness, telegram, clock)
            for n, unit in enumerate(UNITS, start=1):
                vote.users[unit] = telegram.user(n, f"Cán bộ {unit}")
                role = Role.CHAIR if unit == "TG" else Role.MEMBER
                await register(app, vote.users[unit], unit, role)
            await vote.quiet()
            await vote.step(lambda: _open_ballot(vote))
            await _cast(vote, "MA", picks["MA"], failing=True)
            await vote.step(lambda: _early_close_refused(vote))
            await _cast(vote, "DB", picks["DB"])
            await _cast(vote, "ML", picks["ML"])
            await vote.step(lambda: _early_close_not_confirmed(vote))
            await _late_ballot(vote)
            await vote.step(lambda: _close_at_its_time(vote))
        finally:
            await harness.stop()
    return vote


async def _open_ballot(vote: Vote) -> None:
    chair = vote.users["TG"]
    turnout = await vote.say("TG", "/bophieu", "Chưa có cuộc bỏ phiếu nào đang mở")
    titles = await vote.ask("TG", turnout, "Mở cuộc bỏ phiếu mới", "danh hiệu hay chức danh")
    await vote.ask("TG", titles, "Cờ thi đua", "ứng viên")
    chair.send("MA DB ML")
    candidates = await vote.until("TG", "ứng viên")
    seats = await vote.ask("TG", candidates, "Giữ các ứng viên này", "Bầu bao nhiêu")
    closes = await vote.ask("TG", seats, "1", "Khi nào")
    confirm = await vote.ask("TG", closes, "Sau 24 giờ", "trên 50 %")
    await vote.ask("TG", confirm, "Mở bỏ phiếu", "đang được gửi tới 5")
    for unit in UNITS:
        await vote.until(unit, "🗳")


async def _cast(vote: Vote, unit: str, pick: str, failing: bool = False) -> None:
    """A unit's officer votes: each press is a step; with ``failing`` the ticked menu's send
    is refused (429) and the preview's fails (502), so both go through the outbox."""
    user, chat = vote.users[unit], vote.users[unit].chat_id
    vote.clock.set(vote.clock.now() + timedelta(minutes=5))
    held: dict[str, Sent] = {}

    async def offer() -> None:
        held["offer"] = await vote.say(unit, "/bophieu", "đang mở cho đơn vị")

    async def menu() -> None:
        held["menu"] = await vote.ask(unit, held["offer"], "Bỏ phiếu", "Chọn tối đa")

    async def tick() -> None:
        if failing:
            vote.telegram.faults.append(
                Fault("sendMessage", 429, "Too Many Requests: retry after 1", 1, chat_id=chat)
            )
        user.press(held["menu"], pick)
        if failing:  # the stand-in comes from the outbox; it shows the ticked menu again
            stand_in = await vote.until(unit, "đang được giữ dưới dạng nháp")
            user.press(stand_in, "Xem phiếu của tôi")
        held["menu"] = await vote.until(unit, "Chọn tối đa")
        assert f"{TICK} " in held["menu"].text and pick in held["menu"].text

    async def preview() -> None:
        if failing:
            vote.telegram.faults.append(Fault("sendMessage", 502, "Bad Gateway", chat_id=chat))
        user.press(held["menu"], "Xem lại và bỏ phiếu")
        if failing:
            stand_in = await vote.until(unit, "đang được giữ dưới dạng nháp")
            user.press(stand_in, "Xem phiếu của tôi")
        held["preview"] = await vote.until(unit, "không thể thay đổi")

    async def cast() -> None:
        user.press(held["preview"], "Bỏ lá phiếu")
        await vote.until(unit, "đã được bỏ vào hòm phiếu")

    for action in (offer, menu, tick, preview, cast):
        await vote.step(action)
    if failing:
        assert all(f.times == 0 for f in vote.telegram.faults)  # both sends really failed


async def _early_close_refused(vote: Vote) -> None:
    """One ballot of five is in: the chair is offered no way to close the round."""
    turnout = await vote.say("TG", "/bophieu", "đơn vị đã bỏ phiếu")
    assert "1/5 đơn vị đã bỏ phiếu" in turnout.text and "3/5 đơn vị" in turnout.text
    assert not any("Kết thúc vòng" in label for label, _data in turnout.buttons)


async def _early_close_not_confirmed(vote: Vote) -> None:
    """Three ballots are in (the quorum): closing early asks the chair to confirm first."""
    turnout = await vote.say("TG", "/bophieu", "đơn vị đã bỏ phiếu")
    await vote.ask("TG", turnout, "Kết thúc vòng 1", "Kết thúc vòng ngay và kiểm 3 phiếu")
    [stored] = await vote.services.ballots.open_rounds()
    assert stored.closed_at is None  # not confirmed: still open


async def _late_ballot(vote: Vote) -> None:
    """DBP reviews its ballot in time and presses "cast" after the closing time, before any
    tick could close the round: refused at once."""
    held: dict[str, Sent] = {}

    async def review() -> None:
        offer = await vote.say("DBP", "/bophieu", "đang mở cho đơn vị")
        menu = await vote.ask("DBP", offer, "Bỏ phiếu", "Chọn tối đa")
        menu = await vote.ask("DBP", menu, "(MA)", "Chọn tối đa")
        held["preview"] = await vote.ask("DBP", menu, "Xem lại và bỏ phiếu", "không thể thay đổi")

    async def too_late() -> None:
        [stored] = await vote.services.ballots.open_rounds()
        vote.clock.set(stored.closes_at + timedelta(minutes=1))
        await vote.ask("DBP", held["preview"], "Bỏ lá phiếu", "Cuộc bỏ phiếu này đã kết thúc")
        assert await vote.services.ballots.voters(stored.id) == {"MA", "DB", "ML"}

    await vote.step(review)
    await vote.step(too_late)


async def _close_at_its_time(vote: Vote) -> None:
    app = vote.harness.app
    assert app is not None and app.reminders is not None
    await app.reminders.tick()
    for unit in UNITS:
        await vote.until(unit, "Kết quả bỏ phiếu")


async def test_no_snapshot_of_the_database_links_a_unit_to_its_choice(
    tmp_path: Path, clock: FixedClock
) -> None:
    first = {"MA": "(DB)", "DB": "(ML)", "ML": "(ML)"}
    swapped = {"MA": "(ML)", "DB": "(DB)", "ML": "(ML)"}
    one = await _run(tmp_path / "one", clock, first)
    two = await _run(tmp_path / "two", clock, swapped)
    assert len(one.snapshots) == len(two.snapshots) == 21
    for n, ((rows_one, _, _), (rows_two, _, _)) in enumerate(
        zip(one.snapshots, two.snapshots, strict=True)
    ):
        assert rows_one == rows_two, f"snapshot {n} tells the two votes apart"
    for vote in (one, two):
        assert len(vote.keys) == 2  # the round's, then the second round's
        for rows, raw, _copy in vote.snapshots:
            assert TICK.encode() not in raw  # the file and its log, free pages and frames too
            assert not [line for line in rows if TICK in line]
            assert not [key for key in vote.keys.values() if key in raw]  # nor does a seal
    # the box before the close: three sealed ballots, which its key alone opens
    with closing(sqlite3.connect(one.snapshots[-2][2])) as conn:
        [(seal,)] = conn.execute("SELECT seal FROM ballot_rounds").fetchall()
        box = [bytes(r[0]) for r in conn.execute("SELECT sealed FROM ballot_box")]
    assert len(box) == 3 and len({len(sealed) for sealed in box}) == 1
    with pytest.raises(SealBroken):
        BallotSeals(tmp_path / "no-keys").open(seal, box[0], "ballot")
    keys = tmp_path / "keys"
    keys.mkdir()
    (keys / f"{seal}.key").write_bytes(one.keys[seal])
    opened = sorted(BallotSeals(keys).open(seal, sealed, "ballot") for sealed in box)
    assert opened == [b"\x02", b"\x04", b"\x04"]  # DB, ML, ML: bits over (MA, DB, ML)
    assert not list(one.harness.settings.seals_dir.glob(f"{seal}.key"))  # destroyed at the close
    rows, _raw, _copy = one.snapshots[-1]
    counts = sorted(line for line in rows if line.startswith("ballot_counts:"))
    assert counts == [
        f"ballot_counts: [1, '{c}', {n}]" for c, n in (("DB", 1), ("MA", 0), ("ML", 2))
    ]
    assert not [line for line in rows if line.startswith(("ballot_box: [1,", "conversations:"))]
    # the failed menu and preview went through the outbox as their stand-ins, sent
    stand_ins = [line for line in one.snapshots[5][0] if "dưới dạng nháp" in line]
    assert len(stand_ins) == 2 and all("'sent'" in line for line in stand_ins)
