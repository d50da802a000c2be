"""The seals of the open rounds: one random key per round, in a file of its own under the data
folder, never in the database. Ballots and drafts are stored sealed with it (AES-GCM, a fresh
nonce each time), so no copy of the database — a backup, a snapshot, its write-ahead log —
can open one; the file outlives restarts (no vote is lost) and is destroyed once the round is
closed. The backups do not take it (``storage.backup`` copies the database and the file store)."""

from __future__ import annotations

import os
import re
import secrets
import time
from collections.abc import Collection
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

__all__ = ["BallotSeals", "SealBroken"]

NONCE_BYTES = 12
SWEEP_AFTER = 3600
"""Seconds a key file must be old before a sweep may destroy it."""
KEY_SUFFIX = ".key"
_NAME = re.compile(r"[0-9a-f]{32}")


class SealBroken(Exception):
    """The round's key is gone (a database restored on another server) or the sealed bytes
    are not the bot's: the ballot cannot be opened."""


class BallotSeals:
    def __init__(self, folder: Path) -> None:
        self._folder = folder
        self._keys: dict[str, bytes] = {}

    def new(self) -> str:
        """A new round's seal: its key is on disk (flushed) before the name is returned."""
        self._folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        name = secrets.token_hex(16)
        key = AESGCM.generate_key(bit_length=256)
        partial = self._folder / f".{name}.partial"
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            os.write(fd, key)
            os.fsync(fd)
        finally:
            os.close(fd)
        partial.replace(self._path(name))
        _sync_folder(self._folder)
        self._keys[name] = key
        return name

    def seal(self, name: str, plain: bytes, purpose: str) -> bytes:
        """``plain`` sealed for the round ``name``; ``purpose`` ('ballot', 'draft') is bound
        in, so a sealed draft is never accepted as a ballot."""
        nonce = secrets.token_bytes(NONCE_BYTES)
        return nonce + AESGCM(self._key(name)).encrypt(nonce, plain, f"{name}:{purpose}".encode())

    def open(self, name: str, sealed: bytes, purpose: str) -> bytes:
        nonce, body = sealed[:NONCE_BYTES], sealed[NONCE_BYTES:]
        try:
            return AESGCM(self._key(name)).decrypt(nonce, body, f"{name}:{purpose}".encode())
        except InvalidTag as exc:
            raise SealBroken("a sealed ballot does not open with its round's key") from exc

    def discard(self, name: str) -> None:
        """Destroy a closed round's key: what it sealed can never be opened again."""
        self._keys.pop(name, None)
        self._path(name).unlink(missing_ok=True)

    def sweep(self, keep: Collection[str]) -> int:
        """Destroy the keys of every round but ``keep`` (the open ones): a key left by a round
        that was closed, or made by a process that died before storing its round. A key newer
        than ``SWEEP_AFTER`` is left alone: its round may be being stored right now."""
        if not self._folder.is_dir():
            return 0
        gone, settled = 0, time.time() - SWEEP_AFTER
        for path in self._folder.iterdir():
            name = path.name.removesuffix(KEY_SUFFIX)
            if not path.name.endswith(KEY_SUFFIX) or name in keep:
                continue
            if path.stat().st_mtime < settled:
                self.discard(name)
                gone += 1
        return gone

    def _key(self, name: str) -> bytes:
        key = self._keys.get(name)
        if key is None:
            try:
                key = self._path(name).read_bytes()  # a round opened by another process
            except FileNotFoundError as exc:
                raise SealBroken("the round's key is not on this server") from exc
            self._keys[name] = key
        return key

    def _path(self, name: str) -> Path:
        if not _NAME.fullmatch(name):
            raise SealBroken("not a seal's name")
        return self._folder / f"{name}{KEY_SUFFIX}"


def _sync_folder(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
