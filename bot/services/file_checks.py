"""Every look inside a file someone sent — the type check, the page count, reading a plan —
runs in a separate worker process (``bot.services.file_check_worker``), never on the event loop: the
worker caps its own address space and CPU time and may not write files, and it is killed when
it overruns its wall-clock time. A bound hit anywhere becomes ``UnsafeFile``, which callers
answer with "tệp không đọc được an toàn".

The bytes go to the worker on a pipe — or, for a file on disk (an upload), the worker's stdin is
that file, so the bot never holds it whole — and the answer comes back as JSON, never as a
pickle, so a subverted parser cannot reach into the bot process; at most ``CONCURRENT_WORKERS``
run at once per event loop, the others wait their turn without blocking it.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import sys
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
]

log = logging.getLogger(__name__)

CONCURRENT_WORKERS = 2
_CODE_ROOT = Path(__file__).resolve().parents[2]
"""The folder holding the ``bot`` package: the worker runs the very code the bot runs."""
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


async def _exchange(process: asyncio.subprocess.Process, data: bytes | Path) -> bytes:
    assert process.stdout is not None
    if process.stdin is not None and isinstance(data, bytes):
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # it may end early
            process.stdin.write(data)
            await process.stdin.drain()
            process.stdin.close()
    answer = bytearray()
    while chunk := await process.stdout.read(1 << 16):
        answer += chunk
        if len(answer) > _ANSWER_CAP:
            return b""
    await process.wait()
    return bytes(answer)


async def run_isolated(job: str, data: bytes | Path, seconds: float, memory_bytes: int) -> Any:
    """Run one job of ``bot.services.file_check_worker`` on ``data`` (bytes, or a file read as
    the worker's stdin); raises UnsafeFile when a bound is hit, UnreadableDocument when the
    worker could not read the file."""
    async with _slot(), contextlib.AsyncExitStack() as opened:
        source = data if isinstance(data, bytes) else opened.enter_context(data.open("rb"))
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot.services.file_check_worker",
            job,
            f"{seconds:g}",
            str(memory_bytes),
            stdin=asyncio.subprocess.PIPE if isinstance(source, bytes) else source,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.DEVNULL,
            cwd=_CODE_ROOT,
        )
        try:
            async with asyncio.timeout(seconds):
                answer = await _exchange(process, data)
        except TimeoutError:
            answer = json.dumps(["unsafe", f"over {seconds:g} s"]).encode()
        finally:
            if process.returncode is None:
                process.kill()
                await process.wait()
    try:
        status, value = json.loads(answer)
    except ValueError:
        status, value = "unsafe", f"worker ended ({process.returncode})"
    if status == "unsafe":
        log.warning("a file was refused as unsafe to read: %s", value)
        raise UnsafeFile(value)
    if status == "unreadable":
        raise UnreadableDocument(value)
    return value


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
