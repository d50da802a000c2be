"""The fork server of the file checks: one worker per file, forked and reaped; a worker past its
time killed; the server started again when it ended, and ending with the bot's end of it."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from bot.domain.file_types import UnsafeFile
from bot.services import file_checks
from bot.services.file_checks import run_isolated
from tests.documents import docx_bytes

MEMORY = 256 << 20


def _children(pid: int) -> list[int]:
    found = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return [int(child) for child in found]


async def _reaped(server: int) -> None:
    """Wait until the server has no child left (it reaps each as it ends)."""
    async with asyncio.timeout(30):
        while _children(server):
            await asyncio.sleep(0.01)


async def test_every_file_gets_its_own_worker_and_none_is_left(tmp_path: Path) -> None:
    data = docx_bytes("Báo cáo kết quả")
    on_disk = tmp_path / ".incoming-1"
    on_disk.write_bytes(data)
    first = await run_isolated("check", data, 10, MEMORY)
    server = file_checks._server.pid
    assert server is not None
    again = await run_isolated("check", on_disk, 10, MEMORY)  # the worker reads the path
    assert first == again == {"extension": "docx", "pages": 1}
    assert file_checks._server.pid == server  # the same server forked both
    await _reaped(server)  # each worker ended and was reaped


async def test_a_server_that_ended_is_started_again() -> None:
    data = docx_bytes("Báo cáo")
    await run_isolated("check", data, 10, MEMORY)
    old = file_checks._server.pid
    assert old is not None
    os.kill(old, signal.SIGKILL)
    os.waitpid(old, 0)
    assert await run_isolated("check", data, 10, MEMORY) == {"extension": "docx", "pages": 1}
    assert file_checks._server.pid not in (None, old)


async def test_a_worker_that_does_not_answer_in_time_is_refused_as_unsafe(tmp_path: Path) -> None:
    never = tmp_path / ".incoming-2"
    os.mkfifo(never)  # the worker opens it to read and waits for a writer that never comes
    with pytest.raises(UnsafeFile, match=r"over 0\.5 s"):
        await run_isolated("check", never, 0.5, MEMORY)


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


def test_the_server_kills_a_worker_past_its_time_and_ends_with_the_bot() -> None:
    process, control = _server()
    try:
        ours, theirs = socket.socketpair()
        header = json.dumps({"job": "check", "seconds": 0.5, "memory": MEMORY}).encode()
        socket.send_fds(control, [header], [theirs.fileno()])
        theirs.close()
        ours.sendall(b"b" + docx_bytes("x")[:100])  # and never the end of it: the worker waits
        assert _closed(ours)  # killed at 0.5 s: its end closed without an answer
        ours.close()
        asyncio.run(_reaped(process.pid))
        hanging, held = socket.socketpair()
        socket.send_fds(control, [header.replace(b"0.5", b"60")], [held.fileno()])
        held.close()
        hanging.sendall(b"b")
        control.close()  # the bot ended: the server kills its worker and ends
        assert process.wait(timeout=30) == 0
        assert _closed(hanging)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
