"""The content-addressed file store: bytes kept once under their SHA-256. A file on its way in
is a ``.incoming-*`` file in the store's own folder, renamed into place once whole (an upload is
streamed into one, so it is never held in memory nor copied); what a killed process left is swept
at start-up."""

from __future__ import annotations

import asyncio
import hashlib
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

from storage.database import Database
from storage.timestamps import to_db

__all__ = ["INCOMING", "FileStore"]

INCOMING = ".incoming-"
"""The prefix of a file not whole yet."""
_CHUNK = 1 << 20


class FileStore:
    def __init__(self, db: Database, root: Path) -> None:
        self._db = db
        self._root = root

    def path(self, sha256: str) -> Path:
        return self._root / sha256[:2] / sha256

    async def put(self, data: bytes, mime: str, now: datetime) -> str:
        """Store the bytes (once) and return their SHA-256; durable before it returns. Hashing
        and writing run in a thread, so a large file does not hold up the event loop."""
        sha = await asyncio.to_thread(self._write, data)
        await self._record(sha, len(data), mime, now)
        return sha

    async def _record(self, sha: str, size: int, mime: str, now: datetime) -> None:
        await self._db.execute(
            "INSERT OR IGNORE INTO stored_files (sha256, size, mime, stored_at)"
            " VALUES (?, ?, ?, ?)",
            (sha, size, mime, to_db(now)),
        )

    @contextmanager
    def incoming(self) -> Iterator[BinaryIO]:
        """A new ``.incoming-*`` file in the store's folder, open for writing: :meth:`adopt` it
        once written; it is removed on leaving the block unless it was adopted."""
        self._root.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(dir=self._root, prefix=INCOMING)
        os.close(fd)
        try:
            with open(name, "wb") as out:
                yield out
        finally:
            Path(name).unlink(missing_ok=True)

    async def adopt(self, incoming: Path, mime: str, now: datetime) -> str:
        """Store a written ``.incoming-*`` file by renaming it into place (or dropping it when the
        store holds its content already) and return its SHA-256; durable before it returns."""
        sha, size = await asyncio.to_thread(self._adopt, incoming)
        await self._record(sha, size, mime, now)
        return sha

    def _adopt(self, incoming: Path) -> tuple[str, int]:
        digest, size = hashlib.sha256(), 0
        with incoming.open("rb") as source:
            while chunk := source.read(_CHUNK):
                digest.update(chunk)
                size += len(chunk)
            os.fsync(source.fileno())
        sha = digest.hexdigest()
        target = self.path(sha)
        if target.exists():
            incoming.unlink()
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(incoming, target)
        return sha, size

    def sweep_incoming(self) -> int:
        """Remove the ``.incoming-*`` files a killed process left (at start-up, before anything
        writes); how many there were."""
        if not self._root.exists():
            return 0
        left = [*self._root.glob(f"{INCOMING}*"), *self._root.glob(f"*/{INCOMING}*")]
        for path in left:
            path.unlink(missing_ok=True)
        return len(left)

    def _write(self, data: bytes) -> str:
        sha = hashlib.sha256(data).hexdigest()
        target = self.path(sha)
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=INCOMING)
            try:
                with os.fdopen(fd, "wb") as out:
                    out.write(data)
                    out.flush()
                    os.fsync(out.fileno())
                os.replace(tmp, target)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        return sha

    def read(self, sha256: str) -> bytes:
        return self.path(sha256).read_bytes()

    async def exists(self, sha256: str) -> bool:
        row = await self._db.fetchone("SELECT 1 FROM stored_files WHERE sha256 = ?", (sha256,))
        return row is not None and self.path(sha256).exists()
