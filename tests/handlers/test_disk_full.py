"""A full disk: the officer is answered politely (the bot cannot save now, try again in a few
minutes), nothing of the event is half-written, and once there is room the same message works.

SQLite's ``max_page_count`` makes the database full: a write that needs a new page then fails
with the same ``database or disk is full`` (SQLITE_FULL) as a full disk."""

from __future__ import annotations

import sqlite3

from bot.engine.dispatcher import Dispatcher
from bot.services.container import Services
from storage.database import Database
from tests.memory_channel import MemoryChat

FILLER_SIZES = (2000, 500, 120, 30, 1)


async def fill_up(db: Database) -> int:
    """Cap the database at its current size and use up the room left in the conversations
    table's pages (rows of other chats), so the next conversation needs a page there is not."""
    pages = (await db.fetchone("PRAGMA page_count"))[0]
    await db.fetchone(f"PRAGMA max_page_count = {pages}")
    filled = 0
    for size in FILLER_SIZES:
        while True:
            try:
                await db.execute(
                    "INSERT INTO conversations (channel, chat_id, user_id, flow, step, data,"
                    " started_at, updated_at, expires_at) VALUES ('memory', ?, ?, 'x', 'x', ?,"
                    " '', '', '')",
                    (f"filler-{filled}", f"filler-{filled}", "x" * size),
                )
            except sqlite3.OperationalError as exc:
                assert "full" in str(exc)
                break
            filled += 1
    return pages


async def test_an_officer_writing_while_the_disk_is_full_is_answered_politely(
    dispatcher: Dispatcher, services: Services
) -> None:
    pages = await fill_up(services.db)
    chat = MemoryChat(dispatcher, "u1")
    await chat.say("/ngonngu")
    assert chat.text == (
        "Xin lỗi, hiện bot không lưu được dữ liệu, chưa có gì thay đổi. "
        "Anh/chị vui lòng thử lại sau ít phút."
    )
    assert chat.last[-1].options == ()
    assert await services.conversations.get("memory", "u1") is None  # nothing half-written
    assert await services.db.fetchone("SELECT 1 FROM option_tokens WHERE chat_id = 'u1'") is None
    assert dispatcher.handler_errors["memory"] == 1
    await services.db.fetchone(f"PRAGMA max_page_count = {pages + 1000}")  # room again
    await chat.say("/ngonngu")
    assert chat.text == "Chọn ngôn ngữ:"
    assert (await services.conversations.get("memory", "u1")) is not None
