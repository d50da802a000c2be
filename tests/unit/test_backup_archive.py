"""Backup archives: what a restore refuses (before writing anything), the automatic backup
before a migration, the refusal of a newer database, and the nightly backup's schedule."""

from __future__ import annotations

import hashlib
import io
import json
import sqlite3
import tarfile
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.app import open_services
from bot.clock import FixedClock
from bot.config import Settings
from bot.operations.backups import NightlyBackup
from storage.backup import (
    DATABASE_NAME,
    BackupError,
    create_backup,
    restore_backup,
    verify_backup,
)
from storage.database import Database, NewerDatabaseError, known_migrations, schema_version
from storage.files import FileStore

NOW = datetime(2022, 12, 20, 3, 0, tzinfo=UTC)  # 10:00 in Hà Nội
FILES = [b"%PDF-1.4 bao cao 6 thang", b"PK\x03\x04 bang diem", b"\x89PNG anh chup"]


async def installation(data: Path) -> list[str]:
    db = await Database.open(data / DATABASE_NAME)
    store = FileStore(db, data / "files")
    shas = [await store.put(content, "application/octet-stream", NOW) for content in FILES]
    await db.execute("INSERT INTO meta (key, value) VALUES ('telegram.username', 'cum_bot')")
    await db.close()
    return shas


