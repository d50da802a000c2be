"""The in-place upgrade of a database written by release 0.1.

``tests/fixtures/release-0.1-demo.sqlite3`` holds a whole demo year (see the README beside it
for how it was made): on first start every row is kept and attached to the cluster-year it came
from, the one of the configured folder, and the bot carries on with it.
"""

from __future__ import annotations

import shutil
import sqlite3
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.app import open_services
from bot.clock import FixedClock
from bot.config import Settings

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "release-0.1-demo.sqlite3"
FIXTURE_FILES = FIXTURE.parent / "release-0.1-files"
"""The stored files that database references (the pre-migration backup needs them all)."""


def _installation(tmp_path: Path) -> Path:
    """A data folder as release 0.1 left it: its database and its stored files."""
    data = tmp_path / "data"
    shutil.copytree(FIXTURE_FILES, data / "files")
    shutil.copy(FIXTURE, data / "cumthidua.sqlite3")
    return data


YEAR_SCOPED = (
    "submissions",
    "deliverable_marks",
    "reminder_log",
    "task_marks",
    "score_sheets",
    "score_reviews",
    "score_explanations",
    "score_lock",
    "award_decisions",
    "announcements",
    "links",
    "plan_versions",
)
KEPT = (
    *YEAR_SCOPED,
    "officers",
    "identities",
    "invitations",
    "outbox",
    "audit_log",
    "submission_files",
    "announcement_acks",
    "cluster_groups",
    "stored_files",
    "option_tokens",
    "conversations",
    "meta",
)


def _counts(path: Path) -> dict[str, int]:
    with sqlite3.connect(path) as conn:
        return {t: conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in KEPT}


async def test_a_release_0_1_database_is_upgraded_in_place_with_every_row_kept(
    tmp_path: Path,
) -> None:
    data = _installation(tmp_path)
    before = _counts(data / "cumthidua.sqlite3")
    assert before["submissions"] and before["score_lock"] and before["plan_versions"]
    clock = FixedClock(datetime(2023, 1, 15, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")))
    services = await open_services(Settings(_env_file=None, data_dir=data), clock)
    try:
        year = services.year
        assert (year.data.cluster.name, year.year, year.status) == (
            "Cụm thi đua vùng thấp",
            2022,
            "open",
        )
        for table in YEAR_SCOPED:
            rows = await services.db.fetchall(f"SELECT cluster_year_id FROM {table}")
            assert {r[0] for r in rows} <= {year.id}, table
            assert None not in {r[0] for r in rows}, table
        for table in ("cluster_groups", "officers", "invitations"):
            rows = await services.db.fetchall(f"SELECT cluster_id FROM {table}")
            assert {r[0] for r in rows} == {year.cluster_id}, table
        assert await services.db.integrity_check() == "ok"
        assert await services.db.fetchall("PRAGMA foreign_key_check") == []
        # the bot reads the year as it was: submissions, scores, lock, decisions, the plan
        latest = await services.submissions.latest()
        assert {unit for _code, unit in latest} == {"MA", "DB", "ML", "DBP"}
        assert await services.scores.locked()
        assert await services.scores.decisions() == {"MA": "flag"}
        assert len(await services.scores.latest()) == 5
        assert (await services.submissions.marks())[("bc-nam", "ML")].status == "excused"
        assert await services.reminders.done_tasks() == {7}
        assert len(await services.reminders.handled()) == before["reminder_log"]
        assert len(await services.announcements.groups()) == 1
        assert len(await services.announcements.recent()) == 1
        assert await services.plans.latest() is not None
        managers = await services.officers.managers()
        assert [o.unit_code for o in managers] == ["TG"]
        assert await services.conversations.get("telegram", "102") is not None
        # the start took a backup of the 0.1 installation before it migrated
        [archive] = (data / "backups").glob("pre-migration-009-to-*.tar")
        assert archive.stat().st_size > FIXTURE.stat().st_size
    finally:
        await services.db.close()
    after = _counts(data / "cumthidua.sqlite3")
    grown = ("audit_log", "meta")
    assert {t: after[t] for t in KEPT if t not in grown} == {
        t: before[t] for t in KEPT if t not in grown
    }
    assert after["audit_log"] == before["audit_log"] + 1  # the upgrade itself is audited
    # and the backup taken before it is recorded, and the clusters' generation counted
    assert after["meta"] == before["meta"] + 2


async def test_a_second_start_after_the_upgrade_changes_nothing(tmp_path: Path) -> None:
    data = _installation(tmp_path)
    clock = FixedClock(datetime(2023, 1, 15, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")))
    settings = Settings(_env_file=None, data_dir=data)
    services = await open_services(settings, clock)
    first = [y.id for y in services.years.all()]
    await services.db.close()
    services = await open_services(settings, clock)
    try:
        assert [y.id for y in services.years.all()] == first == [1]
    finally:
        await services.db.close()
