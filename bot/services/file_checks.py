"""Every look inside a file someone sent — the type check, the page count, reading a plan —
runs in a separate worker process (``bot.services.file_check_worker``), never on the event loop: the
worker caps its own address space and CPU time and may not write files, and it is killed when
it overruns its wall-clock time. A bound hit anywhere becomes ``UnsafeFile``, which callers
answer with "tệp không đọc được an toàn".

Each file gets a fresh worker, forked by the fork server (``bot.services.file_check_server``,
started at the first file and again if it ended) that has loaded every parser once: a worker
starts in milliseconds, and no file shares a process with another. The bytes go to the worker on
a socket of its own — for a file on disk (an upload) only its path, so the bot never holds it
whole — and the answer comes back as JSON, never as a pickle, so a subverted parser cannot reach
into the bot process; at most ``CONCURRENT_WORKERS`` run at once per event loop (a worker whose
answer is no longer awaited is killed), the others wait their turn without blocking it.
"""

from __future__ import annotations

import asyncio
import errno
import json
import logging
import os
import socket
import subprocess
import sys
import threading
import weakref
from pathlib import Path
from typing import Any

from bot.config import Settings
from bot.domain.file_types import BY_EXTENSION, FileCheck, UnsafeFile
from bot.domain.plan_documents import UnreadableDocument
from bot.domain.plan_import import ImportedPlan
from bot.domain.province_decision import Decision
from bot.domain.province_workbook import ProvinceWorkbook
from bot.domain.score_form_reading import FormRefused, ReadForm
from bot.domain.scoring_import import ImportedTable
from bot.domain.scoring_table import ScoringTable

__all__ = [
    "CONCURRENT_WORKERS",
    "check_content",
    "read_plan",
    "read_province",
    "read_score_form_file",
    "read_scoring_table_file",
    "run_isolated",
    "start_file_checks",
]

log = logging.getLogger(__name__)

CONCURRENT_WORKERS = 2
_CODE_ROOT = Path(__file__).resolve().parents[2]
"""The folder holding the ``bot`` package: the fork server runs the very code the bot runs."""
_ANSWER_CAP = 4 << 20
"""At most this much of a worker's answer is read (a plan as JSON is a few kilobytes)."""
_GRACE = 2.0
"""Seconds past a worker's own time before the bot stops waiting for it (the fork server kills
it at its time; this is for a fork server that is gone)."""
_slots: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore] = (
    weakref.WeakKeyDictionary()
)


def _slot() -> asyncio.Semaphore:
    loop = asyncio.get_running_loop()
    if loop not in _slots:
        _slots[loop] = asyncio.Semaphore(CONCURRENT_WORKERS)
    return _slots[loop]


_GONE = frozenset({errno.EPIPE, errno.ECONNRESET, errno.ECONNREFUSED, errno.ENOTCONN})
"""What sending to a fork server that ended answers."""


class _ForkServer:
    """This process's fork server, and the control socket that asks it for a worker."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._process: subprocess.Popen[bytes] | None = None
        self._control: socket.socket | None = None

    def fork(self, header: bytes) -> tuple[socket.socket, int]:
        """A worker for one request: the bot's end of its socket, and the write end of a pipe
        to close when the answer is in or no longer awaited (the server then kills the worker
        if it still runs). Starts the server when it is not running, once more if it ended
        just now."""
        ours, theirs = socket.socketpair()
        watch, watched = os.pipe()
        try:
            with self._lock:
                try:
                    self._send(header, theirs.fileno(), watch)
                except OSError as exc:
                    if exc.errno not in _GONE:
                        raise
                    self._forget_control()
                    self._send(header, theirs.fileno(), watch)
        except BaseException:
            ours.close()
            os.close(watched)
            raise
        finally:
            theirs.close()  # the worker has its own now
            os.close(watch)
        return ours, watched

    def _send(self, header: bytes, connection: int, watch: int) -> None:
        socket.send_fds(self._running(), [header], [connection, watch])

    def _forget_control(self) -> None:
        if self._control is not None:
            self._control.close()
            self._control = None

    def ensure_running(self) -> None:
        with self._lock:
            self._running()

    def alive(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def _running(self) -> socket.socket:
        if self._control is None or not self.alive():
            if self._process is not None:
                log.warning(
                    "the file checks' fork server is gone (exit status %s); starting it again",
                    self._process.poll(),
                )
            self._start()
        assert self._control is not None
        return self._control

    @property
    def pid(self) -> int | None:
        return None if self._process is None else self._process.pid

    def _start(self) -> None:
        """The server, with none of the bot's settings in its environment (its token)."""
        self._forget_control()
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        with theirs:
            self._process = subprocess.Popen(
                [sys.executable, "-m", "bot.services.file_check_server", str(theirs.fileno())],
                pass_fds=[theirs.fileno()],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                cwd=_CODE_ROOT,
                env={k: v for k, v in os.environ.items() if not k.startswith("CUMTHIDUA_")},
            )
        self._control = ours


_server = _ForkServer()


