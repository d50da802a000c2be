"""Every look inside a file someone sent — the type check, the page count, reading a plan —
runs in a separate worker process (``bot.services.file_check_worker``), never on the event loop:
for each file the worker caps its own address space and CPU time, it may write no file, and it
is killed when it overruns its wall-clock time. A bound hit anywhere becomes ``UnsafeFile``,
which callers answer with "tệp không đọc được an toàn".

The workers are forked by the fork server (``bot.services.file_check_server``, started at the
first file and again if it ended) that has loaded every parser once, so a worker starts in
milliseconds; a worker serves up to ``FILES_PER_WORKER`` files one after another and is retired
sooner after any file that hit a bound, ran out of time or was given up. The bytes go to the
worker on its own socket — for a file on disk (an upload) only its path, so the bot never holds
it whole — and the answer comes back as JSON, never as a pickle, so a subverted parser cannot
reach into the bot process; at most ``CONCURRENT_WORKERS`` files are read at once per event
loop, the others wait their turn without blocking it.
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
from dataclasses import dataclass
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
    "retire_idle_workers",
    "run_isolated",
    "start_file_checks",
]

log = logging.getLogger(__name__)

CONCURRENT_WORKERS = 2
FILES_PER_WORKER = 32
"""A worker serves at most this many files (what one file left behind in it is bounded)."""
_CODE_ROOT = Path(__file__).resolve().parents[2]
"""The folder holding the ``bot`` package: the fork server runs the very code the bot runs."""
_ANSWER_CAP = 4 << 20
"""At most this much of a worker's answer is read (a plan as JSON is a few kilobytes)."""
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

    def fork(self) -> _Worker:
        """A new worker. Starts the server when it is not running, once more if it ended just
        now."""
        ours, theirs = socket.socketpair()
        watch, watched = os.pipe()
        try:
            with self._lock:
                try:
                    server = self._send(theirs.fileno(), watch)
                except OSError as exc:
                    if exc.errno not in _GONE:
                        raise
                    self._forget_control()
                    server = self._send(theirs.fileno(), watch)
        except BaseException:
            ours.close()
            os.close(watched)
            raise
        finally:
            theirs.close()  # the worker has its own now
            os.close(watch)
        ours.setblocking(False)
        return _Worker(ours, watched, server)

    def _send(self, connection: int, watch: int) -> int:
        """Ask for a worker on ``connection``, watched through ``watch``; the server's pid."""
        socket.send_fds(self._running(), [b"w"], [connection, watch])
        assert self._process is not None
        return self._process.pid

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


@dataclass(slots=True, eq=False)
class _Worker:
    """The bot's side of one worker."""

    connection: socket.socket
    watched: int
    """The write end of the pipe its server watches: closing it has the worker killed."""
    server: int
    """The pid of the fork server that made it (a worker ends with its server)."""
    served: int = 0

    def idle_and_alive(self) -> bool:
        """Whether it waits for a request (its end of the socket neither closed nor talking)."""
        if self.server != _server.pid or not _server.alive():
            return False
        try:
            self.connection.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT)
        except BlockingIOError:
            return True
        except OSError:
            pass
        return False

    def retire(self) -> None:
        """Close the bot's ends (the server then kills the worker if it still runs); once."""
        if self.watched >= 0:
            self.connection.close()
            os.close(self.watched)
            self.watched = -1


_server = _ForkServer()
_idle: list[_Worker] = []
"""Workers waiting for their next file, at most ``CONCURRENT_WORKERS``."""


def start_file_checks() -> None:
    """Start the fork server now (the bot at its start), so that the first file someone sends
    does not wait for the parsers to load."""
    _server.ensure_running()


def retire_idle_workers() -> None:
    """End the workers waiting for a file (the bot at its stop)."""
    while worker := _idle_worker():
        worker.retire()


