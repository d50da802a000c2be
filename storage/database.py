"""One aiosqlite connection per process, with WAL, foreign keys and numbered migrations.

A database whose schema is newer than this release knows is refused, never opened; before
migrations run on a database that already has a schema, a hook (the automatic backup) runs."""

from __future__ import annotations

import asyncio
import contextlib
import errno
import logging
import sqlite3
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

import aiosqlite

from storage.crash_points import install_crash_point

__all__ = [
    "BeforeMigrating",
    "Database",
    "Migration",
    "NewerDatabaseError",
    "Writes",
    "is_storage_full",
    "known_migrations",
    "pending_migrations",
    "schema_version",
]

log = logging.getLogger(__name__)

Migration = tuple[int, str, str]
"""(number, file name, SQL)."""

BeforeMigrating = Callable[[int, list[Migration]], Awaitable[None]]
"""Called with the current schema version and the migrations about to run."""

T = TypeVar("T")


Statement = tuple[str, Sequence[Any], bool]
"""SQL, its parameters, and whether they are many rows (``executemany``)."""


@dataclass
class Writes:
    """Statements to commit together in one transaction, in one trip to the database thread
    (:meth:`Database.commit`), and what to do in memory once they are committed."""

    statements: list[Statement] = field(default_factory=list)
    after: list[Callable[[], None]] = field(default_factory=list)

    def add(self, sql: str, params: Sequence[Any] = ()) -> None:
        self.statements.append((sql, tuple(params), False))

    def add_many(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        self.statements.append((sql, list(rows), True))

    def on_commit(self, effect: Callable[[], None]) -> None:
        self.after.append(effect)


Body = Callable[[sqlite3.Connection], Any]
"""What an event reads and decides inside its transaction, run on the database thread (see
:meth:`Database.atomically`)."""
_Queued = tuple[Writes, Body | None, "asyncio.Future[Any]"]
"""Writes waiting for the database thread (after the body that may add to them), and the
future their caller awaits."""


class _Locked(Exception):
    """BEGIN IMMEDIATE met another process's lock (retried by :meth:`Database.commit`)."""


class NewerDatabaseError(RuntimeError):
    """The database was written by a newer release: opening it could damage it."""

    def __init__(self, found: int, known: int) -> None:
        super().__init__(
            f"the database has schema version {found}, but this release knows only up to {known}:"
            " it was written by a newer release. Run that release (or restore a backup taken"
            " before the upgrade); this one will not open it."
        )
        self.found, self.known = found, known


def is_storage_full(exc: BaseException) -> bool:
    """Whether an error (or one it was raised from) says the disk is full: SQLite's
    ``database or disk is full`` (SQLITE_FULL), or a file write's ENOSPC or EDQUOT."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, sqlite3.Error):
            if getattr(seen, "sqlite_errorcode", 0) & 0xFF == sqlite3.SQLITE_FULL:
                return True
        elif isinstance(seen, OSError) and seen.errno in (errno.ENOSPC, errno.EDQUOT):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def known_migrations() -> list[Migration]:
    """(number, name, sql) for every ``NNN_name.sql`` in ``storage/migrations``, in order."""
    found = []
    for entry in resources.files("storage.migrations").iterdir():
        if entry.name.endswith(".sql"):
            number = int(entry.name.split("_", 1)[0])
            found.append((number, entry.name, entry.read_text(encoding="utf-8")))
    return sorted(found)


def pending_migrations(current: int, migrations: Sequence[Migration]) -> list[Migration]:
    """The migrations a database at ``current`` still needs; refuses one from a newer release."""
    newest = max((number for number, _name, _sql in migrations), default=0)
    if current > newest:
        raise NewerDatabaseError(current, newest)
    return [m for m in migrations if m[0] > current]


def schema_version(path: Path) -> int:
    """The schema version of a database file, read without changing it (0 when absent)."""
    if not path.exists():
        return 0
    with contextlib.closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as c:
        return int(c.execute("PRAGMA user_version").fetchone()[0])


class Database:
    """A single connection; writes are serialised by :meth:`transaction`."""

    def __init__(self, conn: aiosqlite.Connection, busy_timeout: float = 5.0) -> None:
        self._conn = conn
        self._busy_timeout = busy_timeout
        self._write_lock = asyncio.Lock()
        self._queued: list[_Queued] = []
        self._flusher: asyncio.Future[None] | None = None

    @classmethod
    async def open(
        cls,
        path: Path | str,
        *,
        busy_timeout: float = 5.0,
        before_migrating: BeforeMigrating | None = None,
        migrations: Sequence[Migration] | None = None,
    ) -> Database:
        """Connect and bring the schema up to date; ``busy_timeout`` is how long (seconds) a
        statement waits for another process's lock before ``database is locked``."""
        if str(path) != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        conn = await aiosqlite.connect(str(path), isolation_level=None)
        conn.row_factory = aiosqlite.Row
        db = cls(conn, busy_timeout)
        try:
            await db._on_thread(install_crash_point)
            await conn.execute("PRAGMA journal_mode=WAL")
            await conn.execute("PRAGMA foreign_keys=ON")
            await conn.execute("PRAGMA synchronous=NORMAL")
            await conn.execute(
                "PRAGMA secure_delete=ON"
            )  # deleted rows (ballot drafts) overwritten
            await conn.execute(f"PRAGMA busy_timeout={int(busy_timeout * 1000)}")
            await db.migrate(before_migrating, migrations)
        except BaseException:
            await conn.close()
            raise
        return db

    async def close(self) -> None:
        """Close once the writes already queued are committed."""
        if self._flusher is not None:
            await asyncio.wait([self._flusher])
        await self._conn.close()

    async def schema_version(self) -> int:
        async with self._conn.execute("PRAGMA user_version") as cur:
            row = await cur.fetchone()
        return int(row[0]) if row else 0

    async def migrate(
        self,
        before_migrating: BeforeMigrating | None = None,
        migrations: Sequence[Migration] | None = None,
    ) -> None:
        """Apply every numbered migration above the schema version, each in its own
        transaction; ``before_migrating`` runs first when the database already had a schema."""
        current = await self.schema_version()
        pending = pending_migrations(
            current, known_migrations() if migrations is None else migrations
        )
        if pending and current > 0 and before_migrating is not None:
            await before_migrating(current, pending)
        for number, name, sql in pending:
            log.info("applying migration %s", name)
            async with self.transaction() as conn:
                for statement in _split_sql(sql):
                    await conn.execute(statement)
                await conn.execute(f"PRAGMA user_version={number}")

    @asynccontextmanager
    async def transaction(
        self, writes: Writes | None = None
    ) -> AsyncIterator[aiosqlite.Connection]:
        """BEGIN IMMEDIATE … COMMIT, rolled back on error; one writer at a time. The statements
        of ``writes`` (what an event adds as it goes) run last, before the COMMIT, and their
        effects after it: one event, one transaction.

        Safe under task cancellation: aiosqlite runs statements in order on its own thread, and
        a cancelled await does not unqueue its statement, so the ROLLBACK (or COMMIT) is queued
        behind whatever was already sent and is shielded from the cancellation.
        """
        async with self._write_lock:
            try:
                await self._begin()
                yield self._conn
                if writes is not None:
                    await self._on_thread(_run_statements, writes.statements)
            except BaseException:
                await asyncio.shield(self._rollback())
                raise
            await asyncio.shield(self._conn.execute("COMMIT"))
        for effect in writes.after if writes is not None else ():
            effect()

    async def _begin(self) -> None:
        """BEGIN IMMEDIATE, retried while another process holds the lock, up to the busy
        timeout. SQLite itself waits only in some cases: when this connection's read snapshot
        is older than another process's commit it answers ``database is locked`` at once."""
        deadline = time.monotonic() + self._busy_timeout
        pause = 0.005
        while True:
            try:
                await self._conn.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() + pause > deadline:
                    raise
            await asyncio.sleep(pause)
            pause = min(pause * 2, 0.25)

    async def _rollback(self) -> None:
        try:
            await self._conn.execute("ROLLBACK")
        except sqlite3.OperationalError:  # the BEGIN itself never ran
            log.debug("nothing to roll back")

    async def execute(self, sql: str, params: Iterable[Any] = ()) -> int:
        """Run one write in its own transaction; returns the last row id."""
        writes = Writes()
        writes.add(sql, tuple(params))
        return (await self.commit(writes))[0][1]

    async def commit(self, writes: Writes) -> list[tuple[int, int]]:
        """Run ``writes`` in one transaction, rolled back on error; returns (rows changed, last
        row id) per statement, after the in-memory effects ran. Nothing to write costs nothing.

        Group commit: the writes of events that arrive while the database thread is busy wait
        for it together, and go in one trip and one transaction, each under its own savepoint,
        so each still commits whole or not at all and on its own. Aiosqlite runs each call on
        its thread, and each trip there and back costs a wake-up of both sides. A cancelled
        caller does not cancel its writes: once queued they are committed, and their effects
        run, in the order they came."""
        if not writes.statements:
            for effect in writes.after:
                effect()
            return []
        counts: list[tuple[int, int]] = await self._queue(writes, None)
        return counts

    async def atomically(self, body: Callable[[sqlite3.Connection], T], writes: Writes) -> T:
        """Run ``body`` on the database thread inside an event's transaction, then the
        statements of ``writes`` (those it holds and those ``body`` added), and return what
        ``body`` returned once they are committed and their effects ran.

        One trip, in the group commit of :meth:`commit`: where :meth:`transaction` holds the
        write lock across a trip for each statement (each waiting for the event loop's turn),
        the body reads and writes in one go, beside the other events' writes. It runs on the
        database thread, so it must be short, must not wait, and must touch only ``writes`` and
        the connection; what it needs besides is read before. An error in it (or in a statement)
        undoes the event's savepoint and is raised here."""
        result: T = await self._queue(writes, body)
        return result

    async def _queue(self, writes: Writes, body: Body | None) -> Any:
        done: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._queued.append((writes, body, done))
        if self._flusher is None or self._flusher.done():
            self._flusher = asyncio.ensure_future(self._flush())
        return await asyncio.shield(done)

    async def _flush(self) -> None:
        """Commit what is queued, one group per trip, until nothing is."""
        try:
            async with self._write_lock:
                while self._queued:
                    group, self._queued = self._queued, []
                    await self._commit_group(group)
        except BaseException as exc:  # cancelled at shutdown: no caller waits for ever
            group, self._queued = self._queued, []
            _fail(group, exc)
            raise

    async def _commit_group(self, group: list[_Queued]) -> None:
        deadline = time.monotonic() + self._busy_timeout
        pause = 0.005
        while True:
            try:
                outcomes = await self._on_thread(_run_writes, [(w, body) for w, body, _ in group])
                break
            except _Locked as exc:
                if time.monotonic() + pause > deadline:
                    _fail(group, exc.__cause__ or exc)
                    return
            except BaseException as exc:
                _fail(group, exc)
                if not isinstance(exc, Exception):
                    raise
                return
            await asyncio.sleep(pause)
            pause = min(pause * 2, 0.25)
        for (writes, _body, done), outcome in zip(group, outcomes, strict=True):
            if isinstance(outcome, Exception):
                done.set_exception(outcome)
                continue
            try:
                for effect in writes.after:  # in the order of the commits
                    effect()
            except Exception as exc:
                done.set_exception(exc)
                continue
            done.set_result(outcome)

    async def fetchone(self, sql: str, params: Iterable[Any] = ()) -> aiosqlite.Row | None:
        """The first row of a query, in one trip to the database thread."""
        return await self._on_thread(_fetchone, sql, tuple(params))

    async def fetchall(self, sql: str, params: Iterable[Any] = ()) -> list[aiosqlite.Row]:
        """Every row of a query, in one trip to the database thread."""
        return list(await self._conn.execute_fetchall(sql, tuple(params)))

    async def read(self, body: Callable[[sqlite3.Connection], T]) -> T:
        """Run ``body``'s queries on the database thread in one trip, as :meth:`fetchall`
        runs one (it reads what the connection sees when it runs; it must not write)."""
        return await self._on_thread(body)

    async def _on_thread(self, fn: Callable[..., T], *args: Any) -> T:
        """Call ``fn(sqlite3_connection, *args)`` on aiosqlite's thread, as its own methods do
        (aiosqlite offers no public call for several statements in one go)."""
        conn = self._conn
        return await conn._execute(lambda: fn(conn._conn, *args))  # type: ignore[no-any-return]

    async def integrity_check(self) -> str:
        row = await self.fetchone("PRAGMA integrity_check")
        return str(row[0]) if row else "no answer"


def _fetchone(conn: sqlite3.Connection, sql: str, params: tuple[Any, ...]) -> Any:
    cur = conn.execute(sql, params)
    try:
        return cur.fetchone()
    finally:
        cur.close()


def _run_writes(conn: sqlite3.Connection, groups: list[tuple[Writes, Body | None]]) -> list[Any]:
    """On the database thread: one transaction for every event's body and statements, each
    under its own savepoint — an event that fails is undone alone, and its error is its
    outcome; otherwise its body's result, or without a body its statements' counts."""
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc):
            raise _Locked from exc
        raise
    outcomes: list[Any] = []
    try:
        for writes, body in groups:
            conn.execute("SAVEPOINT event")
            try:
                result = None if body is None else body(conn)
                counts = _run_statements(conn, writes.statements)
            except Exception as exc:
                if not conn.in_transaction:  # SQLite gave up the whole transaction (disk full)
                    raise
                conn.execute("ROLLBACK TO event")
                outcomes.append(exc)
            else:
                outcomes.append(counts if body is None else result)
            conn.execute("RELEASE event")
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    return outcomes


def _run_statements(conn: sqlite3.Connection, statements: list[Statement]) -> list[tuple[int, int]]:
    """On the database thread: run statements in the open transaction; (rows changed, last row
    id) of each."""
    counts = []
    for sql, params, many in statements:
        cur = conn.executemany(sql, params) if many else conn.execute(sql, params)
        counts.append((cur.rowcount, cur.lastrowid or 0))
        cur.close()
    return counts


def _fail(group: list[_Queued], exc: BaseException) -> None:
    for _writes, _body, done in group:
        if not done.done():
            if isinstance(exc, Exception):
                done.set_exception(exc)
            else:
                done.cancel()


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
