"""A test-only crash point: the process SIGKILLs itself just before the n-th write statement it
runs once armed, so the crash suite can cut an event between any two of its commits and inside
any one of them (tests/e2e/test_crash_suite.py).

``CUMTHIDUA_TEST_CRASH_AT=<n>:<arm file>[:<from>]`` (read once, when the database opens) arms
the count when the arm file appears; the write statements (and the transaction control and the
pragmas) run after that are numbered from 1 — or, with ``<from>``, from the first of them that
contains that text (numbered 1), so that a point inside one transaction stays put whatever the
background wrote before. Each is appended to ``<arm file>.log`` as it starts, so a first run
with n = 0 (never kill) lists the statements an event runs. Unset, nothing is installed and
nothing is paid."""

from __future__ import annotations

import os
import signal
import sqlite3
from pathlib import Path

__all__ = ["CRASH_AT", "install_crash_point"]

CRASH_AT = "CUMTHIDUA_TEST_CRASH_AT"

_COUNTED = ("INSERT", "UPDATE", "DELETE", "REPLACE", "BEGIN", "COMMIT", "SAVEPOINT", "RELEASE")
_COUNTED += ("ROLLBACK", "PRAGMA")  # the vote's checkpoint


def install_crash_point(conn: sqlite3.Connection) -> None:
    """Install the crash point named by the environment on ``conn`` (on its own thread)."""
    setting = os.environ.get(CRASH_AT)
    if not setting:
        return
    number, _, rest = setting.partition(":")
    arm, _, start = rest.partition(":")
    conn.set_trace_callback(_CrashPoint(int(number), Path(arm), start))


class _CrashPoint:
    def __init__(self, at: int, arm: Path, start: str) -> None:
        self._at, self._arm, self._log = at, arm, arm.with_name(arm.name + ".log")
        self._start = start
        self._armed = False
        self._count = 0

    def __call__(self, statement: str) -> None:
        if not statement.lstrip().upper().startswith(_COUNTED):
            return
        if not self._armed:
            self._armed = self._arm.exists() and self._start in statement
            if not self._armed:
                return
        self._count += 1
        with self._log.open("a", encoding="utf-8") as log:
            log.write(f"{self._count}\t{' '.join(statement.split())[:200]}\n")
        if self._count == self._at:
            os.kill(os.getpid(), signal.SIGKILL)
