"""The bytes of files downloaded from the chat apps held in memory at once, shared by the
channels. A file is downloaded when its event arrives — before anything knows who sent it, so a
stranger forwarding one large document many times costs a download each — and held until the
event is handled; an event whose file does not fit waits for room (one larger than the whole
allowance waits to be alone)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

__all__ = ["DownloadAllowance"]


class DownloadAllowance:
    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.held = 0
        self._freed = asyncio.Event()

    @asynccontextmanager
    async def hold(self, size: int) -> AsyncIterator[None]:
        """Room for ``size`` bytes (a file's declared size, or the most a download may be) while
        the block runs; nothing to wait for when there is no file (``size`` 0)."""
        size = min(size, self.limit)
        while size and self.held and self.held + size > self.limit:
            self._freed.clear()
            await self._freed.wait()
        self.held += size
        try:
            yield
        finally:
            self.held -= size
            self._freed.set()
