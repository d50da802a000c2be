"""Storage basics: migrations, pragmas, the file store and the option tokens."""

from __future__ import annotations

import asyncio
import hashlib
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from storage.database import Database, Writes, known_migrations
from storage.files import FileStore
from storage.options import OptionRepository

NOW = datetime(2022, 3, 15, 2, 0, tzinfo=UTC)


async def test_migrations_apply_once_and_set_the_pragmas(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    db = await Database.open(path)
    version = (await db.fetchone("PRAGMA user_version"))[0]
    assert version == known_migrations()[-1][0]
    assert (await db.fetchone("PRAGMA journal_mode"))[0] == "wal"
    assert (await db.fetchone("PRAGMA foreign_keys"))[0] == 1
    await db.close()
    again = await Database.open(path)  # a second start applies nothing and fails on nothing
    assert (await again.fetchone("PRAGMA user_version"))[0] == version
    assert await again.integrity_check() == "ok"
    await again.close()


async def test_failed_transaction_changes_nothing(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "db.sqlite3")
    try:
        async with db.transaction() as conn:
            await conn.execute("INSERT INTO meta (key, value) VALUES ('a', '1')")
            raise RuntimeError("crash in the middle")
    except RuntimeError:
        pass
    assert await db.fetchone("SELECT * FROM meta WHERE key = 'a'") is None
    await db.close()


async def test_file_store_keeps_bytes_once_by_hash(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "db.sqlite3")
    store = FileStore(db, tmp_path / "files")
    data = "Báo cáo 6 tháng".encode()
    first = await store.put(data, "text/plain", NOW)
    second = await store.put(data, "text/plain", NOW)
    assert first == second == hashlib.sha256(data).hexdigest()
    assert store.read(first) == data
    assert len(list((tmp_path / "files").rglob("*"))) == 2  # one folder, one file
    assert (await db.fetchone("SELECT COUNT(*) FROM stored_files"))[0] == 1
    await db.close()


async def test_an_incoming_file_is_renamed_into_the_store_or_removed(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "db.sqlite3")
    store = FileStore(db, tmp_path / "files")
    data = b"%PDF-1.4 " * 10_000
    with store.incoming() as first:
        first.write(data)
        first.flush()
        written = Path(first.name)
        assert written.parent == tmp_path / "files" and written.name.startswith(".incoming-")
        inode = written.stat().st_ino
        sha = await store.adopt(written, "application/pdf", NOW)
    assert sha == hashlib.sha256(data).hexdigest() and store.read(sha) == data
    assert store.path(sha).stat().st_ino == inode  # moved in, not copied
    with store.incoming() as same:
        same.write(data)
        same.flush()
        assert await store.adopt(Path(same.name), "application/pdf", NOW) == sha
    with pytest.raises(RuntimeError), store.incoming() as broken:
        broken.write(b"half a file")
        raise RuntimeError("the upload failed")
    assert [p.name for p in (tmp_path / "files").rglob("*") if p.is_file()] == [sha]
    row = await db.fetchone("SELECT size, mime FROM stored_files WHERE sha256 = ?", (sha,))
    assert tuple(row) == (len(data), "application/pdf")
    await db.close()


async def test_partial_files_a_killed_process_left_are_swept(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "db.sqlite3")
    store = FileStore(db, tmp_path / "files")
    assert store.sweep_incoming() == 0  # no store folder yet
    kept = await store.put(b"kept", "text/plain", NOW)
    (tmp_path / "files" / ".incoming-upload").write_bytes(b"half an upload")
    (store.path(kept).parent / ".incoming-put").write_bytes(b"half a put")
    assert store.sweep_incoming() == 2
    assert [p.name for p in (tmp_path / "files").rglob("*") if p.is_file()] == [kept]
    await db.close()


async def test_option_tokens_are_bound_to_their_chat_and_expire(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "db.sqlite3")
    options = OptionRepository(db, timedelta(days=1))
    menu = await options.issue("telegram", "1", [("Có", "yes:1"), ("Không", "no:1")], NOW)
    token = menu[0].token
    assert len(token.encode()) <= 64
    assert await options.resolve("telegram", "1", token, NOW) == "yes:1"
    assert await options.resolve("telegram", "2", token, NOW) is None
    assert await options.resolve("zalo", "1", token, NOW) is None
    assert await options.resolve("telegram", "1", token, NOW + timedelta(days=2)) is None
    menu, numbered = await options.last_menu("telegram", "1", NOW)
    assert [m.label for m in menu] == ["Có", "Không"] and numbered
    await db.close()


async def test_a_cancelled_writer_leaves_no_open_transaction(tmp_path: Path) -> None:
    import asyncio

    db = await Database.open(tmp_path / "db.sqlite3")
    inside = asyncio.Event()

    async def slow_writer() -> None:
        async with db.transaction() as conn:
            await conn.execute("INSERT INTO meta (key, value) VALUES ('half', 'done')")
            inside.set()
            await asyncio.Event().wait()  # cancelled here, mid-transaction

    task = asyncio.create_task(slow_writer())
    await inside.wait()
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    await db.execute("INSERT INTO meta (key, value) VALUES ('next', 'ok')")
    assert await db.fetchone("SELECT 1 FROM meta WHERE key = 'half'") is None
    assert (await db.fetchone("SELECT value FROM meta WHERE key = 'next'"))[0] == "ok"
    await db.close()


async def test_writes_commit_together_or_not_at_all(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "db.sqlite3")
    done: list[str] = []
    writes = Writes()
    writes.add("INSERT INTO meta (key, value) VALUES ('a', '1')")
    writes.add_many("INSERT INTO meta (key, value) VALUES (?, ?)", [("b", "2"), ("a", "3")])
    writes.on_commit(lambda: done.append("cached"))
    with pytest.raises(sqlite3.IntegrityError):  # the second 'a' breaks the primary key
        await db.commit(writes)
    assert await db.fetchall("SELECT * FROM meta WHERE key IN ('a', 'b')") == []
    assert done == []  # nothing committed: nothing cached
    writes = Writes()
    writes.add("INSERT INTO meta (key, value) VALUES ('a', '1')")
    writes.add("UPDATE meta SET value = '2' WHERE key = 'a'")
    writes.on_commit(lambda: done.append("cached"))
    assert await db.commit(writes) == [(1, 1), (1, 1)]
    assert (await db.fetchone("SELECT value FROM meta WHERE key = 'a'"))[0] == "2"
    assert done == ["cached"]
    await db.close()


async def test_a_transaction_commits_the_events_writes_with_it_or_neither(
    tmp_path: Path,
) -> None:
    """One event, one transaction: what it wrote through the connection and what it gathered
    in its Writes commit together; the effects run only after the COMMIT."""
    db = await Database.open(tmp_path / "db.sqlite3")
    done: list[str] = []
    with pytest.raises(RuntimeError):
        async with db.transaction(_meta("b", "2", done)) as conn:
            await conn.execute("INSERT INTO meta (key, value) VALUES ('a', '1')")
            raise RuntimeError("killed before the COMMIT")
    assert await db.fetchall("SELECT * FROM meta WHERE key IN ('a', 'b')") == []
    assert done == []
    writes = _meta("b", "2", done)
    async with db.transaction(writes) as conn:
        await conn.execute("INSERT INTO meta (key, value) VALUES ('a', '1')")
        writes.on_commit(lambda: done.append("after"))
        assert done == []
    rows = await db.fetchall("SELECT key FROM meta WHERE key IN ('a', 'b') ORDER BY key")
    assert [r[0] for r in rows] == ["a", "b"]
    assert done == ["b", "after"]
    await db.close()


def _trips(db: Database, monkeypatch: pytest.MonkeyPatch) -> list[Callable[..., Any]]:
    """Every call the database makes on its thread from now on."""
    trips, run = [], db._conn._execute

    async def counted(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        trips.append(fn)
        return await run(fn, *args, **kwargs)

    monkeypatch.setattr(db._conn, "_execute", counted)
    return trips


def _meta(key: str, value: str, done: list[str] | None = None) -> Writes:
    writes = Writes()
    writes.add("INSERT INTO meta (key, value) VALUES (?, ?)", (key, value))
    if done is not None:
        writes.on_commit(lambda: done.append(key))
    return writes


async def test_writes_that_arrive_together_share_one_trip_and_fail_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = await Database.open(tmp_path / "db.sqlite3")
    trips = _trips(db, monkeypatch)
    done: list[str] = []
    keys = ["k0", "k1", "k0", "k3"]  # the second k0 breaks the primary key
    outcomes = await asyncio.gather(
        *(db.commit(_meta(key, str(n), done)) for n, key in enumerate(keys)),
        return_exceptions=True,
    )
    assert len(trips) == 1  # four events' writes, one trip and one transaction
    assert isinstance(outcomes[2], sqlite3.IntegrityError)
    assert [o for n, o in enumerate(outcomes) if n != 2] == [[(1, n + 1)] for n in range(3)]
    rows = await db.fetchall("SELECT key, value FROM meta WHERE key LIKE 'k%' ORDER BY key")
    assert [tuple(r) for r in rows] == [("k0", "0"), ("k1", "1"), ("k3", "3")]
    assert done == ["k0", "k1", "k3"]  # effects of what was committed, in order
    await db.close()


async def test_a_cancelled_caller_still_has_its_writes_committed(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "db.sqlite3")
    done: list[str] = []
    caller = asyncio.create_task(db.commit(_meta("kept", "1", done)))
    await asyncio.sleep(0)  # one turn: the writes are queued
    caller.cancel()
    with pytest.raises(asyncio.CancelledError):
        await caller
    await db.commit(_meta("after", "2"))  # committed behind it, in order
    assert (await db.fetchone("SELECT value FROM meta WHERE key = 'kept'"))[0] == "1"
    assert done == ["kept"]
    await db.close()


async def test_an_events_body_reads_and_writes_in_the_shared_trip_and_fails_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``atomically``: each body sees what the bodies before it wrote (one transaction, in
    order), adds its statements, and one that raises is undone alone and raises to its caller."""
    db = await Database.open(tmp_path / "db.sqlite3")
    trips = _trips(db, monkeypatch)
    done: list[str] = []

    async def next_number(fails: bool) -> int:
        writes = Writes()

        def body(conn: sqlite3.Connection) -> int:
            (count,) = conn.execute("SELECT COUNT(*) FROM meta WHERE key GLOB 'n*'").fetchone()
            conn.execute("INSERT INTO meta (key, value) VALUES (?, 'body')", (f"n{count}",))
            writes.add("INSERT INTO meta (key, value) VALUES (?, 'statement')", (f"s{count}",))
            writes.on_commit(lambda: done.append(f"s{count}"))
            if fails:
                raise ValueError("the body gave up")
            return int(count)

        return await db.atomically(body, writes)

    outcomes = await asyncio.gather(
        *(next_number(fails) for fails in (False, True, False)), return_exceptions=True
    )
    assert len(trips) == 1  # three events' bodies and statements, one trip
    assert outcomes[0] == 0 and outcomes[2] == 1  # the second saw the first's row, then failed
    assert isinstance(outcomes[1], ValueError)
    rows = await db.fetchall("SELECT key, value FROM meta WHERE key GLOB '[ns][0-9]' ORDER BY key")
    assert [tuple(r) for r in rows] == [
        ("n0", "body"),
        ("n1", "body"),
        ("s0", "statement"),
        ("s1", "statement"),
    ]
    assert done == ["s0", "s1"]  # the effects of the two committed, not of the failed one
    await db.close()
