"""Fuzzing the dispatcher with random events — any script, huge texts, junk commands, forged
options, presses of the buttons the bot really issued, random documents — from registered and
unregistered people, in private and in a group chat, on both channels, in two clusters.

Each example starts from the same prepared database and is checked on its own, so Hypothesis can
shrink a failure to its smallest sequence: no handler fails, the database stays sound, what
changed in the lowland cluster is what its senders may change themselves (an officer may leave;
/toi makes a link code for its own officer), nothing that only managers change, and nothing of
the lowland cluster is shown to or changed by the highland cluster's people (its chair
included).

Quick in ``make test``; ``make soak`` runs it with many more examples (FUZZ_EXAMPLES)."""

from __future__ import annotations

import asyncio
import os
import shutil
import tempfile
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.app import build_router, open_services
from bot.channels.zalo import CAPABILITIES as ZALO
from bot.clock import FixedClock
from bot.config import Settings
from bot.domain.access import Role
from bot.domain.invitations import Claimant
from bot.domain.messages import ChatKind, Inbound, InboundFile, Reply
from bot.engine.dispatcher import Dispatcher
from bot.services.container import Services
from tests.clusters import add_highland

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "150"))
COMMANDS = sorted(build_router().commands)
MANAGED_TABLES = {
    "deliverable_marks": "cluster_year_id = {year}",
    "task_marks": "cluster_year_id = {year}",
    "score_reviews": "cluster_year_id = {year}",
    "score_lock": "cluster_year_id = {year}",
    "award_decisions": "cluster_year_id = {year}",
    "announcements": "cluster_year_id = {year}",
    "cluster_groups": "cluster_id = {cluster}",
    "plan_versions": "cluster_year_id = {year}",
    "cluster_years": "cluster_id = {cluster}",
}
"""The lowland cluster's rows that only its managers change: no fuzzed sender may change one."""
SELF_SERVICE = {"officers": "cluster_id = {cluster}", "invitations": "cluster_id = {cluster}"}
"""The lowland cluster's rows its officers may change for themselves (leave, link codes)."""
GROUP = "-500"


@dataclass(frozen=True)
class Person:
    channel: str
    user: str
    role: Role | None
    chat: str
    highland_unit: str | None = None
    """The unit of the second (highland) cluster this person belongs to."""

    @property
    def kind(self) -> ChatKind:
        return ChatKind.GROUP if self.chat.startswith("-") else ChatKind.PRIVATE


PEOPLE = [
    Person("telegram", "u-none", None, "u-none"),
    Person("zalo", "z-none", None, "z-none"),
    Person("telegram", "u-member", Role.MEMBER, "u-member"),
    Person("zalo", "z-observer", Role.OBSERVER, "z-observer"),
    Person("telegram", "u-member", Role.MEMBER, GROUP),
    Person("telegram", "u-member2", Role.MEMBER, GROUP),
    Person("telegram", "u-none", None, GROUP),
    Person("telegram", "u-chair2", Role.CHAIR, "u-chair2", "MN"),
    Person("zalo", "z-member2", Role.MEMBER, "z-member2", "MC"),
]
LOWLAND_NAMES = ("Tuần Giáo", "Mường Ảng", "Điện Biên Phủ", "Mường Lay", "vùng thấp")
LOWLAND_NAMES = ("Tuần Giáo", "Mường Ảng", "Điện Biên Phủ", "Mường Lay", "vùng thấp")
APOLOGY = "Xin lỗi, hệ thống vừa gặp sự cố"
START = datetime(2022, 6, 20, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))

text = st.one_of(
    st.text(max_size=60),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=3000, max_size=12000),
    st.sampled_from(
        ["1", "2", "Xong", "xong", "ghi chú abc", "5 lý do", "Đạt", "CTD-0000-0000-0000-0000-0000"]
    ),
)
command = st.tuples(
    st.sampled_from([*COMMANDS, "khong", "x" * 80]), st.lists(st.text(max_size=20), max_size=4)
)
document = st.tuples(
    st.text(min_size=1, max_size=40),
    st.binary(max_size=3000),
    st.sampled_from([b"", b"%PDF-1.4\n", b"PK\x03\x04", b"MZ\x90"]),
)
action = st.one_of(
    text.map(lambda t: {"text": t}),
    command.map(lambda c: {"command": c[0], "args": tuple(c[1])}),
    st.text(max_size=12).map(lambda t: {"option_token": t}),
    st.integers(min_value=0, max_value=7).map(lambda n: {"press": n}),
    st.integers(min_value=0, max_value=7).map(lambda n: {"press": n}),
    document.map(lambda d: {"files": (InboundFile(d[0], d[2] + d[1]),)}),
    st.sampled_from([{"unsupported": "sticker"}, {"file_error": "too_big"}, {"membership": None}]),
)
event = st.tuples(st.sampled_from(range(len(PEOPLE))), action)

Snapshot = dict[str, list[tuple[object, ...]]]


