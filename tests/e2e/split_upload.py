"""The bot with a deliberately split upload: the link's use is committed in a transaction of its
own, before the submission's (as it was before issue 29). Only the crash suite's mutation test
runs it (``python -m tests.e2e.split_upload run``), to show that the suite catches the split."""

from __future__ import annotations

import sys
from datetime import datetime

import aiosqlite

from bot.cli.main import main
from storage.links import Link, LinkRepository

_use_in = LinkRepository.use_in


async def _use_then_commit(conn: aiosqlite.Connection, link: Link, now: datetime) -> bool:
    spent = await _use_in(conn, link, now)
    await conn.execute("COMMIT")  # the split: the link is spent alone ...
    await conn.execute("BEGIN IMMEDIATE")  # ... and the submission stored after
    return spent


if __name__ == "__main__":
    LinkRepository.use_in = staticmethod(_use_then_commit)  # type: ignore[method-assign]
    sys.exit(main())
