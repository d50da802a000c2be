"""The fork server of the file checks and its workers: a worker serves file after file, is
retired after its share or an unsafe file, killed past its time or when given up, and reaped;
the server started again when it ended, and ending with the bot's end of it."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bot.domain.file_types import UnsafeFile
from bot.services import file_checks
from bot.services.file_checks import check_content, run_isolated
from tests.crafted_files import zip_bomb
from tests.documents import docx_bytes
from tests.harness import Harness

MEMORY = 256 << 20


def _children(pid: int) -> list[int]:
    found = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return [int(child) for child in found]


async def _reaped(server: int) -> None:
    """Wait until the server has no child left (it reaps each as it ends)."""
    async with asyncio.timeout(30):
        while _children(server):
            await asyncio.sleep(0.01)


async def _workers() -> list[int]:
    """The fork server's workers once those retired are reaped: the pool's alone."""
    server = file_checks._server.pid
    assert server is not None
    async with asyncio.timeout(30):
        while len(found := _children(server)) != len(file_checks._idle):
            await asyncio.sleep(0.01)
    return found


async def test_a_worker_serves_file_after_file_and_ends_when_retired(tmp_path: Path) -> None:
    file_checks.retire_idle_workers()
    data = docx_bytes("Báo cáo kết quả")
    on_disk = tmp_path / ".incoming-1"
    on_disk.write_bytes(data)
    first = await run_isolated("check", data, 10, MEMORY)
    server = file_checks._server.pid
    [worker] = await _workers()
    again = await run_isolated("check", on_disk, 10, MEMORY)  # the worker reads the path
    assert first == again == {"extension": "docx", "pages": 1}
    assert file_checks._server.pid == server and await _workers() == [worker]
    file_checks.retire_idle_workers()
    await _reaped(server)  # it ended and was reaped


async def test_a_worker_is_retired_after_its_files_and_after_an_unsafe_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    file_checks.retire_idle_workers()
    monkeypatch.setattr(file_checks, "FILES_PER_WORKER", 3)
    data = docx_bytes("Báo cáo")
    seen = []
    for _file in range(4):
        await run_isolated("check", data, 10, MEMORY)
        seen += await _workers()  # the pool's worker, none after a worker's third file
    assert len(seen) == 3 and seen[0] == seen[1] != seen[2]
    with pytest.raises(UnsafeFile):
        await run_isolated("check", zip_bomb(), 10, MEMORY)
    await run_isolated("check", data, 10, MEMORY)
    assert len(found := await _workers()) == 1 and found[0] not in seen  # a new one after it


async def test_a_waiting_worker_that_ended_is_replaced_without_losing_the_file() -> None:
    data = docx_bytes("Báo cáo")
    await run_isolated("check", data, 10, MEMORY)
    [worker] = await _workers()
    os.kill(worker, signal.SIGKILL)  # while it waits for its next file
    assert await run_isolated("check", data, 10, MEMORY) == {"extension": "docx", "pages": 1}
    assert worker not in await _workers()


async def test_a_server_that_ended_is_started_again() -> None:
    data = docx_bytes("Báo cáo")
    await run_isolated("check", data, 10, MEMORY)
    old = file_checks._server.pid
    assert old is not None
    os.kill(old, signal.SIGKILL)
    os.waitpid(old, 0)
    assert await run_isolated("check", data, 10, MEMORY) == {"extension": "docx", "pages": 1}
    assert file_checks._server.pid not in (None, old)


async def test_a_worker_that_does_not_answer_in_time_is_refused_as_unsafe_and_killed(
    tmp_path: Path,
) -> None:
    never = tmp_path / ".incoming-2"
    os.mkfifo(never)  # the worker opens it to read and waits for a writer that never comes
    file_checks.retire_idle_workers()
    with pytest.raises(UnsafeFile, match=r"over 0\.5 s"):
        await run_isolated("check", never, 0.5, MEMORY)
    server = file_checks._server.pid
    assert server is not None
    await _reaped(server)  # the worker was killed, not left waiting


def _closed(connection: socket.socket) -> bool:
    """Whether the worker's end closed without an answer (killed while data was unread, its end
    resets)."""
    connection.settimeout(30)
    try:
        return connection.recv(100) == b""
    except ConnectionResetError:
        return True


def _server() -> tuple[subprocess.Popen[bytes], socket.socket]:
    ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    with theirs:
        process = subprocess.Popen(
            [sys.executable, "-m", "bot.services.file_check_server", str(theirs.fileno())],
            pass_fds=[theirs.fileno()],
        )
    return process, ours


def _worker(control: socket.socket) -> tuple[socket.socket, int]:
    """A worker asked for as the bot asks: its socket, and the pipe whose end the bot holds."""
    ours, theirs = socket.socketpair()
    watch, watched = os.pipe()
    socket.send_fds(control, [b"w"], [theirs.fileno(), watch])
    theirs.close()
    os.close(watch)
    ours.settimeout(30)
    return ours, watched


def _request(data: bytes) -> bytes:
    header = {"job": "check", "seconds": 10, "memory": MEMORY, "path": False, "size": len(data)}
    return json.dumps(header).encode() + b"\n" + data


def test_the_server_kills_a_worker_given_up_and_ends_with_the_bot() -> None:
    process, control = _server()
    try:
        serving, watched = _worker(control)
        with serving.makefile("rb") as answers:
            for _file in range(3):  # one worker, file after file, a line each
                serving.sendall(_request(docx_bytes("x")))
                assert json.loads(answers.readline()) == ["ok", {"extension": "docx", "pages": 1}]
        assert len(_children_soon(process.pid)) == 1
        serving.sendall(_request(docx_bytes("x"))[:100])  # and never the rest: the worker waits
        os.close(watched)  # the bot no longer waits: the worker is killed
        assert _closed(serving)
        asyncio.run(_reaped(process.pid))
        hanging, _held = _worker(control)
        hanging.sendall(b"{")
        assert len(_children_soon(process.pid)) == 1
        control.close()  # the bot ended: the server kills its worker and ends
        assert process.wait(timeout=30) == 0
        assert _closed(hanging)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_a_worker_ends_when_its_server_is_killed() -> None:
    process, control = _server()
    waiting, _held = _worker(control)
    waiting.sendall(b"{")  # never the end: the worker waits for it
    [worker] = _children_soon(process.pid)
    process.kill()
    process.wait()
    assert _closed(waiting)  # the kernel killed the worker with its server
    deadline = time.monotonic() + 30
    while Path(f"/proc/{worker}").exists() and not _zombie(worker):
        assert time.monotonic() < deadline, "the worker outlived its server"
        time.sleep(0.01)
    control.close()


def _children_soon(pid: int) -> list[int]:
    """The server's workers, once it has forked them."""
    deadline = time.monotonic() + 30
    while not (found := _children(pid)) and time.monotonic() < deadline:
        time.sleep(0.01)
    return found


