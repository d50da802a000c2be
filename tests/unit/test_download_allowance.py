"""The chat files held in memory at once: a file that does not fit waits for room, one without a
file never waits, one larger than the allowance waits to be alone."""

from __future__ import annotations

import asyncio

from bot.channels.downloads import DownloadAllowance


async def test_a_file_that_does_not_fit_waits_until_one_is_handled() -> None:
    allowance = DownloadAllowance(100)
    first_done, order = asyncio.Event(), []

    async def event(name: str, size: int, until: asyncio.Event | None = None) -> None:
        async with allowance.hold(size):
            order.append(f"{name} in ({allowance.held})")
            if until is not None:
                await until.wait()
        order.append(f"{name} out")

    first = asyncio.create_task(event("a", 60, first_done))
    await asyncio.sleep(0)
    second = asyncio.create_task(event("b", 60))
    text = asyncio.create_task(event("text", 0))
    huge = asyncio.create_task(event("huge", 500))
    await text
    assert order == ["a in (60)", "text in (60)", "text out"]  # b and huge wait for room
    first_done.set()
    await asyncio.gather(first, second, huge)
    b, alone = ["b in (60)", "b out"], ["huge in (100)", "huge out"]
    assert order[3:] in (["a out", *b, *alone], ["a out", *alone, *b])  # one after the other
    assert allowance.held == 0
