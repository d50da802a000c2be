"""History benchmark: the bot on a database five years old against the same bot on a new one.

A province of 30 clusters × 8 units × 3 officers, five years each (150 cluster-years, the last
one open), 100,000 submissions, 1,000,000 settled outbox rows and 200,000 audit rows, all
written before any clock starts. Timed on both databases, in the same run:

- ``startup``: the bot's start against the fake Telegram server (database, registry, channels);
- ``tick``: one reminder tick over every open year;
- ``tiendo``: a chair's ``/tiendo`` through the real dispatcher;
- ``overview``: the province board's overview of every cluster (the use case the page calls);
- ``backup``: an online backup while 40 officers keep writing, and the p99 of their waits;
- ``prune``: one retention pass (the rows past their retention: most of the outbox).

Prints each figure for the new and the old database with their ratio, then, last,
``ratio=<the worst of the old database's figures over its target>`` (≤ 1 meets every target:
start-up 3 s, tick 200 ms, /tiendo and the overview 300 ms, the writers' p99 during a backup 1 s).

    .venv/bin/python bench/history.py [--clusters 30] [--years 5]
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import aiosqlite
from pydantic import SecretStr

from bot.app import BotApp
from bot.clock import FixedClock
from bot.cluster_files import load_cluster_year
from bot.config import BUNDLED_CLUSTER, Settings
from bot.domain.cluster import ClusterYear
from bot.domain.messages import Inbound
from bot.fakes.telegram_server import FakeTelegram
from bot.operations.backups import take_backup
from bot.operations.retention import Retention, retention_periods
from bot.usecases.province_overview import at_a_glance
from storage.clusters import ClusterRepository
from storage.database import Database
from storage.timestamps import to_db

UNITS, OFFICERS_PER_UNIT = 8, 3
SUBMISSIONS, OUTBOX, AUDIT = 100_000, 1_000_000, 200_000
FIRST_YEAR = 2022
TARGETS = {"startup": 3.0, "tick": 0.2, "tiendo": 0.3, "overview": 0.3, "writers_p99": 1.0}
WRITERS = 40
"""Officers writing during the backup: each starts sending a report and cancels it, 20 times a
second."""
REPORT = b"%PDF-1.4 bench report"


def _year_data(cluster: int, year: int) -> ClusterYear:
    """The bundled cluster-year, renamed for cluster ``cluster`` and moved to ``year``."""
    text = load_cluster_year(BUNDLED_CLUSTER).model_dump_json()
    for shift in range(year - FIRST_YEAR, 0, -1):  # latest first: no date moves twice
        for old in (FIRST_YEAR + 1, FIRST_YEAR):
            text = text.replace(f'"{old}-', f'"{old + shift}-').replace(
                f"/{old}", f"/{old + shift}"
            )
    data = json.loads(text)
    data["cluster"]["year"] = year
    data["cluster"]["name"] = f"Cụm thi đua số {cluster + 1}"
    units = [
        {"code": f"C{cluster:02d}U{u}", "name": f"Xã Số {cluster}-{u}", "kind": "xã"}
        for u in range(UNITS)
    ]
    data["cluster"]["units"] = units
    data["cluster"]["chair"] = units[0]["code"]
    data["cluster"]["deputy"] = units[1]["code"]
    return ClusterYear.model_validate(data)


async def _build(data_dir: Path, clusters: int, years: int, history: bool) -> None:
    """The province's database: every cluster-year, its officers, and (``history``) five
    years of submissions, messages and audit entries."""
    settings = Settings(_env_file=None, data_dir=data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    db = await Database.open(settings.database_path)
    repo, now = ClusterRepository(db), datetime(FIRST_YEAR + years - 1, 3, 1, tzinfo=UTC)
    year_ids: list[int] = []
    for c in range(clusters):
        for y in range(FIRST_YEAR, FIRST_YEAR + years) if history else [FIRST_YEAR + years - 1]:
            year_id, _ = await repo.save_year(_year_data(c, y), "bench", "bench", now)
            if y < FIRST_YEAR + years - 1:
                await repo.set_status(year_id, "closed", "bench", now)
            year_ids.append(year_id)
    stamp = to_db(now)
    async with db.transaction() as conn:
        officers = [
            (n, f"Cán bộ {n}", f"C{c:02d}U{u}", "chair" if u == 0 else "member", int(k == 0), stamp)
            for c in range(clusters)
            for u in range(UNITS)
            for k in range(OFFICERS_PER_UNIT)
            for n in [1 + ((c * UNITS + u) * OFFICERS_PER_UNIT + k)]
        ]
        await conn.executemany(
            "INSERT INTO officers (id, name, unit_code, role, is_primary, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            officers,
        )
        await conn.executemany(
            "INSERT INTO identities (channel, user_id, chat_id, officer_id, linked_at)"
            " VALUES ('telegram', ?, ?, ?, ?)",
            [(str(500_000 + o[0]), str(500_000 + o[0]), o[0], stamp) for o in officers],
        )
        if history:
            await _history(conn, year_ids, clusters, stamp, _stored_file(settings))
    await db.close()


def _stored_file(settings: Settings) -> str:
    """One report file in the file store, which every submission of the history holds."""
    sha = hashlib.sha256(REPORT).hexdigest()
    folder = settings.files_dir / sha[:2]
    folder.mkdir(parents=True, exist_ok=True)
    (folder / sha).write_bytes(REPORT)
    return sha


async def _history(
    conn: aiosqlite.Connection, year_ids: list[int], clusters: int, stamp: str, sha: str
) -> None:
    execute = conn.executemany
    await conn.execute(
        "INSERT INTO stored_files (sha256, size, mime, stored_at)"
        " VALUES (?, ?, 'application/pdf', ?)",
        (sha, len(REPORT), stamp),
    )
    per_cluster = len(year_ids) // clusters
    subs = []
    for n in range(SUBMISSIONS):  # spread over the years, both reports, the members, versions
        at, rest = divmod(n, len(year_ids))[::-1]
        report, rest = rest % 2, rest // 2
        member, version = 1 + rest % (UNITS - 1), 1 + rest // (UNITS - 1)
        unit = f"C{at // per_cluster:02d}U{member}"
        officer = 1 + ((at // per_cluster) * UNITS + member) * OFFICERS_PER_UNIT
        deliverable = ("bc-6-thang", "bc-nam")[report]
        subs.append((n + 1, year_ids[at], deliverable, unit, version, officer, stamp, f"b:{n}"))
    await execute(
        "INSERT INTO submissions (id, cluster_year_id, deliverable, unit_code, version,"
        " officer_id, channel, received_at, due, days_late, note, draft_key)"
        " VALUES (?, ?, ?, ?, ?, ?, 'telegram', ?, '2022-06-30', 0, '', ?)",
        subs,
    )
    await execute(
        "INSERT INTO submission_files (submission_id, position, sha256, name, size, kind)"
        " VALUES (?, 0, ?, 'bao-cao.pdf', 10, 'pdf')",
        [(s[0], sha) for s in subs],
    )
    old = to_db(datetime(FIRST_YEAR, 6, 1, tzinfo=UTC))
    await execute(
        "INSERT INTO outbox (key, channel, chat_id, payload, status, not_before, created_at,"
        " sent_at) VALUES (?, 'telegram', ?, '{\"text\": \"Nhắc hạn nộp báo cáo\"}', 'sent',"
        " ?, ?, ?)",
        ((f"bench:{n}", str(500_000 + n % 720), old, old, old) for n in range(OUTBOX)),
    )
    await execute(
        "INSERT INTO audit_log (at, actor, action, subject) VALUES (?, ?, 'report.submitted', ?)",
        ((old, f"officer:{1 + n % 720}", f"submission:{n}") for n in range(AUDIT)),
    )


@dataclass
class Figures:
    startup: float = 0.0
    tick: float = 0.0
    tiendo: float = 0.0
    overview: float = 0.0
    backup: float = 0.0
    writers_p99: float = 0.0
    prune: float = 0.0
    pruned: int = 0


async def _timed(job: Callable[[], Awaitable[object]]) -> float:
    started = time.perf_counter()
    await job()
    return time.perf_counter() - started


async def _measure(data_dir: Path, years: int) -> Figures:
    figures = Figures()
    clock = FixedClock(datetime(FIRST_YEAR + years - 1, 3, 15, 9, tzinfo=UTC))
    async with FakeTelegram() as server:
        settings = Settings(
            _env_file=None,
            data_dir=data_dir,
            web_port=0,
            telegram_token=SecretStr(server.token),
            telegram_base_url=server.base_url,
            telegram_file_url=server.file_url,
            telegram_poll_timeout=1,
            retention_outbox_days=100_000,  # kept whole while timed; one pass is timed last
        )
        app = BotApp(settings, clock)
        figures.startup = await _timed(app.start)
        try:
            await _measure_running(app, settings, figures, clock)
        finally:
            await app.stop()
    return figures


async def _measure_running(app: BotApp, settings: Settings, f: Figures, clock: FixedClock) -> None:
    assert app.services is not None and app.reminders is not None
    services = app.services
    await asyncio.sleep(0.5)  # the start's own first tick
    f.tick = min([await _timed(app.reminders.tick) for _ in range(3)])
    chair = Inbound(channel="telegram", chat_id="500001", user_id="500001", command="tiendo")
    f.tiendo = min([await _timed(lambda: app.dispatcher.handle(chair)) for _ in range(3)])
    [matrix] = await app.dispatcher.handle(chair)
    assert "C00U1" in matrix.text or "Số 0-1" in matrix.text, matrix.text  # the status matrix
    today = clock.now().date()
    f.overview = min([await _timed(lambda: at_a_glance(services, today)) for _ in range(3)])
    waits: list[float] = []
    stop = asyncio.Event()

    async def officer(n: int) -> None:
        who = str(500_000 + 2 + (n * 17) % 720)
        while not stop.is_set():
            for command in ("nopbaocao", "huy"):  # each writes the officer's draft
                ask = Inbound(channel="telegram", chat_id=who, user_id=who, command=command)
                waits.append(await _timed(lambda ask=ask: app.dispatcher.handle(ask)))
                await asyncio.sleep(0.05)

    writers = [asyncio.create_task(officer(n)) for n in range(WRITERS)]
    f.backup = await _timed(lambda: take_backup(settings, settings.data_dir / "b.tar", clock.now()))
    stop.set()
    await asyncio.gather(*writers)
    f.writers_p99 = statistics.quantiles(waits, n=100)[98] if len(waits) > 100 else max(waits)
    defaults = Settings(_env_file=None, data_dir=settings.data_dir)
    retention = Retention(services.db, clock, retention_periods(defaults))
    started = time.perf_counter()
    f.pruned = sum((await retention.prune()).values())
    f.prune = time.perf_counter() - started


async def run(clusters: int, years: int) -> None:
    results: dict[str, Figures] = {}
    for name, history in (("new", False), ("old", True)):
        with tempfile.TemporaryDirectory() as folder:
            data = Path(folder) / "data"
            built = time.perf_counter()
            await _build(data, clusters, years, history)
            print(f"{name}: database built in {time.perf_counter() - built:.1f} s (not timed)")
            results[name] = await _measure(data, years)
    new, old = results["new"], results["old"]
    for field in ("startup", "tick", "tiendo", "overview", "backup", "writers_p99", "prune"):
        a, b = getattr(new, field), getattr(old, field)
        print(
            f"{field}: new {a * 1000:.0f} ms, old {b * 1000:.0f} ms, ratio {b / a if a else 0:.2f}"
        )
    print(f"pruned on the old database: {old.pruned} rows")
    worst = max(getattr(old, name) / target for name, target in TARGETS.items())
    print(f"ratio={worst:.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clusters", type=int, default=30)
    parser.add_argument("--years", type=int, default=5)
    args = parser.parse_args()
    asyncio.run(run(args.clusters, args.years))


if __name__ == "__main__":
    main()
