"""The update gate: at most its slots at once, work under way (a button, a file) before new
requests, each chat's updates started in the order they came, and a cancelled update
taking nothing with it."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Hashable

from telegram import Bot, Update

from bot.channels.telegram_updates import priority_of
from bot.channels.update_gate import NEW, UNDER_WAY, UpdateGate


class Work:
    """Updates that note when they start and end when told."""

    def __init__(self) -> None:
        self.started: list[str] = []
        self.release: dict[str, asyncio.Event] = {}

    async def update(self, name: str) -> str:
        self.started.append(name)
        await self.release.setdefault(name, asyncio.Event()).wait()
        return name

    def end(self, name: str) -> None:
        self.release.setdefault(name, asyncio.Event()).set()


async def _settle() -> None:
    """Let every task run until it waits."""
    for _ in range(20):
        await asyncio.sleep(0)


def _submit(
    gate: UpdateGate, work: Work, chat: Hashable | None, priority: int, name: str
) -> asyncio.Task[str]:
    return asyncio.create_task(gate.run(chat, priority, work.update(name)))


async def test_work_under_way_goes_before_new_requests_then_in_order() -> None:
    gate, work = UpdateGate(1), Work()
    tasks = [_submit(gate, work, "busy", NEW, "busy")]
    await _settle()
    tasks += [
        _submit(gate, work, "a", NEW, "a question"),
        _submit(gate, work, "b", UNDER_WAY, "b's file"),
        _submit(gate, work, "c", NEW, "c question"),
        _submit(gate, work, "d", UNDER_WAY, "d's button"),
    ]
    await _settle()
    assert work.started == ["busy"] and gate.waiting == 4
    for name in ["busy", "b's file", "d's button", "a question", "c question"]:
        work.end(name)
        await _settle()
    assert work.started == ["busy", "b's file", "d's button", "a question", "c question"]
    assert await asyncio.gather(*tasks) == [
        "busy",
        "a question",
        "b's file",
        "c question",
        "d's button",
    ]
    assert gate.waiting == 0


async def test_a_chats_update_never_starts_before_an_earlier_one_of_the_chat() -> None:
    gate, work = UpdateGate(1), Work()
    busy = _submit(gate, work, "busy", NEW, "busy")
    await _settle()
    tasks = [
        _submit(gate, work, "a", NEW, "/nopbaocao"),
        _submit(gate, work, "a", UNDER_WAY, "a's button"),  # may not overtake a's command
        _submit(gate, work, "b", UNDER_WAY, "b's file"),
        _submit(gate, work, "c", NEW, "c question"),
    ]
    await _settle()
    for name in ("busy", "b's file", "/nopbaocao", "a's button", "c question"):
        work.end(name)
        await _settle()
    assert work.started == ["busy", "b's file", "/nopbaocao", "a's button", "c question"]
    await asyncio.gather(busy, *tasks)


async def test_a_chats_updates_may_run_side_by_side_once_started_in_order() -> None:
    """The dispatcher's lock per chat orders their work; a flood of one chat's updates is
    answered (refused) several at a time."""
    gate, work = UpdateGate(3), Work()
    tasks = [_submit(gate, work, "a", NEW, f"a{n}") for n in range(4)]
    await _settle()
    assert work.started == ["a0", "a1", "a2"]
    for n in range(4):
        work.end(f"a{n}")
    await asyncio.gather(*tasks)
    assert work.started == ["a0", "a1", "a2", "a3"] and gate.waiting == 0


async def test_updates_of_no_chat_are_not_ordered_with_each_other() -> None:
    gate, work = UpdateGate(3), Work()
    tasks = [_submit(gate, work, None, NEW, f"u{n}") for n in range(3)]
    await _settle()
    assert work.started == ["u0", "u1", "u2"]
    for n in range(3):
        work.end(f"u{n}")
    await asyncio.gather(*tasks)


async def test_a_cancelled_update_frees_its_place_and_its_chat_goes_on() -> None:
    gate, work = UpdateGate(1), Work()
    busy = _submit(gate, work, "busy", NEW, "busy")
    await _settle()
    unwanted = work.update("never")
    cancelled = asyncio.create_task(gate.run("a", UNDER_WAY, unwanted))
    after = _submit(gate, work, "a", NEW, "a next")
    other = _submit(gate, work, "b", NEW, "b question")
    await _settle()
    cancelled.cancel()
    await _settle()
    assert cancelled.cancelled()
    assert inspect.getcoroutinestate(unwanted) == inspect.CORO_CLOSED  # closed, never run
    work.end("busy")
    await _settle()
    assert work.started == ["busy", "a next"]  # a's next update took the cancelled one's turn
    work.end("a next")
    work.end("b question")
    assert await asyncio.gather(busy, after, other) == ["busy", "a next", "b question"]
    assert gate.waiting == 0
    # every slot came back: two at once run now
    two = UpdateGate(2)
    again = [_submit(two, work, "x", NEW, "x"), _submit(two, work, "y", NEW, "y")]
    await _settle()
    assert work.started[-2:] == ["x", "y"]
    work.end("x")
    work.end("y")
    await asyncio.gather(*again)


async def test_a_running_update_cancelled_gives_its_slot_back() -> None:
    gate, work = UpdateGate(1), Work()
    running = _submit(gate, work, "a", NEW, "running")
    waiting = _submit(gate, work, "b", NEW, "waiting")
    await _settle()
    running.cancel()
    await _settle()
    assert work.started == ["running", "waiting"]
    work.end("waiting")
    assert await waiting == "waiting"


def test_buttons_and_files_are_work_under_way() -> None:
    bot = Bot("123:abc")
    chat = {"id": 7, "type": "private", "first_name": "Hằng"}
    person = {"id": 7, "is_bot": False, "first_name": "Hằng"}
    message = {"message_id": 1, "date": 0, "chat": chat, "from": person}

    def update(**content: object) -> Update:
        found = Update.de_json({"update_id": 1, **content}, bot)
        assert found is not None
        return found

    document = {"file_id": "F", "file_unique_id": "U", "file_name": "bc.pdf"}
    photo = [{"file_id": "P", "file_unique_id": "V", "width": 1, "height": 1}]
    button = {"id": "9", "from": person, "chat_instance": "7", "data": "x", "message": message}
    assert priority_of(update(message={**message, "document": document})) == UNDER_WAY
    assert priority_of(update(message={**message, "photo": photo})) == UNDER_WAY
    assert priority_of(update(callback_query=button)) == UNDER_WAY
    assert priority_of(update(message={**message, "text": "/tiendo"})) == NEW
    assert priority_of(update(message={**message, "text": "xong"})) == NEW


async def test_an_update_cancelled_as_its_turn_came_gives_the_turn_back() -> None:
    gate, work = UpdateGate(1), Work()
    waiting: list[asyncio.Task[str]] = []

    async def busy() -> str:
        await work.update("busy")
        # cancelled before it resumes, just after its turn comes (scheduled before that turn)
        asyncio.get_running_loop().call_soon(waiting[0].cancel)
        return "busy"

    first = asyncio.create_task(gate.run("busy", NEW, busy()))
    await _settle()
    waiting += [_submit(gate, work, "a", NEW, "unlucky"), _submit(gate, work, "b", NEW, "next")]
    await _settle()
    work.end("busy")
    await _settle()
    assert waiting[0].cancelled() and "unlucky" not in work.started
    assert work.started == ["busy", "next"]  # the turn went on to the next chat
    work.end("next")
    assert await asyncio.gather(first, waiting[1]) == ["busy", "next"]
    assert gate.waiting == 0
