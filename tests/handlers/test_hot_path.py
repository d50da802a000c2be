"""The hot path of an officer's message: how many trips to the database thread it costs, the
role lookup kept in memory and forgotten when someone's role changes, and one transaction per
event that is committed before the event is answered."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.domain.access import Role
from bot.domain.invitations import Claimant
from bot.engine.dispatcher import Dispatcher
from bot.services.container import Services
from tests.clusters import join
from tests.memory_channel import MemoryChat

ROOT = Path(__file__).resolve().parents[2]


class Trips:
    """Counts the calls that cross to aiosqlite's thread, and the transactions committed."""

    def __init__(self, services: Services, monkeypatch: pytest.MonkeyPatch) -> None:
        self.trips = self.commits = 0
        conn, db = services.db._conn, services.db
        run, commit = conn._execute, db.commit

        async def counted_run(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
            self.trips += 1
            return await run(fn, *args, **kwargs)

        async def counted_commit(writes: Any) -> Any:
            self.commits += bool(writes.statements)
            return await commit(writes)

        monkeypatch.setattr(conn, "_execute", counted_run)
        monkeypatch.setattr(db, "commit", counted_commit)

    def reset(self) -> None:
        self.trips = self.commits = 0


async def test_a_known_officer_costs_one_trip_for_a_menu_and_none_for_plain_text(
    dispatcher: Dispatcher, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    await join(services, "memory", "u1", "MA", Role.MEMBER, "Lò Văn A")
    officer = MemoryChat(dispatcher, "u1")
    await officer.say("/toi")  # the first message reads who this is
    await officer.say("/huongdan")  # and the first answer without a menu forgets the last one
    trips = Trips(services, monkeypatch)
    await officer.say("/toi")
    assert "Lò Văn A" in officer.text and officer.last[0].options
    # the officer's channels come from memory too: one transaction for the menu, nothing else
    assert (trips.trips, trips.commits) == (1, 1)
    trips.reset()
    await officer.say("/huongdan")  # no menu: the last one is forgotten, in the same transaction
    assert (trips.trips, trips.commits) == (1, 1)
    trips.reset()
    await officer.say("/huongdan")  # nothing left to forget, nothing to read: no trip at all
    assert "/nopbaocao" in officer.text
    assert (trips.trips, trips.commits) == (0, 0)


async def test_the_role_lookup_follows_joins_removals_and_moves(
    dispatcher: Dispatcher, services: Services
) -> None:
    stranger = MemoryChat(dispatcher, "u2")
    await stranger.say("/toi")
    assert "chưa đăng ký" in stranger.text  # remembered as nobody…
    officer_id = await join(services, "memory", "u2", "MA", Role.MEMBER, "Lò Văn B")
    await stranger.say("/toi")
    assert "Lò Văn B" in stranger.text and "đầu mối chính" in stranger.text  # …until they join
    second = await join(services, "memory", "u3", "MA", Role.MEMBER, "Quàng Thị C")
    await services.officers.make_primary(second, "test", services.clock.now())
    await stranger.say("/toi")
    assert "đầu mối chính" not in stranger.text  # the primary mark moved away
    assert "Kênh: Memory." in stranger.text
    _id, code = await services.invitations.create(
        "MA", Role.MEMBER, services.clock.now(), timedelta(days=1), None, "test", officer_id
    )
    claimant = Claimant("zalo", "z2", "z2", "Lò Văn B")
    await services.invitations.redeem(code, claimant, services.clock.now())
    await stranger.say("/toi")
    assert "Kênh: Memory, Zalo." in stranger.text  # the linked channel shows at once
    await services.officers.remove(officer_id, "test", services.clock.now(), "officer.removed")
    await stranger.say("/toi")
    assert "chưa đăng ký" in stranger.text  # removed: nobody again


async def test_an_events_writes_are_committed_before_it_is_answered(
    dispatcher: Dispatcher, services: Services
) -> None:
    await join(services, "memory", "u4", "MA", Role.MEMBER)
    officer = MemoryChat(dispatcher, "u4")
    await officer.say("/nopbaocao")
    [menu] = officer.last
    rows = await services.db.fetchall(
        "SELECT token FROM option_tokens WHERE chat_id = 'u4' AND user_id = 'u4'"
    )
    assert {r["token"] for r in rows} >= {o.value for o in menu.options}
    state = await services.db.fetchone(
        "SELECT flow FROM conversations WHERE chat_id = 'u4' AND user_id = 'u4'"
    )
    assert state is not None


def test_every_writer_of_who_someone_is_forgets_the_cached_roles() -> None:
    """A module that writes ``officers`` or ``identities`` (other than the last-seen time and
    the reachability mark, which no role depends on) calls ``forget_actors``."""
    writes = re.compile(
        r"(INSERT (OR \w+ )?INTO|UPDATE|DELETE FROM|REPLACE INTO)\s+(officers|identities)\b"
        r"(?!\s+SET\s+(last_seen_at|unreachable_at)\b)",
        re.IGNORECASE,
    )
    writers = []
    for folder in ("bot", "handlers", "storage"):
        for path in (ROOT / folder).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            if writes.search(text):
                writers.append(path.relative_to(ROOT).as_posix())
                assert "forget_actors(" in text, path
    assert {"storage/officers.py", "storage/invitations.py"} <= set(writers)
