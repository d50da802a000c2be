"""Which waiting update starts next when more wait than may run at once: work under way (a button
pressed, a file sent) before new requests (a command, a question), and each chat's updates in
the order they came (one never starts before an earlier one of its chat; the dispatcher's lock
per chat then orders their work). On a deadline day an officer halfway through sending a report
is not kept waiting behind the province's new questions."""

from __future__ import annotations

import asyncio
import heapq
import itertools
from collections import deque
from collections.abc import Awaitable, Hashable
from dataclasses import dataclass, field
from typing import TypeVar

__all__ = ["NEW", "UNDER_WAY", "UpdateGate"]

T = TypeVar("T")

UNDER_WAY = 0
"""A button pressed or a file sent: a step of something the person has started."""
NEW = 1
"""A command, a text, anything else."""


@dataclass(slots=True)
class _Waiter:
    priority: int
    order: int
    granted: asyncio.Future[None]


@dataclass(slots=True)
class _Chat:
    waiting: deque[_Waiter] = field(default_factory=deque)
    running: int = 0


class UpdateGate:
    """At most ``slots`` updates at once; among the chats waiting, the one whose next update
    has the best priority (then came first) goes next."""

    def __init__(self, slots: int) -> None:
        self._free = slots
        self._chats: dict[Hashable, _Chat] = {}
        self._ready: list[tuple[int, int, Hashable]] = []
        """Each waiting chat's next update, as (priority, order, chat); stale entries skipped."""
        self._order = itertools.count()

    @property
    def waiting(self) -> int:
        """Updates waiting for their turn now."""
        return sum(len(chat.waiting) for chat in self._chats.values())

    async def run(self, chat: Hashable | None, priority: int, work: Awaitable[T]) -> T:
        """Await ``work`` once its turn comes (``chat`` None: an update of no chat, ordered
        with no other)."""
        key: Hashable = object() if chat is None else chat
        waiter = _Waiter(priority, next(self._order), asyncio.get_running_loop().create_future())
        queue = self._chats.setdefault(key, _Chat())
        queue.waiting.append(waiter)
        if len(queue.waiting) == 1:
            heapq.heappush(self._ready, (priority, waiter.order, key))
        self._grant()
        try:
            await waiter.granted
        except asyncio.CancelledError:
            if waiter.granted.done() and not waiter.granted.cancelled():
                self._release(key)  # granted as it was cancelled
            else:
                self._forget(key, waiter)
            if hasattr(work, "close"):
                work.close()  # a coroutine never awaited
            raise
        try:
            return await work
        finally:
            self._release(key)

    def _grant(self) -> None:
        while self._free and self._ready:
            _priority, order, key = heapq.heappop(self._ready)
            queue = self._chats.get(key)
            if queue is None or not queue.waiting or queue.waiting[0].order != order:
                continue  # stale: that update was cancelled
            head = queue.waiting.popleft()
            queue.running += 1
            self._free -= 1
            head.granted.set_result(None)
            self._next_of(key, queue)

    def _release(self, key: Hashable) -> None:
        self._free += 1
        queue = self._chats[key]
        queue.running -= 1
        self._drop_if_idle(key, queue)
        self._grant()

    def _forget(self, key: Hashable, waiter: _Waiter) -> None:
        """A waiting update cancelled: its chat's next one takes its place."""
        queue = self._chats[key]
        was_next = queue.waiting[0] is waiter
        queue.waiting.remove(waiter)
        if was_next:
            self._next_of(key, queue)
            self._grant()

    def _next_of(self, key: Hashable, queue: _Chat) -> None:
        """The chat's next update (if any) competes now."""
        if queue.waiting:
            head = queue.waiting[0]
            heapq.heappush(self._ready, (head.priority, head.order, key))
        self._drop_if_idle(key, queue)

    def _drop_if_idle(self, key: Hashable, queue: _Chat) -> None:
        if not queue.waiting and not queue.running:
            del self._chats[key]
