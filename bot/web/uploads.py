"""Receiving an upload form within bounds: parts per request, bytes per file and in total (the
files' own bytes, not the multipart envelope), a read time-out for every chunk and a minimum
average rate. Files are spooled to anonymous temporary files (unlinked from the start), so an
upload that is interrupted, refused or killed leaves nothing behind."""

from __future__ import annotations

import asyncio
import contextlib
import io
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from aiohttp import BodyPartReader, web

from bot.config import Settings
from bot.i18n import N_, Translator

__all__ = [
    "ReceivedFile",
    "ReceivedForm",
    "UploadBounds",
    "UploadRefused",
    "receive_form",
    "upload_bounds",
]

NOTE_BYTES = 8000
PART_HEADERS = 8192
"""What a part's headers and boundary may add: the total bound counts the files' own bytes."""
MIN_RATE = 16 * 1024
"""Bytes a second an upload body must average once its first read time-out has passed (a
body trickled a byte at a time would otherwise hold its connection for the whole time-out)."""
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
    min_rate: int = MIN_RATE

    @property
    def max_body_bytes(self) -> int:
        """The largest request that can hold ``max_total_bytes`` of files: its notes and the
        parts' headers and boundaries on top."""
        return self.max_total_bytes + self.max_parts * (NOTE_BYTES + PART_HEADERS)


def upload_bounds(settings: Settings) -> UploadBounds:
    """The bounds of every upload, the upload links' and the web pages' alike."""
    return UploadBounds(
        max_parts=settings.upload_max_parts,
        max_total_bytes=int(settings.upload_max_mb * 2**20),
        max_file_bytes=int(settings.max_file_mb * 2**20),
        read_timeout=settings.web_read_timeout_seconds,
        spool_dir=settings.data_dir / "incoming",
    )


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
    """One request's running totals (the files' bytes, the other parts' bytes) and its average
    rate, enforced chunk by chunk."""

    def __init__(self, bounds: UploadBounds) -> None:
        self.bounds, self.files, self.others = bounds, 0, 0
        self.started = asyncio.get_running_loop().time()

    async def copy(
        self, part: BodyPartReader, sink: BinaryIO | None, keep: int, is_file: bool = False
    ) -> int:
        """Read the part to its end, writing at most ``keep`` bytes (+1, to tell it was more)."""
        size, bounds = 0, self.bounds
        while True:
            async with asyncio.timeout(bounds.read_timeout):
                chunk = await part.read_chunk(_CHUNK)
            if not chunk:
                return size
            if is_file:
                self.files += len(chunk)
            else:
                self.others += len(chunk)
            if self.files > bounds.max_total_bytes or self.others > bounds.max_parts * NOTE_BYTES:
                raise _too_large(bounds)
            late = asyncio.get_running_loop().time() - self.started - bounds.read_timeout
            if late > 0 and self.files + self.others < late * bounds.min_rate:
                raise TimeoutError("the upload is slower than the minimum rate")
            if sink is not None and size <= keep:
                sink.write(chunk[: keep + 1 - size])
            size += len(chunk)


async def receive_form(
    request: web.Request, bounds: UploadBounds, spools: contextlib.ExitStack
) -> ReceivedForm:
    """The form's files (spooled; closed with ``spools``) and note. Raises UploadRefused, or
    TimeoutError when a chunk does not come within the read time-out."""
    if request.content_length is not None and request.content_length > bounds.max_body_bytes:
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
            size = await reading.copy(part, spool, bounds.max_file_bytes, is_file=True)
            files.append(ReceivedFile(part.filename, spool, size))
        elif part.name == "note":
            buffer = io.BytesIO()
            await reading.copy(part, buffer, NOTE_BYTES)
            note = buffer.getvalue()[:NOTE_BYTES].decode("utf-8", "ignore")[:2000]
        else:
            await reading.copy(part, None, 0)
