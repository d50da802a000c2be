"""What /proc says of a process the benchmarks started: its status figures and its children
(the bot's fork server of file checks is one, started from one of its threads)."""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["children", "cpu_seconds", "status_kb", "written_bytes"]


def status_kb(pid: int, key: str) -> int:
    """A figure of /proc/PID/status in kB (``VmHWM``, ``VmRSS``)."""
    return _field(pid, "status", key)


def written_bytes(pid: int) -> int:
    """Bytes the process caused to be written to storage."""
    return _field(pid, "io", "write_bytes")


def _field(pid: int, file: str, key: str) -> int:
    for line in Path(f"/proc/{pid}/{file}").read_text().splitlines():
        if line.startswith(f"{key}:"):
            return int(line.split()[1])
    raise LookupError(key)


def children(pid: int) -> list[int]:
    """The children of every thread of the process."""
    return [
        int(child)
        for task in Path(f"/proc/{pid}/task").iterdir()
        for child in (task / "children").read_text().split()
    ]


def cpu_seconds(pid: int, reaped: bool = False) -> float:
    """CPU time of the process (with ``reaped``, and of the ended children it waited for)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = sum(int(f) for f in fields[11 : 15 if reaped else 13])
    return ticks / os.sysconf("SC_CLK_TCK")
