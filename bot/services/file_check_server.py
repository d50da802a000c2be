"""The fork server of the file checks: ``python -m bot.services.file_check_server FD``, started
by ``bot.services.file_checks`` at the first file, ``FD`` its end of a control socket.

It loads every parser once (``PRELOAD``), then for each request on the control socket — a JSON
header ``{"job", "seconds", "memory"}`` with one socket passed along — forks a worker that
serves that one file on that socket (``bot.services.file_check_worker``) and ends, so no file
shares a process with another while none pays for starting Python. It kills a worker still
running after its ``seconds`` and reaps every one as it ends (a pidfd each); when the bot's end
closes (the bot ended or was killed) it kills the workers left and ends.
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import json
import math
import os
import select
import signal
import socket
import sys
import time
from dataclasses import dataclass, replace

from bot.i18n import LANGUAGES, translator
from bot.services.file_check_worker import serve_one

__all__ = ["HEADER_BYTES", "PRELOAD", "main"]

HEADER_BYTES = 512
"""The longest request header."""
PRELOAD = (
    "pypdf",
    "docx",
    "pdfplumber",
    "openpyxl",
    "bot.domain.plan_import",
    "bot.domain.plan_documents",
    "bot.domain.scoring_import",
    "bot.domain.scoring_table",
    "bot.domain.score_form_reading",
    "bot.domain.province_workbook",
)
"""Every module a job may need, loaded before the first fork: nothing is imported in a worker
after its limits are set."""


@dataclass(frozen=True, slots=True)
class _Worker:
    pid: int
    ended: int
    """Its pidfd: readable once it has ended."""
    deadline: float
    """The monotonic time it must have ended by."""


def _fork(header: bytes, file_socket: int, control: socket.socket) -> _Worker:
    """A worker for one request."""
    request = json.loads(header)
    seconds = float(request["seconds"])
    job, memory = str(request["job"]), int(request["memory"])
    pid = os.fork()
    if pid == 0:  # the worker
        control.close()
        code = 0
        try:
            with socket.socket(fileno=file_socket) as connection:
                serve_one(connection, job, seconds, memory)
        except BaseException:  # a worker never returns into the server's loop
            code = 1
        os._exit(code)
    os.close(file_socket)
    return _Worker(pid, os.pidfd_open(pid), time.monotonic() + seconds)


def _request(control: socket.socket) -> _Worker | None:
    """The worker for the next request; None when the bot's end closed."""
    header, fds, _flags, _address = socket.recv_fds(control, HEADER_BYTES, 1)
    if not header:
        raise EOFError
    for extra in fds[1:]:
        os.close(extra)
    if not fds:
        return None
    try:
        return _fork(header, fds[0], control)
    except (ValueError, KeyError, TypeError):  # a header the bot never sends
        os.close(fds[0])
        return None


def serve(control: socket.socket) -> None:
    workers: dict[int, _Worker] = {}
    """By pidfd."""
    try:
        while True:
            due = min((w.deadline for w in workers.values()), default=math.inf)
            wait = None if due == math.inf else max(0.0, due - time.monotonic())
            readable, _w, _x = select.select([control, *workers], [], [], wait)
            for ready in readable:
                if ready is control:
                    if (worker := _request(control)) is not None:
                        workers[worker.ended] = worker
                else:
                    os.waitpid(workers.pop(ready).pid, 0)
                    os.close(ready)
            now = time.monotonic()
            for ended, worker in list(workers.items()):
                if worker.deadline <= now:
                    _kill(worker)
                    workers[ended] = replace(worker, deadline=math.inf)  # reaped when it ends
    except EOFError:
        for worker in workers.values():
            _kill(worker)


def _kill(worker: _Worker) -> None:
    with contextlib.suppress(ProcessLookupError):  # it ended meanwhile
        signal.pidfd_send_signal(worker.ended, signal.SIGKILL)


def _warm() -> None:
    """Load once, here, what the jobs would each load on first use (the catalogues, Babel's
    locale data, openpyxl's writer and reader): every worker forked after starts with them."""
    from io import BytesIO

    from openpyxl import Workbook, load_workbook
    from openpyxl.styles import Font

    from bot.domain.formatting import number

    for language in LANGUAGES:
        translator(language)
        number(1.5, language)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.cell(1, 1, 1.5).font = Font(bold=True)
    written = BytesIO()
    book.save(written)
    load_workbook(BytesIO(written.getvalue()), data_only=True)


def main() -> None:
    for module in PRELOAD:
        importlib.import_module(module)
    _warm()
    gc.collect()
    gc.freeze()  # what is loaded is never collected: a worker's collections leave it unshared
    serve(socket.socket(fileno=int(sys.argv[1])))


if __name__ == "__main__":
    main()
