"""Backups of an installation: one tar archive holding a consistent copy of the database (taken
with SQLite's online backup API while the bot runs), every stored file the copy references, and
``manifest.json`` with the SHA-256 and size of each. A restore checks all of it — sums, sizes,
``PRAGMA integrity_check``, every referenced file present, no unexpected or repeated member —
before it writes anything.

Blocking code (file and SQLite work): callers in the event loop run it in a thread.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO

__all__ = [
    "DATABASE_NAME",
    "BackupError",
    "BackupInfo",
    "create_backup",
    "last_backup",
    "prune_backups",
    "record_backup",
    "restore_backup",
    "verify_backup",
]

DATABASE_NAME = "cumthidua.sqlite3"
MANIFEST_NAME = "manifest.json"
FORMAT = 1
MANIFEST_LIMIT = 64 * 2**20
"""A manifest larger than this is refused unread (it would list millions of files)."""
CHUNK = 2**20
STORED_NAME = re.compile(r"files/([0-9a-f]{2})/([0-9a-f]{64})")
META_KEY = "backup.last"
ARCHIVE_PATTERN = "cumthidua-*.tar"


class BackupError(Exception):
    """The backup could not be made, or the archive is not one to restore (the text says why)."""


@dataclass(frozen=True, slots=True)
class BackupInfo:
    path: Path
    created_at: str
    schema_version: int
    files: int
    size: int


def _sha256(stream: IO[bytes]) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    while chunk := stream.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


def _file_sha256(path: Path) -> tuple[str, int]:
    with path.open("rb") as stream:
        return _sha256(stream)


def _durable_replace(source: Path, target: Path) -> None:
    with source.open("rb+") as stream:
        os.fsync(stream.fileno())
    os.replace(source, target)


def create_backup(db_path: Path, files_dir: Path, out: Path, now: datetime) -> BackupInfo:
    """Write the archive to ``out`` (atomically: a partial archive never has its final name)."""
    if not db_path.exists():
        raise BackupError(f"no database at {db_path}")
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=out.parent, prefix=".backup-") as work:
        copy = Path(work) / DATABASE_NAME
        with (
            contextlib.closing(sqlite3.connect(db_path, timeout=30)) as source,
            contextlib.closing(sqlite3.connect(copy)) as target,
        ):
            source.backup(target)  # the online backup API: a consistent snapshot, bot running
            schema = int(target.execute("PRAGMA user_version").fetchone()[0])
            stored = [r[0] for r in target.execute("SELECT sha256 FROM stored_files ORDER BY 1")]
        entries: dict[str, dict[str, object]] = {}
        partial = Path(work) / "archive.tar"
        with tarfile.open(partial, "w", format=tarfile.PAX_FORMAT) as tar:
            sha, size = _file_sha256(copy)
            entries[DATABASE_NAME] = {"sha256": sha, "size": size}
            tar.add(copy, arcname=DATABASE_NAME)
            missing = []
            for stored_sha in stored:
                path = files_dir / stored_sha[:2] / stored_sha
                if not path.is_file():
                    missing.append(stored_sha[:12])
                    continue
                sha, size = _file_sha256(path)
                if sha != stored_sha:
                    raise BackupError(f"stored file {stored_sha[:12]}… is damaged (sum differs)")
                name = f"files/{stored_sha[:2]}/{stored_sha}"
                entries[name] = {"sha256": sha, "size": size}
                tar.add(path, arcname=name)
            if missing:
                raise BackupError(
                    f"{len(missing)} stored file(s) the database references are missing from"
                    f" {files_dir}: {', '.join(missing[:5])}…"
                )
            manifest = json.dumps(
                {
                    "format": FORMAT,
                    "created_at": now.isoformat(),
                    "schema_version": schema,
                    "entries": entries,
                },
                indent=1,
            ).encode()
            info = tarfile.TarInfo(MANIFEST_NAME)
            info.size, info.mtime = len(manifest), int(now.timestamp())
            tar.addfile(info, io.BytesIO(manifest))
        _durable_replace(partial, out)
    return BackupInfo(out, now.isoformat(), schema, len(entries) - 1, out.stat().st_size)


def _manifest(tar: tarfile.TarFile) -> dict[str, dict[str, object]]:
    try:
        member = tar.getmember(MANIFEST_NAME)
    except KeyError:
        raise BackupError(
            "the archive has no manifest.json: it is not a cumthidua backup"
        ) from None
    stream = tar.extractfile(member) if member.isfile() else None
    if stream is None or member.size > MANIFEST_LIMIT:
        raise BackupError("the archive's manifest.json is not a plain file of a sensible size")
    try:
        manifest = json.loads(stream.read())
        entries = manifest["entries"]
        if manifest["format"] != FORMAT or not isinstance(entries, dict):
            raise ValueError("format")
    except (ValueError, KeyError, TypeError):
        raise BackupError(
            "the archive's manifest.json is unreadable or of another format"
        ) from None
    for name, entry in entries.items():
        stored = STORED_NAME.fullmatch(name)
        if name != DATABASE_NAME and not (stored and stored.group(1) == stored.group(2)[:2]):
            raise BackupError(f"the manifest names an unexpected path: {name[:80]!r}")
        if not isinstance(entry, dict) or not isinstance(entry.get("sha256"), str):
            raise BackupError(f"the manifest entry for {name[:80]!r} is malformed")
    if DATABASE_NAME not in entries:
        raise BackupError("the manifest lists no database")
    return entries


def _check_members(tar: tarfile.TarFile) -> dict[str, dict[str, object]]:
    """Every member listed, every listed member present once, each matching its sum and size."""
    entries = _manifest(tar)
    members: dict[str, tarfile.TarInfo] = {}
    for member in tar.getmembers():
        if member.name in members:  # the check would read one copy and the restore another
            raise BackupError(f"the archive holds {member.name[:80]!r} more than once")
        members[member.name] = member
    for name, member in members.items():
        if name != MANIFEST_NAME and name not in entries:
            raise BackupError(f"the archive holds a file its manifest does not: {name[:80]!r}")
        if not member.isfile():
            raise BackupError(f"{name[:80]!r} is not a plain file")
    for name, entry in entries.items():
        member = members.get(name)
        if member is None:
            raise BackupError(f"{name} is listed in the manifest but missing from the archive")
        stream = tar.extractfile(member)
        assert stream is not None
        sha, size = _sha256(stream)
        if sha != entry["sha256"] or size != entry.get("size"):
            raise BackupError(f"{name} does not match its SHA-256 sum in the manifest")
        if name != DATABASE_NAME and sha != name.rsplit("/", 1)[1]:
            raise BackupError(f"{name} holds other content than its name says")
    return entries


def verify_backup(archive: Path, work: Path) -> int:
    """Check the archive completely and leave its database in ``work``; returns how many stored
    files it holds. Raises :class:`BackupError` naming the first problem found."""
    database = work / DATABASE_NAME
    try:
        with tarfile.open(archive, "r:") as tar:
            entries = _check_members(tar)
            stream = tar.extractfile(tar.getmember(DATABASE_NAME))
            assert stream is not None
            with database.open("wb") as out:
                shutil.copyfileobj(stream, out, CHUNK)
    except (OSError, tarfile.TarError) as exc:
        raise BackupError(f"not a readable backup archive (truncated or damaged?): {exc}") from None
    try:
        with contextlib.closing(sqlite3.connect(database)) as conn:
            verdict = conn.execute("PRAGMA integrity_check").fetchone()[0]
            stored = [r[0] for r in conn.execute("SELECT sha256 FROM stored_files")]
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"the database in the archive cannot be opened: {exc}") from None
    if verdict != "ok":
        raise BackupError(f"the database in the archive fails its integrity check: {verdict}")
    absent = [sha for sha in stored if f"files/{sha[:2]}/{sha}" not in entries]
    if absent:
        raise BackupError(f"{len(absent)} stored file(s) the database references are not in it")
    return len(stored)


def restore_backup(archive: Path, data_dir: Path, force: bool = False) -> int:
    """Verify the archive, then write its database and files into ``data_dir``; returns how
    many stored files were restored. A non-empty ``data_dir`` is refused unless ``force``."""
    if data_dir.exists() and any(data_dir.iterdir()) and not force:
        raise BackupError(
            f"{data_dir} is not empty; restore into an empty folder, or pass --force to"
            " replace its database (stop the bot first)"
        )
    with tempfile.TemporaryDirectory(prefix="cumthidua-restore-") as work:
        count = verify_backup(archive, Path(work))
        files_dir = data_dir / "files"
        with tarfile.open(archive, "r:") as tar:
            for member in tar.getmembers():
                if not STORED_NAME.fullmatch(member.name):
                    continue
                target = data_dir / member.name
                if target.exists():
                    continue  # content-addressed: the same name holds the same bytes
                target.parent.mkdir(parents=True, exist_ok=True)
                partial = target.with_name(f".incoming-{target.name}")
                stream = tar.extractfile(member)
                assert stream is not None
                with partial.open("wb") as out:
                    shutil.copyfileobj(stream, out, CHUNK)
                _durable_replace(partial, target)
        files_dir.mkdir(parents=True, exist_ok=True)
        database = data_dir / DATABASE_NAME
        for stale in (
            database.with_name(f"{DATABASE_NAME}-wal"),
            database.with_name(f"{DATABASE_NAME}-shm"),
        ):
            stale.unlink(missing_ok=True)
        partial = data_dir / f".incoming-{DATABASE_NAME}"
        shutil.copyfile(Path(work) / DATABASE_NAME, partial)
        _durable_replace(partial, database)  # last: a half-done restore has no database
    return count


def record_backup(db_path: Path, info: BackupInfo) -> None:
    """Note the backup in the installation's own database (the operator's page shows it)."""
    value = json.dumps(
        {"at": info.created_at, "path": str(info.path), "size": info.size, "files": info.files}
    )
    with contextlib.closing(sqlite3.connect(db_path, timeout=30)) as conn, conn:
        conn.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?)"
            " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (META_KEY, value),
        )


def last_backup(meta_value: str | None) -> dict[str, object] | None:
    """The recorded last backup (at, path, size, files), if any."""
    if not meta_value:
        return None
    try:
        found = json.loads(meta_value)
    except ValueError:
        return None
    return found if isinstance(found, dict) else None


def prune_backups(folder: Path, keep: int) -> list[Path]:
    """Delete all but the ``keep`` newest ``cumthidua-*.tar`` archives; returns the deleted."""
    archives = sorted(folder.glob(ARCHIVE_PATTERN))
    doomed = archives[: max(0, len(archives) - keep)]
    for path in doomed:
        path.unlink(missing_ok=True)
    return doomed
