"""Conversations as named flows of named steps; their state lives in SQLite between messages.

Step names are stable strings ("lang:choose"), never integers, so stored rows survive refactors.
A step has a ``prompt`` (ask the question, also used to resume) and a ``handle`` (take the answer).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from bot.domain.access import Access

if TYPE_CHECKING:
    from bot.domain.messages import Reply
    from bot.engine.context import Context

__all__ = ["Flow", "Step", "StepFn"]

StepFn = Callable[["Context"], Awaitable[list["Reply"]]]


@dataclass(frozen=True, slots=True)
class Step:
    prompt: StepFn
    handle: StepFn


@dataclass(frozen=True)
class Flow:
    name: str
    title: str
    """A msgid naming the flow to the user ("report submission"), shown when offering a draft."""
    first: str
    steps: dict[str, Step] = field(default_factory=dict)
    access: Access = Access.ANYONE
    offer_after_restart: bool = False
    """Ask the user whether to continue a draft of this flow when the bot has restarted."""

    def step(self, name: str) -> Step:
        return self.steps[name]
