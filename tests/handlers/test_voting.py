"""The vote in chat: the chair opens a ballot, each unit votes once after a preview, the unvoted
are reminded, the close counts under the rule (a second round among the tied), the results go to
every officer, and nothing stored or logged links a unit to its choice."""

from __future__ import annotations

import logging
import re
import shutil
import sqlite3
import time
from contextlib import closing
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.app import build_router, open_services
from bot.clock import FixedClock
from bot.cluster_files import load_cluster_year
from bot.config import BUNDLED_CLUSTER, Settings
from bot.domain.access import Role
from bot.domain.ballots import AfterLastRound, Ballot, ElectionRule, Tally, Title, judge
from bot.engine.dispatcher import Dispatcher
from bot.logs import CHATTY, NOISY
from bot.services.container import Services
from bot.services.reminders import ReminderTicker
from bot.usecases.voting import decided
from tests.clusters import join
from tests.memory_channel import MemoryChat
from tests.unit.test_document_drafts import docx_text

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
START = datetime(2022, 12, 20, 8, 0, tzinfo=ZONE)
UNITS = ("TG", "MA", "DB", "ML", "DBP")


async def _people(services: Services, dispatcher: Dispatcher) -> dict[str, MemoryChat]:
    for unit in UNITS:
        role = Role.CHAIR if unit == "TG" else Role.MEMBER
        await join(services, "memory", unit.lower(), unit, role)
    return {unit: MemoryChat(dispatcher, unit.lower()) for unit in UNITS}


async def _open_flag_ballot(
    chair: MemoryChat, candidates: str = "MA DB ML", title: str = "Cờ thi đua"
) -> None:
    await chair.say("/bophieu")
    assert "Chưa có cuộc bỏ phiếu nào đang mở" in chair.text
    await chair.choose("Mở cuộc bỏ phiếu mới")
    await chair.choose(title)
    await chair.say(candidates)
    await chair.choose("Giữ các ứng viên này")
    await chair.choose("1")
    await chair.choose("Sau 24 giờ")
    assert "trên 50 %" in chair.text
    await chair.choose("Mở bỏ phiếu")
    assert "đang được gửi tới 5" in chair.text


async def _vote(chat: MemoryChat, *picks: str) -> None:
    await chat.say("/bophieu")
    await chat.choose("Bỏ phiếu")
    for pick in picks:
        await chat.choose(pick)
    await chat.choose("Xem lại và bỏ phiếu")
    await chat.choose("Bỏ lá phiếu")


async def test_one_unit_one_ballot_reminders_and_a_second_round_among_the_tied(
    dispatcher: Dispatcher, services: Services
) -> None:
    clock = services.clock
    assert isinstance(clock, FixedClock)
    clock.set(START)
    chats = await _people(services, dispatcher)
    await _open_flag_ballot(chats["TG"])
    # a ballot is previewed, then cast once; a second try gets a polite answer
    await chats["MA"].say("/bophieu")
    await chats["MA"].choose("Bỏ phiếu")
    await chats["MA"].choose("(DB)")
    await chats["MA"].choose("(ML)")
    assert "Tối đa 1 ứng viên" in chats["MA"].text
    await chats["MA"].choose("Xem lại và bỏ phiếu")
    assert "Huyện Điện Biên (DB)" in chats["MA"].text and "không thể thay đổi" in chats["MA"].text
    await chats["MA"].choose("Bỏ lá phiếu")
    assert "đã được bỏ vào hòm phiếu" in chats["MA"].text
    await chats["MA"].say("/bophieu")
    assert "đã bỏ phiếu" in chats["MA"].text
    assert not any(o.label == "Bỏ phiếu" for r in chats["MA"].last for o in r.options)
    await _vote(chats["DB"], "(ML)")
    await _vote(chats["TG"], "(DB)")
    # the chair sees who has voted, never what
    await chats["TG"].say("/bophieu")
    assert "3/5 đơn vị đã bỏ phiếu" in chats["TG"].text
    assert "⏳ Thị xã Mường Lay (ML)" in chats["TG"].text
    # half-way through, the units that have not voted are reminded, once
    clock.set(START + timedelta(hours=12, minutes=30))
    ticker = ReminderTicker(services, timedelta(hours=12))
    await ticker.tick()
    await ticker.tick()
    rows = await services.db.fetchall(
        "SELECT chat_id FROM outbox WHERE key LIKE '%remind:ballot-%'"
    )
    assert sorted(r[0] for r in rows) == ["dbp", "ml"]
    await _vote(chats["ML"], "(ML)")
    # at the close: DB 2, ML 2 of 5 units — nobody has more than half: a second round
    clock.set(START + timedelta(hours=24))
    await ticker.tick()
    results = await services.db.fetchall(
        "SELECT payload FROM outbox WHERE key LIKE '%ballot-result:%'"
    )
    assert len(results) == 5  # every officer
    assert "Vòng 1" in results[0][0] or "vòng 1" in results[0][0]
    [runoff] = await services.ballots.open_rounds()
    assert runoff.number == 2 and set(runoff.candidates) == {"MA", "DB", "ML"}
    for unit in ("MA", "DB", "TG"):
        await _vote(chats[unit], "(DB)")
    await chats["TG"].say("/bophieu")
    await chats["TG"].choose("Kết thúc vòng 2")
    assert "3/5 đơn vị đã bỏ phiếu. Kết thúc vòng ngay" in chats["TG"].text
    assert await decided(services) == {}  # not before the chair confirms
    await chats["TG"].choose("Kết thúc và kiểm phiếu ngay")
    assert await decided(services) == {Title.FLAG: ("DB",)}