def _zombie(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] in "ZX"
    except FileNotFoundError:
        return True


async def test_a_cancelled_check_leaves_the_server_and_the_other_checks_alone(
    tmp_path: Path,
) -> None:
    data = docx_bytes("Báo cáo")
    await run_isolated("check", data, 10, MEMORY)
    server = file_checks._server.pid
    assert server is not None
    never = tmp_path / ".incoming-3"
    os.mkfifo(never)
    for _round in range(10):
        stuck = asyncio.ensure_future(run_isolated("check", never, 60, MEMORY))
        other = asyncio.ensure_future(run_isolated("check", data, 10, MEMORY))
        await asyncio.sleep(0)  # both on their way to a worker
        stuck.cancel()
        assert await other == {"extension": "docx", "pages": 1}
        with contextlib.suppress(asyncio.CancelledError):
            await stuck
    assert len(_children(server)) <= file_checks.CONCURRENT_WORKERS  # only those in the pool
    file_checks.retire_idle_workers()
    await _reaped(server)  # the given-up workers were killed, not left waiting 60 s
    assert file_checks._server.pid == server  # and no server was started again


_WARMED_WORKER = """
import importlib, json, os, sys
from bot.services import file_check_server as server
from bot.services.file_check_worker import JOBS
from tests.documents import docx_bytes, pdf_bytes
from tests.score_forms import rows_workbook

def formula_form():
    from io import BytesIO
    from openpyxl import Workbook
    book, form = Workbook(), BytesIO()
    book.active.append(["TT", "Điểm tự chấm"])
    book.active.append(["I.1", "=2*3"])
    book.save(form)
    return form.getvalue()


for module in server.PRELOAD:
    importlib.import_module(module)
server._warm()
samples = [
    ("check", pdf_bytes(3)),
    ("check", docx_bytes()),
    ("score_form", server._SAMPLE_TABLE + b"\\n" + rows_workbook(5)),
    ("score_form", server._SAMPLE_TABLE + b"\\n" + formula_form()),
]
loaded = set(sys.modules)
for job, data in samples:
    JOBS[job](data)
print(json.dumps(sorted(set(sys.modules) - loaded)))
"""


def test_a_worker_loads_nothing_the_warm_up_did_not_for_a_report_or_a_form() -> None:
    """What a job loads on its first use (pypdf's filters, for one) is loaded by the server
    before it forks: a worker checking a PDF, a DOCX or reading a form imports nothing."""
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, "-c", _WARMED_WORKER],
        cwd=root,
        env={**os.environ, "PYTHONPATH": str(root)},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert json.loads(done.stdout) == []


async def test_a_stopped_bot_leaves_no_worker_waiting(bot: Harness) -> None:
    assert bot.app.services is not None
    await check_content(bot.app.settings, docx_bytes("Báo cáo"))  # its worker waits for more
    [waiting] = await _workers()
    await bot.stop()
    assert file_checks._idle == []
    await _reaped(file_checks._server.pid or 0)
    assert not Path(f"/proc/{waiting}").exists() or _zombie(waiting)
