"""Fuzzing the dispatcher with random events — any script, huge texts, junk commands, forged
options, random documents — from registered and unregistered people on both channels, in two
clusters: nothing crashes, unauthorised senders change nothing, nothing of the lowland cluster
is shown to or changed by the highland cluster's people (its chair included), and the database
stays sound.

Quick in ``make test``; ``make soak`` runs it with many more examples (FUZZ_EXAMPLES)."""

from __future__ import annotations

import asyncio
import os
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
from bot.domain.messages import Inbound, InboundFile
from bot.engine.dispatcher import Dispatcher
from bot.services.container import Services
from storage.invitations import Claimant
from tests.clusters import add_highland

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "150"))
COMMANDS = sorted(build_router().commands)
MANAGED_TABLES = {  # the lowland cluster's rows of what only its managers may change
    "officers": "cluster_id = {cluster}",
    "invitations": "cluster_id = {cluster}",
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
PEOPLE = [  # (channel, user, role, highland unit)
    ("telegram", "u-none", None, None),
    ("zalo", "z-none", None, None),
    ("telegram", "u-member", Role.MEMBER, None),
    ("zalo", "z-observer", Role.OBSERVER, None),
    ("telegram", "u-chair2", Role.CHAIR, "MN"),
    ("zalo", "z-member2", Role.MEMBER, "MC"),
]
LOWLAND_NAMES = ("Tuần Giáo", "Mường Ảng", "Điện Biên Phủ", "Mường Lay", "vùng thấp")
APOLOGY = "Xin lỗi, hệ thống vừa gặp sự cố"

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
event = st.tuples(
    st.sampled_from(range(len(PEOPLE))),
    st.one_of(
        text.map(lambda t: {"text": t}),
        command.map(lambda c: {"command": c[0], "args": tuple(c[1])}),
        st.text(max_size=12).map(lambda t: {"option_token": t}),
        document.map(lambda d: {"files": (InboundFile(d[0], d[2] + d[1]),)}),
        st.sampled_from(
            [{"unsupported": "sticker"}, {"file_error": "too_big"}, {"membership": "blocked"}]
        ),
    ),
)


async def _snapshot(services: Services) -> dict[str, list[tuple[object, ...]]]:
    found = {}
    scope = {"cluster": services.year.cluster_id, "year": services.year.id}
    for table, where in MANAGED_TABLES.items():
        columns = (
            "id, name, unit_code, role, is_primary, removed_at" if table == "officers" else "*"
        )
        condition = where.format(**scope)  # two integers of ours
        rows = await services.db.fetchall(
            f"SELECT {columns} FROM {table} WHERE {condition} ORDER BY rowid"
        )
        found[table] = [tuple(r) for r in rows]
    return found


async def _setup(tmp: Path) -> tuple[Services, Dispatcher]:
    clock = FixedClock(datetime(2022, 6, 20, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")))
    services = await open_services(Settings(_env_file=None, data_dir=tmp), clock)
    services.web_url = "http://127.0.0.1:9"  # links are made, never opened
    dispatcher = Dispatcher(
        services,
        build_router(),
        lambda i: services.officers.actor(i.channel, i.user_id, clock.now()),
    )
    dispatcher.capabilities = {"zalo": ZALO}
    highland = await add_highland(services)
    for channel, user, role, highland_unit in PEOPLE:
        if role is not None:
            where = highland if highland_unit else services
            unit = highland_unit or ("MA" if role is Role.MEMBER else None)
            _id, code = await where.invitations.create(
                unit, role, clock.now(), timedelta(days=1), None, "fuzz"
            )
            await where.invitations.redeem(
                code, Claimant(channel, user, user, "Người thử"), clock.now()
            )
    return services, dispatcher


def test_random_events_change_nothing_they_should_not(tmp_path: Path) -> None:
    loop = asyncio.new_event_loop()
    services, dispatcher = loop.run_until_complete(_setup(tmp_path / "data"))
    before = loop.run_until_complete(_snapshot(services))

    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.lists(event, min_size=1, max_size=12))
    def play(events: list[tuple[int, dict[str, object]]]) -> None:
        for who, fields in events:
            channel, user, _role, highland_unit = PEOPLE[who]
            inbound = Inbound(
                channel=channel, chat_id=user, user_id=user, display_name="x", **fields
            )  # type: ignore[arg-type]
            replies = loop.run_until_complete(dispatcher.handle(inbound))
            assert not any(APOLOGY in r.text for r in replies), (fields, [r.text for r in replies])
            if highland_unit is not None:  # nothing of the other cluster is shown
                shown = " ".join(r.text + " ".join(o.label for o in r.options) for r in replies)
                assert not [n for n in LOWLAND_NAMES if n in shown], (fields, shown)

    try:
        play()
        after = loop.run_until_complete(_snapshot(services))
        assert after == before  # no sender here may change what only managers change
        assert loop.run_until_complete(services.db.integrity_check()) == "ok"
    finally:
        loop.run_until_complete(services.db.close())
        loop.close()