async def test_the_vote_for_next_years_chair_starts_the_handover(
    dispatcher: Dispatcher, services: Services
) -> None:
    clock = services.clock
    assert isinstance(clock, FixedClock)
    clock.set(START)
    chats = await _people(services, dispatcher)
    await _open_flag_ballot(chats["TG"], "MA DB", "Trưởng Cụm năm sau")
    for unit in ("MA", "DB", "ML"):
        await _vote(chats[unit], "(MA)")
    await _vote(chats["TG"], "(DB)")
    await chats["TG"].say("/bophieu")
    await chats["TG"].choose("Kết thúc vòng 1")
    await chats["TG"].choose("Kết thúc và kiểm phiếu ngay")
    assert await decided(services) == {Title.CHAIR: ("MA",)}
    results = await services.db.fetchall("SELECT payload FROM outbox WHERE key LIKE '%result%'")
    assert "Trúng cử: Huyện Mường Ảng (MA)" in results[0][0]
    # the minutes drafted by /vanban carry the counts of the round
    await chats["TG"].say("/vanban")
    await chats["TG"].choose("Biên bản họp bình xét")
    docx = chats["TG"].last[0].attachment
    assert docx is not None and docx.name == "bien-ban-2022.docx"
    minutes = docx_text(docx.data)
    assert "Bỏ phiếu đơn vị Trưởng Cụm năm 2023 (vòng 1, bầu 1 đơn vị): 4/5 đơn vị" in minutes
    assert "Huyện Mường Ảng | 3 | 60 | Trúng" in minutes
    assert [r.attachment.name for r in chats["TG"].last if r.attachment][1:] in (
        [],
        ["bien-ban-2022.pdf"],
    )
    await chats["TG"].say("/bangiao")
    assert "Theo kết quả bỏ phiếu: Huyện Mường Ảng (MA) làm Trưởng Cụm năm 2023" in chats["TG"].text
    assert "Phó Trưởng Cụm" in chats["TG"].text  # the deputy is asked next


async def test_the_ballot_and_its_receipt_are_one_transaction(
    dispatcher: Dispatcher, services: Services
) -> None:
    """The cast and its receipt's journal commit together: when the journal cannot be written,
    the ballot is not in the box either, the unit may still vote and its draft is intact; once
    the journal can be written again, the same button casts it, once."""
    clock = services.clock
    assert isinstance(clock, FixedClock)
    clock.set(START)
    chats = await _people(services, dispatcher)
    await _open_flag_ballot(chats["TG"])
    await services.db.execute(
        "CREATE TEMP TRIGGER no_journal BEFORE INSERT ON outbox WHEN NEW.key LIKE 'journal:%'"
        " BEGIN SELECT RAISE(ABORT, 'the journal cannot be written'); END"
    )
    ma = chats["MA"]
    await ma.say("/bophieu")
    await ma.choose("Bỏ phiếu")
    await ma.choose("(DB)")
    preview = await ma.choose("Xem lại và bỏ phiếu")
    await ma.choose("Bỏ lá phiếu")
    assert "chưa có gì bị thay đổi" in ma.text
    [stored] = await services.ballots.open_rounds()
    assert await services.ballots.voters(stored.id) == set()
    assert await services.db.fetchall("SELECT * FROM ballot_box") == []
    draft = await services.conversations.get("memory", "ma")
    assert draft is not None and draft.step == "preview"
    await services.db.execute("DROP TRIGGER no_journal")
    ma.last = preview  # the same button again
    await ma.choose("Bỏ lá phiếu")
    assert "đã được bỏ vào hòm phiếu" in ma.text
    assert await services.ballots.voters(stored.id) == {"MA"}
    assert len(await services.db.fetchall("SELECT * FROM ballot_box")) == 1
    journal = await services.db.fetchall("SELECT key FROM outbox WHERE key LIKE 'journal:%'")
    assert len(journal) == 1


async def test_an_open_reader_does_not_hold_up_a_cast(
    dispatcher: Dispatcher, services: Services
) -> None:
    """A reader holding the database open (a backup, a shell) used to make the cast wait for
    the checkpoint after it — the busy time-out, 5 s, during which every write stalled. No
    checkpoint runs inside an event now: the cast is answered at once."""
    clock = services.clock
    assert isinstance(clock, FixedClock)
    clock.set(START)
    chats = await _people(services, dispatcher)
    await _open_flag_ballot(chats["TG"])
    with closing(sqlite3.connect(services.settings.database_path)) as reader:
        reader.execute("BEGIN")
        reader.execute("SELECT COUNT(*) FROM ballot_voters").fetchall()  # a read snapshot
        started = time.monotonic()
        await _vote(chats["MA"], "(DB)")
        assert time.monotonic() - started < services.settings.database_busy_seconds / 2
        reader.rollback()
    assert "đã được bỏ vào hòm phiếu" in chats["MA"].text


