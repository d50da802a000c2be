"""The upload gate on its own: uploads past ``at_once`` wait their turn in order, behind at most
``waiting`` others and for at most the wait bound (an injected sleep stands for the time); a
waiter that is cancelled, whose client leaves, or whose wait runs out gives its place up, even
at the very moment its turn comes; the per-link bound refuses at once; and the web server lets
at most half its connection cap wait."""

from __future__ import annotations

import asyncio
import contextlib
import logging

import pytest

from bot.config import Settings
from bot.web.server import upload_gate
from bot.web.uploads import UploadGate, UploadRefused


class Hours:
    """The injected sleep: a wait's longest is over when the test says so."""

    def __init__(self) -> None:
        self.passed = asyncio.Event()

    async def sleep(self, _seconds: float) -> None:
        await self.passed.wait()


async def _stay() -> None:
    """A client that never leaves."""
    await asyncio.get_running_loop().create_future()


def _gate(hours: Hours, at_once: int = 2, waiting: int = 3, per_link: int = 2) -> UploadGate:
    return UploadGate(per_link, at_once, waiting, 120, hours.sleep)


async def _until(gate: UploadGate, waiting: int) -> None:
    """Let the waiters run (no time passes) until ``waiting`` of them wait."""
    for _ in range(100):
        if gate.waiting == waiting:
            return
        await asyncio.sleep(0)
    raise AssertionError(f"{gate.waiting} waiting, not {waiting}")


async def test_uploads_past_at_once_wait_and_are_let_in_first_come_first_served() -> None:
    gate = _gate(Hours())
    held = [await gate.enter(link, _stay) for link in ("a", "b")]
    for place in held:
        place.__enter__()
    order: list[str] = []

    async def upload(link: str) -> None:
        with await gate.enter(link, _stay):
            order.append(link)
            assert gate.under_way <= 2

    waiters = [asyncio.create_task(upload(link)) for link in ("c", "d", "e")]
    await _until(gate, 3)
    assert (gate.under_way, order) == (2, [])
    held[0].__exit__(None, None, None)
    await asyncio.gather(*waiters)  # all through a's place, b's still held
    assert order == ["c", "d", "e"]
    assert (gate.under_way, gate.waiting) == (1, 0)
    held[1].__exit__(None, None, None)
    assert (gate.under_way, gate.waiting) == (0, 0)


async def test_past_the_queue_length_an_upload_is_refused_503_with_retry_after() -> None:
    gate = _gate(Hours(), at_once=1, waiting=1)
    place = await gate.enter("a", _stay)
    waiter = asyncio.create_task(gate.enter("b", _stay))
    await _until(gate, 1)
    with pytest.raises(UploadRefused) as refused:
        await gate.enter("c", _stay)
    assert (refused.value.status, refused.value.retry_after) == (503, 30)
    with place:
        pass
    with await waiter:
        assert (gate.under_way, gate.waiting) == (1, 0)


async def test_a_wait_that_runs_out_is_refused_and_leaves_the_queue() -> None:
    hours = Hours()
    gate = _gate(hours, at_once=1)
    with await gate.enter("a", _stay):
        waiter = asyncio.create_task(gate.enter("b", _stay))
        await _until(gate, 1)
        hours.passed.set()
        with pytest.raises(UploadRefused) as refused:
            await waiter
        assert (refused.value.status, refused.value.retry_after, gate.waiting) == (503, 30, 0)
    assert gate.under_way == 0
    with await gate.enter("b", _stay):  # the link's count was given back too
        pass


async def test_a_waiter_whose_client_leaves_gives_its_place_in_the_queue_up() -> None:
    gate = _gate(Hours(), at_once=1, waiting=1)
    leaves = asyncio.Event()

    async def left() -> None:
        await leaves.wait()

    with await gate.enter("a", _stay):
        waiter = asyncio.create_task(gate.enter("b", left))
        await _until(gate, 1)
        leaves.set()
        with pytest.raises(ConnectionResetError):
            await waiter
        assert gate.waiting == 0
        second = asyncio.create_task(gate.enter("c", _stay))  # its place in the queue is free
        await _until(gate, 1)
    with await second:
        assert gate.under_way == 1


async def test_a_waiter_cancelled_as_its_turn_comes_passes_the_place_on() -> None:
    gate = _gate(Hours(), at_once=1)
    place = await gate.enter("a", _stay)
    place.__enter__()
    first = asyncio.create_task(gate.enter("b", _stay))
    second = asyncio.create_task(gate.enter("c", _stay))
    await _until(gate, 2)
    place.__exit__(None, None, None)  # b's turn is granted ...
    first.cancel()  # ... and b is cancelled before it could run
    with contextlib.suppress(asyncio.CancelledError):
        await first
    assert first.cancelled()
    with await second:  # c has the place b never took
        assert (gate.under_way, gate.waiting) == (1, 0)
    assert gate.under_way == 0


async def test_a_waiter_cancelled_while_waiting_leaves_the_queue() -> None:
    gate = _gate(Hours(), at_once=1, waiting=1)
    with await gate.enter("a", _stay):
        waiter = asyncio.create_task(gate.enter("b", _stay))
        await _until(gate, 1)
        waiter.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await waiter
        assert gate.waiting == 0
    assert gate.under_way == 0


async def test_the_per_link_bound_counts_the_waiting_and_refuses_429_at_once() -> None:
    gate = _gate(Hours(), at_once=1, waiting=3)
    with await gate.enter("a", _stay):
        waiter = asyncio.create_task(gate.enter("a", _stay))
        await _until(gate, 1)
        with pytest.raises(UploadRefused) as refused:
            await gate.enter("a", _stay)  # one under way and one waiting on link a
        assert (refused.value.status, refused.value.retry_after, gate.waiting) == (429, 30, 1)
    with await waiter:
        pass


async def test_at_most_half_the_connection_cap_wait_and_a_cut_queue_is_logged(
    caplog: pytest.LogCaptureFixture,
) -> None:
    settings = Settings(_env_file=None, uploads_at_once=1, uploads_waiting=256)
    with caplog.at_level(logging.WARNING, "bot.web.server"):
        gate = upload_gate(settings, connections=4)
    assert "at most 2 uploads wait their turn" in caplog.text
    with await gate.enter("a", _stay):
        waiters = [asyncio.create_task(gate.enter(link, _stay)) for link in ("b", "c")]
        await _until(gate, 2)
        with pytest.raises(UploadRefused) as refused:
            await gate.enter("d", _stay)
        assert refused.value.status == 503
    for waiter in waiters:
        with await waiter:
            pass