def start_file_checks() -> None:
    """Start the fork server now (the bot at its start), so that the first file someone sends
    does not wait for the parsers to load."""
    _server.ensure_running()


async def _exchange(connection: socket.socket, data: bytes | Path) -> bytes:
    """Send the worker its file (or the file's path) and read its answer to the end."""
    loop = asyncio.get_running_loop()
    try:
        if isinstance(data, Path):
            await loop.sock_sendall(connection, b"p" + str(data).encode())
        else:
            await loop.sock_sendall(connection, b"b")
            await loop.sock_sendall(connection, data)
        connection.shutdown(socket.SHUT_WR)
    except OSError:  # it ended before reading everything: its answer says why, if any
        pass
    answer = bytearray()
    try:
        while chunk := await loop.sock_recv(connection, 1 << 16):
            answer += chunk
            if len(answer) > _ANSWER_CAP:
                return b""
    except ConnectionResetError:  # killed with our bytes unread: no answer
        return b""
    return bytes(answer)


async def run_isolated(job: str, data: bytes | Path, seconds: float, memory_bytes: int) -> Any:
    """Run one job of ``bot.services.file_check_worker`` on ``data`` (bytes, or a file on disk
    the worker reads); raises UnsafeFile when a bound is hit, UnreadableDocument when the
    worker could not read the file. A job the fork server's own end cut short is run once
    more, by the server started again."""
    header = json.dumps({"job": job, "seconds": seconds, "memory": memory_bytes}).encode()
    async with _slot():
        for _attempt in range(2):
            answer, took = await _ask(header, data, seconds)
            if answer or took >= seconds or _server.alive():
                break
    try:
        status, value = json.loads(answer)
    except ValueError:
        status = "unsafe"
        value = f"over {seconds:g} s" if took >= seconds else "the worker ended without an answer"
    if status == "unsafe":
        log.warning("a file was refused as unsafe to read: %s", value)
        raise UnsafeFile(value)
    if status == "unreadable":
        raise UnreadableDocument(value)
    return value


async def _ask(header: bytes, data: bytes | Path, seconds: float) -> tuple[bytes, float]:
    """One worker's answer (empty when it gave none) and the seconds it took."""
    forking = asyncio.ensure_future(asyncio.to_thread(_server.fork, header))
    try:
        connection, watched = await asyncio.shield(forking)
    except asyncio.CancelledError:
        forking.add_done_callback(_close_unused)  # the worker is made all the same
        raise
    loop = asyncio.get_running_loop()
    started = loop.time()
    try:
        with connection:
            connection.setblocking(False)
            async with asyncio.timeout(seconds + _GRACE):
                return await _exchange(connection, data), loop.time() - started
    except TimeoutError:
        return b"", loop.time() - started
    finally:
        os.close(watched)  # the server kills the worker if it still runs


def _close_unused(forking: asyncio.Future[tuple[socket.socket, int]]) -> None:
    if not forking.cancelled() and forking.exception() is None:
        connection, watched = forking.result()
        connection.close()
        os.close(watched)


def _memory(settings: Settings) -> int:
    return int(settings.file_check_memory_mb * 2**20)


async def check_content(settings: Settings, data: bytes | Path) -> FileCheck | None:
    """The accepted kind and page count of a file (its bytes or the file on disk), None when
    not accepted."""
    try:
        found = await run_isolated("check", data, settings.file_check_seconds, _memory(settings))
    except UnreadableDocument:
        return None
    return None if found is None else FileCheck(BY_EXTENSION[found["extension"]], found["pages"])


async def read_plan(settings: Settings, data: bytes) -> ImportedPlan:
    """The plan read from a document, within the plan bounds."""
    found = await run_isolated("plan", data, settings.plan_read_seconds, _memory(settings))
    return ImportedPlan.from_json(found)


async def read_scoring_table_file(settings: Settings, data: bytes) -> ImportedTable:
    """The province's scoring table read from a document, within the document bounds."""
    found = await run_isolated("scoring_table", data, settings.plan_read_seconds, _memory(settings))
    return ImportedTable.from_data(found)


async def read_score_form_file(settings: Settings, data: bytes, table: ScoringTable) -> ReadForm:
    """A unit's filled score form checked against ``table``; raises FormRefused (with the
    reason to tell the officer) or UnsafeFile."""
    packed = table.model_dump_json().encode() + b"\n" + data
    found = await run_isolated("score_form", packed, settings.plan_read_seconds, _memory(settings))
    if "refused" in found:
        reason, values = found["refused"]
        raise FormRefused(reason, **values)
    return ReadForm.from_data(found["form"])


async def read_province(settings: Settings, data: bytes) -> Decision | ProvinceWorkbook:
    """A province's decision on its clusters and blocs, or its workbook, within the plan
    bounds (time, memory, ZIP structure, pages)."""
    found = await run_isolated("province", data, settings.plan_read_seconds, _memory(settings))
    if found.pop("workbook"):
        return ProvinceWorkbook.from_json(found)
    return Decision.from_json(found)
