"""Receiving an upload form within bounds: parts per request, bytes per file and in total, and
a read time-out for every chunk. Files are spooled to anonymous temporary files (unlinked from
the start), so an upload that is interrupted, refused or killed leaves nothing behind."""

from __future__ import annotations

import asyncio
import contextlib
import io
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from aiohttp import BodyPartReader, web

from bot.i18n import N_, Translator

__all__ = ["ReceivedFile", "ReceivedForm", "UploadBounds", "UploadRefused", "receive_form"]

NOTE_BYTES = 8000
_CHUNK = 1 << 16

TOO_MANY_PARTS = N_("Too many files in one upload: please send at most {count} at a time.")
TOO_LARGE = N_("This upload is larger than {limit} MB in total. Please send fewer files at a time.")
TOO_SLOW = N_("The upload stalled and was stopped. Please try again on a steadier connection.")


class UploadRefused(Exception):
    """An upload beyond a bound: ``message`` is a msgid to format with ``values``."""

    def __init__(self, message: str, status: int, **values: str) -> None:
        super().__init__(message)
        self.message, self.status, self.values = message, status, values

    def text(self, _: Translator) -> str:
        return _(self.message).format(**self.values)


def _too_large(bounds: UploadBounds) -> UploadRefused:
    return UploadRefused(TOO_LARGE, 413, limit=f"{bounds.max_total_bytes / 2**20:g}")


@dataclass(frozen=True, slots=True)
class UploadBounds:
    max_parts: int
    max_total_bytes: int
    max_file_bytes: int
    read_timeout: float
    """Seconds to wait for the next chunk (or part header) before the upload is stopped."""
    spool_dir: Path


@dataclass(slots=True)
class ReceivedFile:
    name: str
    spool: BinaryIO
    size: int

    def too_big(self, bounds: UploadBounds) -> bool:
        return self.size > bounds.max_file_bytes

    def read(self) -> bytes:
        self.spool.seek(0)
        return self.spool.read()


@dataclass(slots=True)
class ReceivedForm:
    files: list[ReceivedFile]
    note: str


class _Reading:
    """One request's running total, enforced chunk by chunk."""

    def __init__(self, bounds: UploadBounds) -> None:
        self.bounds, self.total = bounds, 0

    async def copy(self, part: BodyPartReader, sink: BinaryIO | None, keep: int) -> int:
        """Read the part to its end, writing at most ``keep`` bytes (+1, to tell it was more)."""
        size = 0
        while True:
            async with asyncio.timeout(self.bounds.read_timeout):
                chunk = await part.read_chunk(_CHUNK)
            if not chunk:
                return size
            self.total += len(chunk)
            if self.total > self.bounds.max_total_bytes:
                raise _too_large(self.bounds)
            if sink is not None and size <= keep:
                sink.write(chunk[: keep + 1 - size])
            size += len(chunk)


async def receive_form(
    request: web.Request, bounds: UploadBounds, spools: contextlib.ExitStack
) -> ReceivedForm:
    """The form's files (spooled; closed with ``spools``) and note. Raises UploadRefused, or
    TimeoutError when a chunk does not come within the read time-out."""
    if request.content_length is not None and request.content_length > bounds.max_total_bytes:
        raise _too_large(bounds)
    reader = await request.multipart()
    reading, files, note, parts = _Reading(bounds), [], "", 0
    while True:
        async with asyncio.timeout(bounds.read_timeout):
            part = await reader.next()
        if part is None:
            return ReceivedForm(files, note)
        parts += 1
        if parts > bounds.max_parts or not isinstance(part, BodyPartReader):
            raise UploadRefused(TOO_MANY_PARTS, 413, count=str(bounds.max_parts - 1))
        if part.name == "files" and part.filename:
            spool = spools.enter_context(tempfile.TemporaryFile(dir=bounds.spool_dir))  # noqa: SIM115
            size = await reading.copy(part, spool, bounds.max_file_bytes)
            files.append(ReceivedFile(part.filename, spool, size))
        elif part.name == "note":
            buffer = io.BytesIO()
            await reading.copy(part, buffer, NOTE_BYTES)
            note = buffer.getvalue()[:NOTE_BYTES].decode("utf-8", "ignore")[:2000]
        else:
            await reading.copy(part, None, 0)
