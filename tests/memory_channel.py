"""An in-process channel: drives the real dispatcher without HTTP, for fast handler tests."""

from __future__ import annotations

from bot.domain.messages import ChatKind, Inbound, Reply
from bot.engine.dispatcher import Dispatcher

__all__ = ["MemoryChat"]


class MemoryChat:
    """One user in one chat; every call returns the bot's replies."""

    def __init__(
        self,
        dispatcher: Dispatcher,
        user_id: str,
        name: str = "Cán bộ",
        chat_id: str | None = None,
        channel: str = "memory",
        kind: ChatKind = ChatKind.PRIVATE,
    ) -> None:
        self.dispatcher = dispatcher
        self.user_id = user_id
        self.chat_id = chat_id or user_id
        self.name = name
        self.channel = channel
        self.kind = kind
        self.last: list[Reply] = []

    async def _send(self, **fields: object) -> list[Reply]:
        inbound = Inbound(
            channel=self.channel,
            chat_id=self.chat_id,
            user_id=self.user_id,
            display_name=self.name,
            chat_kind=self.kind,
            **fields,  # type: ignore[arg-type]
        )
        self.last = await self.dispatcher.handle(inbound)
        return self.last

    async def say(self, text: str) -> list[Reply]:
        if text.startswith("/"):
            head, *args = text.split()
            return await self._send(command=head[1:].lower(), args=tuple(args))
        return await self._send(text=text)

    async def choose(self, label: str) -> list[Reply]:
        """Press the option whose label contains ``label`` in the latest replies."""
        for reply in reversed(self.last):
            for option in reply.options:
                if label in option.label:
                    return await self._send(option_token=option.value)
        raise AssertionError(f"no option {label!r} in {[r.options for r in self.last]}")

    @property
    def text(self) -> str:
        """All texts of the latest replies, joined."""
        return "\n".join(reply.text for reply in self.last)
