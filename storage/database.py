"""One aiosqlite connection per process, with WAL, foreign keys and numbered migrations."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path
from typing import Any

import aiosqlite

__all__ = ["Database"]

log = logging.getLogger(__name__)


def _migrations() -> list[tuple[int, str, str]]:
    """(number, name, sql) for every ``NNN_name.sql`` in ``storage/migrations``, in order."""
    found = []
    for entry in resources.files("storage.migrations").iterdir():
        if entry.name.endswith(".sql"):
            number = int(entry.name.split("_", 1)[0])
            found.append((number, entry.name, entry.read_text(encoding="utf-8")))
    return sorted(found)


class Database:
    """A single connection; writes are serialised by :meth:`transaction`."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._conn = conn
        self._write_lock = asyncio.Lock()

    @classmethod
    async def open(cls, path: Path | str) -> Database:
        if str(path) != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        conn = await aiosqlite.connect(str(path), isolation_level=None)
        conn.row_factory = aiosqlite.Row
        await conn.execute("PRAGMA journal_mode=WAL")
        await conn.execute("PRAGMA foreign_keys=ON")
        await conn.execute("PRAGMA synchronous=NORMAL")
        await conn.execute("PRAGMA busy_timeout=5000")
        db = cls(conn)
        await db.migrate()
        return db

    async def close(self) -> None:
        await self._conn.close()

    async def migrate(self) -> None:
        async with self._conn.execute("PRAGMA user_version") as cur:
            row = await cur.fetchone()
        current = row[0] if row else 0
        for number, name, sql in _migrations():
            if number <= current:
                continue
            log.info("applying migration %s", name)
            async with self.transaction() as conn:
                for statement in _split_sql(sql):
                    await conn.execute(statement)
                await conn.execute(f"PRAGMA user_version={number}")

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """BEGIN IMMEDIATE … COMMIT, rolled back on error; one writer at a time.

        Safe under task cancellation: aiosqlite runs statements in order on its own thread, and
        a cancelled await does not unqueue its statement, so the ROLLBACK (or COMMIT) is queued
        behind whatever was already sent and is shielded from the cancellation.
        """
        async with self._write_lock:
            try:
                await self._conn.execute("BEGIN IMMEDIATE")
                yield self._conn
            except BaseException:
                await asyncio.shield(self._rollback())
                raise
            await asyncio.shield(self._conn.execute("COMMIT"))

    async def _rollback(self) -> None:
        try:
            await self._conn.execute("ROLLBACK")
        except sqlite3.OperationalError:  # the BEGIN itself never ran
            log.debug("nothing to roll back")

    async def execute(self, sql: str, params: Iterable[Any] = ()) -> int:
        """Run one write in its own transaction; returns the last row id."""
        async with self.transaction() as conn:
            cur = await conn.execute(sql, tuple(params))
            return cur.lastrowid or 0

    async def fetchone(self, sql: str, params: Iterable[Any] = ()) -> aiosqlite.Row | None:
        async with self._conn.execute(sql, tuple(params)) as cur:
            return await cur.fetchone()

    async def fetchall(self, sql: str, params: Iterable[Any] = ()) -> list[aiosqlite.Row]:
        async with self._conn.execute(sql, tuple(params)) as cur:
            return list(await cur.fetchall())

    async def integrity_check(self) -> str:
        row = await self.fetchone("PRAGMA integrity_check")
        return str(row[0]) if row else "no answer"


def _split_sql(sql: str) -> list[str]:
    """The statements of a migration file, cut where SQLite itself sees a statement end."""
    statements, buffer = [], ""
    for line in sql.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            statements.append(buffer.strip())
            buffer = ""
    if buffer.strip() and not all(
        part.strip().startswith("--") for part in buffer.strip().splitlines()
    ):
        raise ValueError(f"unterminated statement in migration: {buffer.strip()[:60]}")
    return statements
