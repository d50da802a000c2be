"""Migration 031: the links table rebuilt to admit the score form's kind keeps every link of
before (still usable), and the scoring versions start empty."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from storage.database import Database, known_migrations
from storage.links import LinkRepository

NOW = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)


async def test_links_of_before_survive_and_the_score_form_kind_is_admitted(
    tmp_path: Path,
) -> None:
    path = tmp_path / "cumthidua.sqlite3"
    before = [m for m in known_migrations() if m[0] < 31]
    db = await Database.open(path, migrations=before)
    await db.execute(
        "INSERT INTO cluster_years (id, year, created_at) VALUES (1, 2026, ?)", (NOW.isoformat(),)
    )
    token = await LinkRepository(db, 1).create("download", "zalo", "z1", NOW, timedelta(hours=24))
    await db.close()

    db = await Database.open(path)
    try:
        links = LinkRepository(db, 1)
        found = await links.check(token, "download", NOW + timedelta(hours=1))
        assert not isinstance(found, str) and found.chat_id == "z1" and found.cluster_year_id == 1
        form = await links.create("score_form", "zalo", "z1", NOW, timedelta(hours=24), None)
        assert (await links.check(form, "score_form", NOW)).kind == "score_form"  # type: ignore[union-attr]
        with pytest.raises(sqlite3.IntegrityError):
            await links.create("elsewhere", "zalo", "z1", NOW, timedelta(hours=24))
        assert await db.fetchall("SELECT * FROM scoring_versions") == []
    finally:
        await db.close()
