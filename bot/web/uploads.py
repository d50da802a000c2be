"""Receiving an upload form within bounds: uploads under way per link and in all, parts per
request, bytes per file and in total (the files' own bytes, not the multipart envelope), a read
time-out for every chunk and a minimum average rate. Each file is streamed to an incoming file
of the file store (a chunk at a time in memory), removed when the request ends unless it was
stored; one a killed process left is swept at start-up."""

from __future__ import annotations

import asyncio
import contextlib
import io
from collections import Counter, deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from aiohttp import BodyPartReader, web

from bot.config import Settings
from bot.i18n import N_, Translator

__all__ = [
    "ReceivedFile",
    "ReceivedForm",
    "Spool",
    "UploadBounds",
    "UploadGate",
    "UploadRefused",
    "client_left",
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
"""What one read takes from the request: with aiohttp's own buffer, about what one upload holds
in memory at a time."""

Spool = Callable[[], contextlib.AbstractContextManager[BinaryIO]]
"""Makes the file one uploaded file is streamed into."""

TOO_MANY_PARTS = N_("Too many files in one upload: please send at most {count} at a time.")
TOO_LARGE = N_("This upload is larger than {limit} MB in total. Please send fewer files at a time.")
TOO_SLOW = N_("The upload stalled and was stopped. Please try again on a steadier connection.")
BUSY_LINK = N_(
    "This link has several uploads under way at once. Please wait {seconds} seconds and send again."
)
BUSY = N_("The bot is receiving many files at once. Please wait {seconds} seconds and send again.")
RETRY_SECONDS = 30
"""The Retry-After of an upload beyond the bounds on uploads under way."""


class UploadRefused(Exception):
    """An upload beyond a bound: ``message`` is a msgid to format with ``values``."""

    def __init__(
        self, message: str, status: int, retry_after: int | None = None, **values: str
    ) -> None:
        super().__init__(message)
        self.message, self.status, self.values = message, status, values
        self.retry_after = retry_after
        """Seconds to wait before sending again (the answer's Retry-After), if any."""

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
    min_rate: int = MIN_RATE

    @property
    def max_body_bytes(self) -> int:
        """The largest request that can hold ``max_total_bytes`` of files: its notes and the
        parts' headers and boundaries on top."""
        return self.max_total_bytes + self.max_parts * (NOTE_BYTES + PART_HEADERS)


class UploadGate:
    """The uploads under way (received, checked, stored): at most ``per_link`` on one link and
    ``at_once`` in all. One beyond ``per_link`` is refused at once (429: a link sending many at
    once is an attack's shape); one beyond ``at_once`` waits its turn, first come first served,
    before its body is read (its bytes stay in its socket), for at most ``wait_seconds`` and
    behind at most ``waiting`` others, and is refused (503) beyond either. So the bot's memory,
    disk and file checkers are spent on ``at_once`` uploads at a time, however many wait."""

    def __init__(
        self,
        per_link: int,
        at_once: int,
        waiting: int,
        wait_seconds: float,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
    ) -> None:
        self._per_link, self._at_once, self._waiting = per_link, at_once, waiting
        self._wait_seconds, self._sleep = wait_seconds, sleep
        """``sleep`` ends a wait that has lasted its longest (injected in tests)."""
        self._links: Counter[str] = Counter()
        """Uploads under way or waiting, per link."""
        self.under_way = 0
        self._queue: deque[asyncio.Future[None]] = deque()
        """The waiters' turns, in order; a turn is granted by handing it a place that ended."""

    @property
    def waiting(self) -> int:
        return len(self._queue)

    async def enter(
        self, link: str, left: Callable[[], Awaitable[object]]
    ) -> contextlib.AbstractContextManager[None]:
        """A place for one upload on ``link`` (its token hash), to hold (enter it at once) while
        the upload is received, checked and stored. Raises UploadRefused, or ConnectionResetError
        when ``left()`` (watching the client) returns while the upload waits."""
        if self._links[link] >= self._per_link:
            raise _busy(BUSY_LINK, 429)
        self._links[link] += 1
        try:
            await self._turn(left)
        except BaseException:
            self._unlink(link)
            raise
        place = contextlib.ExitStack()
        place.callback(self._leave, link)
        return place

    async def _turn(self, left: Callable[[], Awaitable[object]]) -> None:
        """Return holding one of the ``at_once`` places."""
        if self.under_way < self._at_once and not self._queue:
            self.under_way += 1
            return
        if len(self._queue) >= self._waiting:
            raise _busy(BUSY, 503)
        turn = asyncio.get_running_loop().create_future()
        self._queue.append(turn)
        gone = asyncio.ensure_future(left())
        expired = asyncio.ensure_future(self._sleep(self._wait_seconds))
        try:
            await asyncio.wait((turn, gone, expired), return_when=asyncio.FIRST_COMPLETED)
        except asyncio.CancelledError:
            self._withdraw(turn)  # its turn may have come at this very moment
            raise
        finally:
            gone.cancel()
            expired.cancel()
        if turn.done():
            return
        self._withdraw(turn)
        if gone.done():
            raise ConnectionResetError("the client left while its upload waited")
        raise _busy(BUSY, 503)

    def _withdraw(self, turn: asyncio.Future[None]) -> None:
        """A waiter gives up: its turn leaves the queue or, granted already, passes on."""
        if turn.done():
            self._pass_on()
        else:
            turn.cancel()
            self._queue.remove(turn)

    def _pass_on(self) -> None:
        """A place has ended: the first waiter's turn, or one upload fewer under way."""
        if self._queue:
            self._queue.popleft().set_result(None)
        else:
            self.under_way -= 1

    def _leave(self, link: str) -> None:
        self._unlink(link)
        self._pass_on()

    def _unlink(self, link: str) -> None:
        self._links[link] -= 1
        if not self._links[link]:
            del self._links[link]


async def client_left(request: web.Request) -> None:
    """Return once the client of ``request`` is seen to have gone before its body was read (the
    connection was lost); never if the body arrives whole first. A client that sent more than
    aiohttp buffers is paused in its socket and seen to have gone only when it is read."""
    body = request.content
    if body.exception() is not None:
        return
    with contextlib.suppress(Exception):
        await body.wait_eof()
        await asyncio.get_running_loop().create_future()  # the body is in: nothing more to see


def _busy(message: str, status: int) -> UploadRefused:
    return UploadRefused(message, status, RETRY_SECONDS, seconds=str(RETRY_SECONDS))


def upload_bounds(settings: Settings) -> UploadBounds:
    """The bounds of every upload, the upload links' and the web pages' alike."""
    return UploadBounds(
        max_parts=settings.upload_max_parts,
        max_total_bytes=int(settings.upload_max_mb * 2**20),
        max_file_bytes=int(settings.max_file_mb * 2**20),
        read_timeout=settings.web_read_timeout_seconds,
    )


@dataclass(frozen=True, slots=True)
class ReceivedFile:
    name: str
    path: Path
    """The file it was streamed to (at most ``max_file_bytes`` + 1 of it)."""
    size: int


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
    request: web.Request, bounds: UploadBounds, spools: contextlib.ExitStack, spool: Spool
) -> ReceivedForm:
    """The form's files (each streamed to a ``spool`` entered on ``spools``) and note. Raises
    UploadRefused, or TimeoutError when a chunk does not come within the read time-out."""
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
            sink = spools.enter_context(spool())
            size = await reading.copy(part, sink, bounds.max_file_bytes, is_file=True)
            sink.flush()  # the file checker reads it from disk
            files.append(ReceivedFile(part.filename, Path(sink.name), size))
        elif part.name == "note":
            buffer = io.BytesIO()
            await reading.copy(part, buffer, NOTE_BYTES)
            note = buffer.getvalue()[:NOTE_BYTES].decode("utf-8", "ignore")[:2000]
        else:
            await reading.copy(part, None, 0)
