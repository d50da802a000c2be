"""The in-place upgrade of a database written by the previous landing (schema 21, commit
315db71): ``tests/fixtures/release-0.4-demo.sqlite3`` holds that release's whole demo — two
cluster-years, reports, self-scores, a closed vote, the pact, a cross-inspection round. Every
row is kept, the vote's count reads as it did, and a second start changes nothing."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.app import open_services
from bot.clock import FixedClock
from bot.config import Settings
from storage.database import known_migrations

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "release-0.4-demo.sqlite3"
FIXTURE_FILES = FIXTURE.parent / "release-0.4-files"
KEPT = (
    "cluster_years",
    "officers",
    "identities",
    "submissions",
    "submission_files",
    "score_sheets",
    "ballot_rounds",
    "ballot_voters",
    "pacts",
    "pact_signatures",
    "inspection_rounds",
    "links",
    "stored_files",
)
CLOCK = FixedClock(datetime(2023, 4, 20, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")))


def _installation(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    shutil.copytree(FIXTURE_FILES, data / "files")
    shutil.copy(FIXTURE, data / "cumthidua.sqlite3")
    return data


def _rows(path: Path, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(path) as conn:
        return conn.execute(sql).fetchall()


def _old_counts(path: Path) -> dict[tuple[int, str], int]:
    """The previous release's counters (4-byte big-endian blobs, several per candidate)."""
    counts: dict[tuple[int, str], int] = {}
    for round_id, candidate, votes in _rows(
        path, "SELECT round_id, candidate, votes FROM ballot_counts"
    ):
        key = (int(round_id), str(candidate))
        counts[key] = counts.get(key, 0) + int.from_bytes(bytes(votes), "big")
    return {key: n for key, n in counts.items() if n}


def _counts(path: Path) -> dict[str, int]:
    return {t: int(_rows(path, f"SELECT COUNT(*) FROM {t}")[0][0]) for t in KEPT}


async def test_the_previous_release_is_upgraded_with_every_row_and_count_kept(
    tmp_path: Path,
) -> None:
    data = _installation(tmp_path)
    database = data / "cumthidua.sqlite3"
    before = _counts(database)
    counted = _old_counts(database)
    assert before["submissions"] and before["ballot_voters"] and counted
    services = await open_services(Settings(_env_file=None, data_dir=data), CLOCK)
    try:
        assert await services.db.integrity_check() == "ok"
        assert await services.db.fetchall("PRAGMA foreign_key_check") == []
        closed = [y for y in services.years.all() if not y.is_open]
        assert [y.year for y in closed] == [2022]  # handed over to 2023 in the demo
        year = services.scoped(closed[0].id)
        assert len(await year.scores.latest()) == before["score_sheets"]
        assert {unit for _code, unit in await year.submissions.latest()} == {
            "MA",
            "DB",
            "ML",
            "DBP",
        }
    finally:
        await services.db.close()
    assert int(_rows(database, "PRAGMA user_version")[0][0]) == known_migrations()[-1][0]
    assert _counts(database) == before
    after = _rows(database, "SELECT round_id, candidate, votes FROM ballot_counts")
    assert {(r, c): v for r, c, v in after if v} == counted  # the closed round's count as it was


async def test_a_second_start_after_the_upgrade_changes_nothing(tmp_path: Path) -> None:
    data = _installation(tmp_path)
    for _ in range(2):
        services = await open_services(Settings(_env_file=None, data_dir=data), CLOCK)
        await services.db.close()
        first = _counts(data / "cumthidua.sqlite3")
    assert first == _counts(data / "cumthidua.sqlite3")
