"""The first steps of a chat flow in which the chair sends a document to be read (the year's
plan, the province's scoring table): the chat app must carry documents, and the file sent is
read in the capped worker by the use case — or the sender is told politely why not."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from bot.domain.file_names import display_name
from bot.domain.file_types import UnsafeFile
from bot.domain.messages import Reply
from bot.domain.plan_documents import UnreadableDocument
from bot.engine.context import Context
from bot.services.intake import UNSAFE

__all__ = ["carries_documents", "read_sent"]

Read = TypeVar("Read")


def carries_documents(ctx: Context, otherwise: str) -> list[Reply] | None:
    """None when the chat app carries documents, else the answer ``otherwise`` (a msgid)."""
    return None if ctx.capabilities.documents else [ctx.reply(ctx._(otherwise))]


async def read_sent(
    ctx: Context, read: Callable[[bytes], Awaitable[Read]], not_a_file: str, not_read: str
) -> tuple[Read, str] | list[Reply]:
    """What ``read`` found in the file sent, with the file's name as shown; or the answer:
    ``not_a_file`` (no file came), the unsafe-file notice, or ``not_read`` (msgids)."""
    if not ctx.inbound.files:
        return [ctx.reply(ctx._(not_a_file))]
    incoming = ctx.inbound.files[0]
    try:
        found = await read(incoming.data)
    except UnsafeFile:
        return [ctx.reply(ctx._(UNSAFE).format(name=display_name(incoming.name)))]
    except UnreadableDocument:
        return [ctx.reply(ctx._(not_read))]
    return found, display_name(incoming.name)
