"""The worker process that looks inside files: forked by ``bot.services.file_check_server``
with every parser loaded, it serves the files the bot sends on its socket one at a time (see
:func:`serve`), answering each with ``[status, value]`` as JSON.

It silences its standard error and may write no file; before any parser sees a file it caps
itself for that one job (CPU time, address space above what it holds); it imports nothing of
the bot beyond the domain.
"""

from __future__ import annotations

import json
import math
import os
import resource
import socket
from collections.abc import Callable
from typing import Any

from bot.domain.file_types import (
    PDF,
    PLAN_ZIP_LIMITS,
    UnsafeFile,
    check,
    check_zip,
    pdf_structure,
    sniff,
)

__all__ = ["PLAN_MAX_PAGES", "PROVINCE_MAX_BYTES", "serve"]

PLAN_MAX_PAGES = 60
"""A plan is a few pages; a PDF declaring more is not handed to the PDF reader."""
PROVINCE_MAX_BYTES = 20 << 20
"""A province's decision or workbook is at most this large."""
_REQUEST_BYTES = 512
"""The longest request line."""


class Unreadable(Exception):
    """Not a document this job can read (damaged, or no plan in it)."""


def _check_job(data: bytes) -> Any:
    found = check(data)
    return None if found is None else {"extension": found.kind.extension, "pages": found.pages}


def _bounded_container(data: bytes) -> None:
    """A document's container within the document bounds (ZIP structure; PDF pages), checked
    before any parser sees it."""
    if data.startswith(b"PK\x03\x04"):
        check_zip(data, PLAN_ZIP_LIMITS)
    elif sniff(data) is PDF:
        whole, pages = pdf_structure(data)
        if not whole or pages is None:
            raise Unreadable("not a whole, readable PDF")
        if pages > PLAN_MAX_PAGES:
            raise UnsafeFile(f"{pages} pages")


def _unreadable(exc: Exception) -> Exception:
    """A reader's own error (it wraps the parser's): unsafe if a bound was hit, else unreadable."""
    if _out_of_bounds(exc):
        return UnsafeFile("a bound was hit while reading")
    return Unreadable(str(exc))


def _plan_job(data: bytes) -> Any:
    """The plan, read only after its container passed the document bounds."""
    from bot.domain.plan_documents import UnreadableDocument, read_plan_document
    from bot.domain.plan_import import extract_plan

    _bounded_container(data)
    try:
        return extract_plan(read_plan_document(data)).as_json()
    except UnreadableDocument as exc:
        raise _unreadable(exc) from exc


def _scoring_table_job(data: bytes) -> Any:
    """The province's scoring table (DOCX, XLSX, PDF), read within the document bounds."""
    from bot.domain.scoring_import import UnreadableScoringTable, read_scoring_table

    _bounded_container(data)
    try:
        return read_scoring_table(data).as_data()
    except UnreadableScoringTable as exc:
        raise _unreadable(exc) from exc


def _score_form_job(packed: bytes) -> Any:
    """A filled score form: the scoring table as JSON on the first line, then the file.
    A form refused for a reason the officer is told comes back as that reason."""
    from bot.domain.score_form_reading import FormRefused, read_score_form
    from bot.domain.scoring_table import ScoringTable

    head, _newline, data = packed.partition(b"\n")
    table = ScoringTable.model_validate_json(head)
    try:
        return {"form": read_score_form(data, table).as_data()}
    except FormRefused as exc:
        if _out_of_bounds(exc):
            raise UnsafeFile("a bound was hit while reading") from exc
        return {"refused": [exc.reason, exc.values]}


def _province_job(data: bytes) -> Any:
    """A province's decision (any shape) or its workbook: ``{"workbook": bool, ...}``."""
    from bot.domain.plan_documents import UnreadableDocument
    from bot.domain.province_workbook import ProvinceWorkbook, read_province_file

    if len(data) > PROVINCE_MAX_BYTES:
        raise UnsafeFile(f"{len(data)} bytes")
    _bounded_container(data)
    try:
        found = read_province_file(data)
    except UnreadableDocument as exc:
        raise _unreadable(exc) from exc
    if isinstance(found, ProvinceWorkbook):
        return {"workbook": True, **found.as_json()}
    return {"workbook": False, **found.as_json(words=True)}


JOBS: dict[str, Callable[[bytes], Any]] = {
    "check": _check_job,
    "plan": _plan_job,
    "scoring_table": _scoring_table_job,
    "score_form": _score_form_job,
    "province": _province_job,
}


def _limit(cpu_seconds: float, memory_bytes: int) -> None:
    """Cap this process for one job: CPU time from now, address space above what it holds now.
    Only the soft limits move (a process may not raise a hard one again)."""
    used = resource.getrusage(resource.RUSAGE_SELF)
    _soft(resource.RLIMIT_CPU, math.ceil(used.ru_utime + used.ru_stime + cpu_seconds) + 1)
    with open("/proc/self/statm") as statm:
        held = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    _soft(resource.RLIMIT_AS, held + memory_bytes)


def _soft(kind: int, value: int) -> None:
    _soft_now, hard = resource.getrlimit(kind)
    resource.setrlimit(kind, (value if hard == resource.RLIM_INFINITY else min(value, hard), hard))


def _out_of_bounds(exc: BaseException | None) -> bool:
    """Whether memory or recursion ran out somewhere in the chain (parsers wrap the error)."""
    while exc is not None:
        if isinstance(exc, MemoryError | RecursionError):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def run(job: str, data: bytes, seconds: float, memory_bytes: int) -> list[Any]:
    _limit(seconds, memory_bytes)
    try:
        return ["ok", JOBS[job](data)]
    except UnsafeFile as exc:
        return ["unsafe", str(exc)]
    except Unreadable as exc:
        return ["unreadable", str(exc)]
    except Exception as exc:  # a parser's own error: unreadable, unless it ran out of a bound
        return ["unsafe" if _out_of_bounds(exc) else "unreadable", type(exc).__name__]


def serve(connection: socket.socket) -> None:
    """The worker's whole life, in the forked process: a request at a time on ``connection``
    (a JSON line ``{"job", "seconds", "memory", "path", "size"}``, then ``size`` bytes: the
    file, or the path of a file on disk), each answered by a JSON line ``[status, value]``,
    until the bot closes its end. It ends after an unsafe file (a bound was hit: what it holds
    may be broken), and is killed by its server whenever the bot gives up waiting."""
    quiet = os.open(os.devnull, os.O_WRONLY)
    os.dup2(quiet, 2)  # a parser's warning may quote the file
    for kind in (resource.RLIMIT_FSIZE, resource.RLIMIT_CORE):  # no file written, no core dump
        resource.setrlimit(kind, (0, 0))
    with connection.makefile("rb") as requests:
        while (header := requests.readline(_REQUEST_BYTES)).endswith(b"\n"):
            request = json.loads(header)
            size = int(request["size"])
            data = requests.read(size)
            if len(data) < size:
                return
            if request["path"]:
                with open(data, "rb") as source:
                    data = source.read()
            answer = run(str(request["job"]), data, request["seconds"], int(request["memory"]))
            del data
            connection.sendall(json.dumps(answer).encode() + b"\n")
            if answer[0] == "unsafe":
                return