async def run_isolated(job: str, data: bytes | Path, seconds: float, memory_bytes: int) -> Any:
    """Run one job of ``bot.services.file_check_worker`` on ``data`` (bytes, or a file on disk
    the worker reads); raises UnsafeFile when a bound is hit, UnreadableDocument when the
    worker could not read the file. A job whose worker ended without an answer in its time is
    run once more by a new worker, unless that worker was new already (the file ended it) and
    its fork server still runs."""
    payload = str(data).encode() if isinstance(data, Path) else data
    request = {"job": job, "seconds": seconds, "memory": memory_bytes}
    request |= {"path": isinstance(data, Path), "size": len(payload)}
    header = json.dumps(request).encode() + b"\n"
    async with _slot():
        for _attempt in range(2):
            worker = _idle_worker() or await _new_worker()
            fresh = worker.served == 0
            answer, took, taken = await _ask(worker, header, payload, seconds)
            if answer and answer[0] != "unsafe" and worker.served < FILES_PER_WORKER:
                _keep(worker)
            else:
                worker.retire()  # the server kills it if it still runs
            if answer or took >= seconds or (taken and fresh and _server.alive()):
                break
    if not answer:
        ended = "the worker ended without an answer"
        answer = ["unsafe", f"over {seconds:g} s" if took >= seconds else ended]
    status, value = answer
    if status == "unsafe":
        log.warning("a file was refused as unsafe to read: %s", value)
        raise UnsafeFile(value)
    if status == "unreadable":
        raise UnreadableDocument(value)
    return value


def _idle_worker() -> _Worker | None:
    """The latest worker to finish a file that still waits for the next; those that ended
    while waiting (their server did) are dropped."""
    while _idle:
        try:
            worker = _idle.pop()
        except IndexError:  # taken meanwhile by another event loop's thread
            break
        if worker.idle_and_alive():
            return worker
        worker.retire()
    return None


def _keep(worker: _Worker) -> None:
    if len(_idle) < CONCURRENT_WORKERS:
        _idle.append(worker)
    else:
        worker.retire()


async def _new_worker() -> _Worker:
    forking = asyncio.ensure_future(asyncio.to_thread(_server.fork))
    try:
        return await asyncio.shield(forking)
    except asyncio.CancelledError:
        forking.add_done_callback(_retire_unused)  # the worker is made all the same
        raise


def _retire_unused(forking: asyncio.Future[_Worker]) -> None:
    if not forking.cancelled() and forking.exception() is None:
        forking.result().retire()


async def _ask(
    worker: _Worker, header: bytes, payload: bytes, seconds: float
) -> tuple[list[Any] | None, float, bool]:
    """The worker's answer (None when it gave none in time), the seconds it took, and whether
    the worker took the request at all. A cancelled ask retires the worker."""
    loop = asyncio.get_running_loop()
    started = loop.time()
    worker.served += 1
    taken = False
    try:
        async with asyncio.timeout(seconds):
            await loop.sock_sendall(worker.connection, header)
            await loop.sock_sendall(worker.connection, payload)
            taken = True
            line = await _line(worker.connection)
    except TimeoutError:
        line = b""
    except OSError:  # it ended before taking all of it, or before answering
        line = b""
    except BaseException:
        worker.retire()
        raise
    try:
        answer = json.loads(line) if line else None
    except ValueError:
        answer = None
    if not (isinstance(answer, list) and len(answer) == 2):
        answer = None
    return answer, loop.time() - started, taken


async def _line(connection: socket.socket) -> bytes:
    """The worker's answer: one line, at most ``_ANSWER_CAP`` bytes; empty if it ended first."""
    loop = asyncio.get_running_loop()
    answer = bytearray()
    while not answer.endswith(b"\n"):
        chunk = await loop.sock_recv(connection, 1 << 16)
        if not chunk or len(answer) + len(chunk) > _ANSWER_CAP:
            return b""
        answer += chunk
    return bytes(answer)


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
