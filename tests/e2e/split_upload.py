"""The bot with a deliberately split upload: the link's use is committed in a transaction of its
own, before the submission's (as it was before issue 29). Only the crash suite's mutation test
runs it (``python -m tests.e2e.split_upload run``), to show that the suite catches the split."""

from __future__ import annotations

import sqlite3
import sys
from datetime import datetime

from bot.cli.main import main
from storage.links import Link, LinkRepository

_use_on = LinkRepository.use_on


def _use_then_commit(conn: sqlite3.Connection, link: Link, now: datetime) -> bool:
    spent = _use_on(conn, link, now)
    conn.execute("COMMIT")  # the split: the link is spent alone ...
    conn.execute("BEGIN IMMEDIATE")  # ... and the submission stored after,
    conn.execute("SAVEPOINT event")  # in the savepoint the group commit releases
    return spent


if __name__ == "__main__":
    LinkRepository.use_on = staticmethod(_use_then_commit)  # type: ignore[method-assign]
    sys.exit(main())