@pytest.fixture
async def archive(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    await installation(data)
    out = tmp_path / "backup.tar"
    info = create_backup(data / DATABASE_NAME, data / "files", out, NOW)
    assert info.files == len(FILES) and info.schema_version == known_migrations()[-1][0]
    return out


Manifest = dict[str, Any]
Change = Callable[[str, bytes, Manifest], bytes | None]


def _read(tar: tarfile.TarFile, member: tarfile.TarInfo) -> bytes:
    stream = tar.extractfile(member)
    assert stream is not None
    return stream.read()


def rewrite(source: Path, target: Path, change: Change) -> None:
    """Copy an archive member by member; ``change(name, data, manifest)`` returns the new data
    (None drops the member) and may edit the manifest, written last."""
    with tarfile.open(source) as tar:
        members = {m.name: _read(tar, m) for m in tar.getmembers()}
    manifest = json.loads(members.pop("manifest.json"))
    with tarfile.open(target, "w") as out:
        for name, data in members.items():
            data = change(name, data, manifest)
            if data is not None:
                info = tarfile.TarInfo(name)
                info.size = len(data)
                out.addfile(info, io.BytesIO(data))
        body = json.dumps(manifest).encode()
        info = tarfile.TarInfo("manifest.json")
        info.size = len(body)
        out.addfile(info, io.BytesIO(body))


def refused(archive: Path, target: Path, reason: str) -> None:
    with pytest.raises(BackupError, match=reason):
        restore_backup(archive, target)
    assert not target.exists(), "a refused restore wrote something"


async def test_a_sound_archive_restores_everything(archive: Path, tmp_path: Path) -> None:
    target = tmp_path / "restored"
    assert restore_backup(archive, target) == len(FILES)
    db = await Database.open(target / DATABASE_NAME)
    store = FileStore(db, target / "files")
    rows = await db.fetchall("SELECT sha256 FROM stored_files")
    assert sorted(store.read(r[0]) for r in rows) == sorted(FILES)
    assert (await db.fetchone("SELECT value FROM meta WHERE key = 'telegram.username'"))[0] == (
        "cum_bot"
    )
    await db.close()


def test_a_damaged_file_is_refused(archive: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.tar"
    rewrite(archive, bad, lambda n, d, m: d[:-1] + b"!" if n.startswith("files/") else d)
    refused(bad, tmp_path / "target", "does not match its SHA-256")


def test_a_stored_file_duplicated_with_the_evil_copy_first_is_refused(
    archive: Path, tmp_path: Path
) -> None:
    """The check would read the last copy and the restore write the first: one name, one copy."""
    bad = tmp_path / "bad.tar"
    with tarfile.open(archive) as tar:
        members = [(m, _read(tar, m)) for m in tar.getmembers()]
    first_file = next(m.name for m, _data in members if m.name.startswith("files/"))
    with tarfile.open(bad, "w") as out:
        evil = tarfile.TarInfo(first_file)
        evil.size = len(b"evil")
        out.addfile(evil, io.BytesIO(b"evil"))
        for member, data in members:
            out.addfile(member, io.BytesIO(data))
    refused(bad, tmp_path / "target", "more than once")


def test_a_missing_file_is_refused(archive: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.tar"
    dropped: list[str] = []

    def drop_first(name: str, data: bytes, manifest: Manifest) -> bytes | None:
        if name.startswith("files/") and not dropped:
            dropped.append(name)
            return None
        return data

    rewrite(archive, bad, drop_first)
    refused(bad, tmp_path / "target", "missing from the archive")


def test_a_file_the_database_needs_but_the_manifest_forgot_is_refused(
    archive: Path, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.tar"

    def forget(name: str, data: bytes, manifest: Manifest) -> bytes | None:
        if (
            name.startswith("files/")
            and name in manifest["entries"]
            and len(manifest["entries"]) == 4
        ):
            del manifest["entries"][name]
            return None
        return data

    rewrite(archive, bad, forget)
    refused(bad, tmp_path / "target", "references are not in it")


def test_a_corrupt_database_is_refused_even_with_matching_sums(
    archive: Path, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.tar"

    def corrupt(name: str, data: bytes, manifest: Manifest) -> bytes | None:
        if name != DATABASE_NAME:
            return data
        broken = data[:4096] + bytes(len(data) - 4096)  # every page after the first zeroed
        manifest["entries"][name] = {
            "sha256": hashlib.sha256(broken).hexdigest(),
            "size": len(broken),
        }
        return broken

    rewrite(archive, bad, corrupt)
    refused(bad, tmp_path / "target", "database in the archive")


def test_a_truncated_or_foreign_archive_is_refused(archive: Path, tmp_path: Path) -> None:
    cut = tmp_path / "cut.tar"
    cut.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    refused(cut, tmp_path / "target", "not a readable backup archive")
    foreign = tmp_path / "foreign.tar"
    with tarfile.open(foreign, "w") as tar:
        tar.add(archive, arcname="something.tar")
    refused(foreign, tmp_path / "target", "no manifest.json")
    escape = tmp_path / "escape.tar"

    def climb(name: str, data: bytes, manifest: Manifest) -> bytes | None:
        manifest["entries"]["../../etc/cron.d/x"] = {"sha256": "0" * 64, "size": 1}
        return data

    rewrite(archive, escape, climb)
    refused(escape, tmp_path / "target", "unexpected path")


def test_a_non_empty_target_is_refused_unless_forced(archive: Path, tmp_path: Path) -> None:
    target = tmp_path / "busy"
    target.mkdir()
    (target / "notes.txt").write_text("keep me")
    with pytest.raises(BackupError, match="not empty"):
        restore_backup(archive, target)
    assert sorted(p.name for p in target.iterdir()) == ["notes.txt"]
    assert restore_backup(archive, target, force=True) == len(FILES)
    assert (target / DATABASE_NAME).exists() and (target / "notes.txt").exists()


async def test_a_start_on_an_older_database_backs_it_up_before_migrating(tmp_path: Path) -> None:
    settings = Settings(_env_file=None, data_dir=tmp_path / "data")
    older = known_migrations()[:-1]
    db = await Database.open(settings.database_path, migrations=older)
    await db.execute("INSERT INTO meta (key, value) VALUES ('before', 'upgrade')")
    await db.close()
    clock = FixedClock(NOW)

    services = await open_services(settings, clock)
    assert await services.db.schema_version() == known_migrations()[-1][0]
    await services.db.close()
    [backup] = (settings.data_dir / "backups").glob("pre-migration-*.tar")
    assert backup.name.startswith(f"pre-migration-{older[-1][0]:03d}-to-")
    work = tmp_path / "check"
    work.mkdir()
    verify_backup(backup, work)
    assert schema_version(work / DATABASE_NAME) == older[-1][0]
    with sqlite3.connect(work / DATABASE_NAME) as conn:
        assert conn.execute("SELECT value FROM meta WHERE key = 'before'").fetchone() == (
            "upgrade",
        )

    again = await open_services(settings, clock)  # nothing to migrate: no second backup
    await again.db.close()
    assert len(list((settings.data_dir / "backups").glob("*.tar"))) == 1


async def test_a_database_from_a_newer_release_is_refused(tmp_path: Path) -> None:
    settings = Settings(_env_file=None, data_dir=tmp_path / "data")
    db = await Database.open(settings.database_path)
    await db.execute("PRAGMA user_version = 999")
    await db.close()
    with pytest.raises(NewerDatabaseError, match=r"schema version 999.*newer release"):
        await open_services(settings, FixedClock(NOW))
    assert schema_version(settings.database_path) == 999  # untouched
    assert not (settings.data_dir / "backups").exists()


async def test_the_nightly_backup_runs_once_a_day_and_keeps_the_newest(tmp_path: Path) -> None:
    folder = tmp_path / "nightly"
    settings = Settings(
        _env_file=None, data_dir=tmp_path / "data", backup_dir=folder, backup_keep=2, backup_hour=2
    )
    await installation(settings.data_dir)
    clock = FixedClock(datetime(2022, 12, 19, 18, 30, tzinfo=UTC))  # 01:30 in Hà Nội
    nightly = NightlyBackup(settings, clock, "Asia/Ho_Chi_Minh")
    assert await nightly.tick() is None  # before the hour
    made = []
    for _day in range(3):
        clock.advance(timedelta(hours=1))  # 02:30
        info = await nightly.tick()
        assert info is not None and info.files == len(FILES)
        made.append(info.path.name)
        assert await nightly.tick() is None  # once a day
        clock.advance(timedelta(hours=23))
    assert sorted(p.name for p in folder.glob("*.tar")) == made[1:]
    assert made[0] == "cumthidua-20221220-023000.tar"
