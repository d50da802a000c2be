"""python-telegram-bot's update processor for the bot: the updates PTB hands over wait their
turn at an :class:`~bot.channels.update_gate.UpdateGate` (work under way first, each chat's
updates started in the order they came)."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

from bot.channels.update_gate import NEW, UNDER_WAY, UpdateGate

__all__ = ["GatedUpdates", "priority_of"]

_PTB_BOUND = 1 << 16
"""PTB's own bound on updates at once, set out of the way: the gate bounds them."""


def priority_of(update: object) -> int:
    """A button pressed or a file sent is a step of work under way; anything else is new."""
    if not isinstance(update, Update):
        return NEW
    message = update.message
    if update.callback_query is not None or (
        message is not None and (message.document is not None or bool(message.photo))
    ):
        return UNDER_WAY
    return NEW


class GatedUpdates(BaseUpdateProcessor):
    def __init__(self, slots: int) -> None:
        super().__init__(_PTB_BOUND)
        self.gate = UpdateGate(slots)

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        chat = update.effective_chat if isinstance(update, Update) else None
        await self.gate.run(None if chat is None else chat.id, priority_of(update), coroutine)

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to free."""
