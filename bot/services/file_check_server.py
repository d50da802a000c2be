"""The fork server of the file checks: ``python -m bot.services.file_check_server FD``, started
by ``bot.services.file_checks`` at the first file, ``FD`` its end of a control socket.

It loads every parser once (``PRELOAD``), then for each request on the control socket — a
socket and the read end of a pipe passed along — forks a worker that serves files on that
socket (``bot.services.file_check_worker``), so none pays for starting Python. It kills a
worker once the bot closes its end of the pipe (the bot retires the worker, or gave up waiting
for its answer), and reaps every one as it ends (a pidfd each, Linux 5.3 or later); when the
bot's end of the control socket closes (the bot ended or was killed) it kills the workers left
and ends.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import importlib
import json
import os
import select
import signal
import socket
import sys
from dataclasses import dataclass

from bot.i18n import LANGUAGES
from bot.services.file_check_worker import serve as serve_files

__all__ = ["PRELOAD", "main"]

_PR_SET_PDEATHSIG = 1
_LIBC = ctypes.CDLL(None, use_errno=True)
"""Loaded once here, not in every worker."""
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
    "encodings.utf_16",
    "encodings.utf_16_be",
    "encodings.utf_16_le",
)
"""Every module a job may need, loaded before the first fork: nothing is imported in a worker
after its limits are set. (pypdf decodes a string that starts with a UTF-16 byte-order mark as
UTF-16, and a PDF's random document ID does now and then.)"""


@dataclass(slots=True)
class _Worker:
    pid: int
    ended: int
    """Its pidfd: readable once it has ended."""
    watch: int
    """The read end of the bot's pipe for this worker: readable (at its end) once the bot no
    longer wants it; -1 once seen."""


def _fork(
    file_socket: int, watch: int, control: socket.socket, others: list[_Worker]
) -> _Worker | None:
    """A worker on ``file_socket`` (None when none could be made: the bot hears its socket
    close without an answer). The worker keeps nothing of the server's but its own socket."""
    server = os.getpid()
    try:
        pid = os.fork()
    except OSError:
        pid = -1
    if pid == 0:  # the worker
        _die_with(server)
        control.close()
        for fd in (watch, *(w.ended for w in others), *(w.watch for w in others if w.watch >= 0)):
            os.close(fd)
        code = 0
        try:
            with socket.socket(fileno=file_socket) as connection:
                serve_files(connection)
        except BaseException:  # a worker never returns into the server's loop
            code = 1
        os._exit(code)
    os.close(file_socket)
    if pid < 0:
        os.close(watch)
        return None
    try:
        ended = os.pidfd_open(pid)
    except OSError:  # out of descriptors: this worker cannot be watched, so it does not run
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(watch)
        return None
    return _Worker(pid, ended, watch)


def _die_with(server: int) -> None:
    """Have the kernel kill this worker when the server ends, however it ends (a worker waiting
    on something that never comes would otherwise outlive it)."""
    _LIBC.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != server:  # it ended before the line above
        os._exit(1)


def _request(control: socket.socket, others: list[_Worker]) -> _Worker | None:
    """The worker for the next request, if one was made; EOFError when the bot's end closed."""
    message, fds, _flags, _address = socket.recv_fds(control, 16, 2)
    if not message:
        raise EOFError
    for extra in fds[2:]:
        os.close(extra)
    if len(fds) < 2:
        for fd in fds:
            os.close(fd)
        return None
    return _fork(fds[0], fds[1], control, others)


def serve(control: socket.socket) -> None:
    workers: dict[int, _Worker] = {}
    """By pidfd."""
    try:
        while True:
            watched = {w.watch: w for w in workers.values() if w.watch >= 0}
            readable, _w, _x = select.select([control, *workers, *watched], [], [])
            ready = set(readable)  # the ended first, then the given up, then what is new
            for ended in ready & workers.keys():
                _forget(workers.pop(ended))
            for watch, worker in watched.items():
                if watch in ready and worker.watch == watch:  # retired, or given up
                    _stop(worker)
            if control in ready and (worker := _request(control, [*workers.values()])):
                workers[worker.ended] = worker
    except EOFError:
        for worker in workers.values():
            _kill(worker)


def _stop(worker: _Worker) -> None:
    """Kill the worker (if it still runs); it is reaped when its pidfd says it ended."""
    _kill(worker)
    os.close(worker.watch)
    worker.watch = -1


def _forget(worker: _Worker) -> None:
    """Reap an ended worker and close what watched it."""
    os.waitpid(worker.pid, 0)
    os.close(worker.ended)
    if worker.watch >= 0:
        os.close(worker.watch)
        worker.watch = -1


def _kill(worker: _Worker) -> None:
    with contextlib.suppress(ProcessLookupError):  # it ended meanwhile
        signal.pidfd_send_signal(worker.ended, signal.SIGKILL)


def _warm() -> None:
    """Run each job of the deadline day once, here, on a small sample of its own: what a job
    loads or builds on its first use (pypdf's filters, openpyxl's reader, Babel's locale data,
    the regular expressions' cache) is then in every worker forked after, not made again in each."""
    from io import BytesIO

    from docx import Document
    from openpyxl import Workbook
    from pypdf import PdfWriter

    from bot.domain.formatting import number
    from bot.services.file_check_worker import JOBS

    for language in LANGUAGES:
        number(1.5, language)
    pdf, docx = BytesIO(), BytesIO()
    writer = PdfWriter()
    writer.add_blank_page(72, 72)
    writer.write(pdf)
    Document().save(docx)
    for sample in (pdf.getvalue(), docx.getvalue()):
        JOBS["check"](sample)
    for score in (2, "=1+1"):  # read from its XML; by openpyxl (a formula)
        book, form = Workbook(), BytesIO()
        sheet = book.active
        assert sheet is not None
        for row in (("TT", "Tiêu chí", "Điểm tự chấm"), ("1", "Sample", score)):
            sheet.append(row)
        book.save(form)
        JOBS["check"](form.getvalue())
        JOBS["score_form"](_SAMPLE_TABLE + b"\n" + form.getvalue())


_SAMPLE_TABLE = json.dumps(
    {
        "title": "Sample",
        "groups": [
            {
                "code": "I",
                "name": "Sample",
                "items": [{"code": "1", "name": "Sample", "max": 2, "kind": "qualitative"}],
            }
        ],
        "classifications": [{"name": "Sample", "min_total": 1}],
    }
).encode()


def main() -> None:
    for module in PRELOAD:
        importlib.import_module(module)
    _warm()
    gc.collect()
    gc.freeze()  # what is loaded is never collected: a worker's collections leave it unshared
    serve(socket.socket(fileno=int(sys.argv[1])))


if __name__ == "__main__":
    main()