async def _snapshot(services: Services) -> Snapshot:
    found = {}
    scope = {"cluster": services.year.cluster_id, "year": services.year.id}
    for table, where in {**MANAGED_TABLES, **SELF_SERVICE}.items():
        columns = (
            "id, name, unit_code, role, is_primary, removed_at" if table == "officers" else "*"
        )
        condition = where.format(**scope)  # two integers of ours
        rows = await services.db.fetchall(
            f"SELECT {columns} FROM {table} WHERE {condition} ORDER BY rowid"
        )
        found[table] = [tuple(r) for r in rows]
    return found


def _check_changes(before: Snapshot, after: Snapshot, own: dict[int, tuple[str, str]]) -> None:
    """Only what the senders may change themselves has changed. ``own`` maps each fuzzed
    officer's id to their (unit, role)."""
    for table in MANAGED_TABLES:
        assert after[table] == before[table], table
    officers_before = {row[0]: row for row in before["officers"]}
    assert {row[0] for row in after["officers"]} == set(officers_before)  # nobody joined
    for row in after["officers"]:
        old = officers_before[row[0]]
        if row != old:  # an officer left: their own row only, marked removed, not primary
            assert row[0] in own and old[5] is None and row[5] is not None, (old, row)
            assert row[:4] == old[:4] and row[4] == 0, (old, row)
    assert after["invitations"][: len(before["invitations"])] == before["invitations"]
    for row in after["invitations"][len(before["invitations"]) :]:  # link codes, each for itself
        _id, _hash, unit, role, officer_id, created_by, *_rest = row
        assert officer_id in own and created_by == officer_id, row
        assert (unit, role) == own[officer_id], row


async def _prepare(template: Path) -> None:
    """The database every example starts from: the fuzzed officers registered."""
    services = await open_services(Settings(_env_file=None, data_dir=template), FixedClock(START))
    now = services.clock.now()
    highland = await add_highland(services)
    people = {(p.channel, p.user, p.role, p.highland_unit) for p in PEOPLE if p.role is not None}
    for channel, user, role, highland_unit in people:
        where = highland if highland_unit else services
        unit = highland_unit or ("MA" if role is Role.MEMBER else None)
        _id, code = await where.invitations.create(unit, role, now, timedelta(days=1), None, "fuzz")
        await where.invitations.redeem(code, Claimant(channel, user, user, "Người thử"), now)
    await services.db.close()


async def _open(data: Path) -> tuple[Services, Dispatcher]:
    clock = FixedClock(START)
    services = await open_services(Settings(_env_file=None, data_dir=data), clock)
    services.web_url = "http://127.0.0.1:9"  # links are made, never opened
    dispatcher = Dispatcher(
        services,
        build_router(),
        lambda i: services.officers.actor(i.channel, i.user_id, clock.now()),
    )
    dispatcher.capabilities = {"zalo": ZALO}
    return services, dispatcher


def _inbound(person: Person, fields: dict[str, object], shown: list[Reply]) -> Inbound:
    if "press" in fields:  # a button the bot really issued in this chat, when there is one
        options = [o for reply in shown for o in reply.options]
        press = int(fields["press"])  # type: ignore[call-overload]
        fields = {"option_token": options[press % len(options)].value} if options else {}
    if "membership" in fields:
        membership = "removed" if person.kind is ChatKind.GROUP else "blocked"
        fields = {"membership": membership}
    return Inbound(
        channel=person.channel,
        chat_id=person.chat,
        user_id=person.user,
        display_name="x",
        chat_kind=person.kind,
        **fields,  # type: ignore[arg-type]
    )


async def _play(data: Path, events: list[tuple[int, dict[str, object]]]) -> None:
    services, dispatcher = await _open(data)
    try:
        before = await _snapshot(services)
        own = {int(row[0]): (row[2], row[3]) for row in before["officers"] if row[5] is None}
        shown: dict[tuple[str, str], list[Reply]] = {}
        for who, fields in events:
            person = PEOPLE[who]
            chat = (person.channel, person.chat)
            inbound = _inbound(person, fields, shown.get(chat, []))
            replies = await dispatcher.handle(inbound)
            assert not any(APOLOGY in r.text for r in replies), (fields, [r.text for r in replies])
            if person.highland_unit is not None:  # nothing of the other cluster is shown
                seen = " ".join(r.text + " ".join(o.label for o in r.options) for r in replies)
                assert not [n for n in LOWLAND_NAMES if n in seen], (fields, seen)
            shown[chat] = replies or shown.get(chat, [])
        _check_changes(before, await _snapshot(services), own)
        assert await services.db.integrity_check() == "ok"
    finally:
        await services.db.close()


def test_random_events_change_only_what_their_senders_may(tmp_path: Path) -> None:
    loop = asyncio.new_event_loop()
    template = tmp_path / "template"
    loop.run_until_complete(_prepare(template))

    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.lists(event, min_size=1, max_size=12))
    def play(events: list[tuple[int, dict[str, object]]]) -> None:
        with tempfile.TemporaryDirectory(dir=tmp_path) as scratch:
            data = Path(scratch) / "data"
            shutil.copytree(template, data)
            loop.run_until_complete(_play(data, events))

    try:
        play()
    finally:
        loop.close()
