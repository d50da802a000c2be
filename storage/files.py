"""The content-addressed file store: bytes kept once under their SHA-256."""

from __future__ import annotations

import asyncio
import hashlib
import os
import tempfile
from datetime import datetime
from pathlib import Path

from storage.database import Database
from storage.timestamps import to_db

__all__ = ["FileStore"]


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
        await self._db.execute(
            "INSERT OR IGNORE INTO stored_files (sha256, size, mime, stored_at)"
            " VALUES (?, ?, ?, ?)",
            (sha, len(data), mime, to_db(now)),
        )
        return sha

    def _write(self, data: bytes) -> str:
        sha = hashlib.sha256(data).hexdigest()
        target = self.path(sha)
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".incoming-")
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