def _dump(path: Path) -> list[str]:
    """Every row of every table, in the file's own order, with sealed bytes masked."""
    conn = sqlite3.connect(path)
    lines = []
    for (table,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'"):
        for row in conn.execute(f'SELECT * FROM "{table}"'):
            shown = tuple(f"<{len(v)} bytes>" if isinstance(v, bytes) else v for v in row)
            lines.append(f"{table}: {shown!r}")
    conn.close()
    return lines


async def _secret_run(
    tmp: Path, picks: dict[str, str], caplog: pytest.LogCaptureFixture
) -> tuple[list[str], list[str], bytes]:
    settings = Settings(_env_file=None, data_dir=tmp / "data", web_port=0)
    clock = FixedClock(START)
    services = await open_services(settings, clock)
    try:
        dispatcher = Dispatcher(services, build_router())
        chats = await _people(services, dispatcher)
        await _open_flag_ballot(chats["TG"])
        for unit in ("MA", "DB", "ML", "DBP", "TG"):
            clock.set(clock.now() + timedelta(minutes=5))
            await _vote(chats[unit], picks[unit])
    finally:
        await services.db.close()
    raw = b"".join(p.read_bytes() for p in (tmp / "data").glob("cumthidua.sqlite3*"))
    everything = [f"{r.name} {r.levelname} {r.getMessage()}" for r in caplog.records]
    assert not [line for line in everything if "picked" in line or "☑" in line]
    logs = [line for line in everything if line.startswith(("bot", "handlers", "storage"))]
    caplog.clear()
    return _dump(tmp / "data" / "cumthidua.sqlite3"), logs, raw


def _masked(lines: list[str]) -> list[str]:
    """Random option tokens and invitation codes differ from run to run by design."""
    tokens = re.compile(r"'[A-Za-z0-9_-]{8}'|CTD-[A-Z0-9-]+|[0-9a-f]{16,64}|\b\d{18,}\b")
    return [tokens.sub("<random>", line) for line in lines]


async def test_nothing_stored_or_logged_links_a_unit_to_its_choice(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Two votes with the same voters at the same times, where two units swap their choices,
    leave the same database, row for row in the file's order, and the same log lines: nothing
    kept tells which unit ticked which candidate. The draft is gone from the file and its log."""
    caplog.set_level(logging.DEBUG)
    for name in (*CHATTY, *NOISY):  # as the bot sets them even at DEBUG (bot.logs)
        caplog.set_level(logging.INFO, logger=name)
    first = {"MA": "(DB)", "DB": "(ML)", "ML": "(ML)", "DBP": "(MA)", "TG": "(DB)"}
    swapped = {**first, "MA": "(ML)", "DB": "(DB)"}
    one = await _secret_run(tmp_path / "one", first, caplog)
    two = await _secret_run(tmp_path / "two", swapped, caplog)
    assert _masked(one[0]) == _masked(two[0])
    assert _masked(one[1]) == _masked(two[1])
    assert sum(line.startswith("ballot_box:") for line in one[0]) == 5  # sealed, unopened
    assert not any(line.startswith("ballot_counts:") for line in one[0])  # counted at the close
    assert any("ballot cast" in line for line in one[1])
    for raw in (one[2], two[2]):
        assert b'"picked"' not in raw
        assert "☑".encode() not in raw


def test_the_rule_is_cluster_year_data(tmp_path: Path) -> None:
    """``election:`` in cluster.yaml sets the rule ("từ 80 % trở lên", one round, the record
    decides); the bundled folder keeps the default (more than half, two rounds)."""
    folder = tmp_path / "cluster"
    shutil.copytree(BUNDLED_CLUSTER, folder)
    with (folder / "cluster.yaml").open("a", encoding="utf-8") as handle:
        handle.write(
            "election: {share: 0.8, strictly_more: false, max_rounds: 1,"
            " after_last_round: record}\n"
        )
    rule = load_cluster_year(folder).cluster.election
    assert rule == ElectionRule(
        share=0.8, strictly_more=False, max_rounds=1, after_last_round=AfterLastRound.RECORD
    )
    assert rule.meets(4, 5) and not rule.meets(3, 5)
    assert load_cluster_year(BUNDLED_CLUSTER).cluster.election == ElectionRule()
    ballot = Ballot(Title.FLAG, ("MA", "DB"), 1, frozenset(UNITS), rule)
    result = judge(ballot, Tally({"MA": 3, "DB": 2}, 5, 5), ["DB", "MA"])
    assert result.elected == ("DB",) and result.by_record == ("DB",)  # short: the record decides
