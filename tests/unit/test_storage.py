"""Storage basics: migrations, pragmas, the file store and the option tokens."""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

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


async def test_expired_option_tokens_are_purged(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "db.sqlite3")
    options = OptionRepository(db, timedelta(days=1))
    await options.issue("telegram", "1", [("Có", "yes")], NOW)
    await options.issue("telegram", "1", [("Không", "no")], NOW + timedelta(days=3))
    assert await options.purge(NOW + timedelta(days=3)) == 1
    assert (await db.fetchone("SELECT COUNT(*) FROM option_tokens"))[0] == 1
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
