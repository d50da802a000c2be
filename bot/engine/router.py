"""Routes: commands, chosen options, conversation flows and free text, each with its access rule.

Every capability module under ``handlers/`` exports one :class:`Router`; ``bot.app`` includes
them all into one. First match wins.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from bot.domain.access import Access
from bot.engine.conversation import Flow

if TYPE_CHECKING:
    from bot.domain.messages import Reply
    from bot.engine.context import Context

__all__ = ["Handler", "Route", "Router", "TextHandler"]

Handler = Callable[["Context"], Awaitable[list["Reply"]]]
TextHandler = Callable[["Context"], Awaitable[list["Reply"] | None]]
"""A free-text handler returns None when the text is not for it."""


@dataclass(frozen=True, slots=True)
class Route:
    handler: Handler
    access: Access
    keeps_draft: bool = False
    """True for commands that may run while a conversation is open (help, who am I, cancel)."""
    private: bool = False
    """True for long flows (reports, scores, votes): started in a group, they move to the
    sender's private chat."""


@dataclass
class Router:
    name: str
    commands: dict[str, Route] = field(default_factory=dict)
    menu: list[tuple[str, str, Access]] = field(default_factory=list)
    """(command, description msgid, access) for the command menu and the help text."""
    options: dict[str, Route] = field(default_factory=dict)
    flows: dict[str, Flow] = field(default_factory=dict)
    texts: list[tuple[TextHandler, Access]] = field(default_factory=list)
    membership: list[Handler] = field(default_factory=list)
    """Handlers of membership changes (blocked, unblocked, added to or removed from a group)."""
    first_contact: list[Handler] = field(default_factory=list)
    """What a person is shown, after the answer, the first time they write to the bot."""

    def command(
        self,
        *names: str,
        access: Access = Access.ANYONE,
        keeps_draft: bool = False,
        description: str = "",
        private: bool = False,
    ) -> Callable[[Handler], Handler]:
        """Register a handler for ``/name`` and its aliases (Vietnamese first, then English)."""

        def register(handler: Handler) -> Handler:
            route = Route(handler, access, keeps_draft, private)
            for name in names:
                if name in self.commands:
                    raise ValueError(f"command /{name} registered twice")
                self.commands[name] = route
            if description:
                self.menu.append((names[0], description, access))
            return handler

        return register

    def option(self, prefix: str, access: Access = Access.ANYONE) -> Callable[[Handler], Handler]:
        """Register a handler for option values ``prefix:payload``; it gets ``ctx.choice``."""

        def register(handler: Handler) -> Handler:
            if prefix in self.options:
                raise ValueError(f"option prefix {prefix!r} registered twice")
            self.options[prefix] = Route(handler, access)
            return handler

        return register

    def flow(self, flow: Flow) -> Flow:
        if flow.name in self.flows:
            raise ValueError(f"flow {flow.name!r} registered twice")
        self.flows[flow.name] = flow
        return flow

    def text(self, access: Access = Access.ANYONE) -> Callable[[TextHandler], TextHandler]:
        def register(handler: TextHandler) -> TextHandler:
            self.texts.append((handler, access))
            return handler

        return register

    def on_membership(self, handler: Handler) -> Handler:
        self.membership.append(handler)
        return handler

    def on_first_contact(self, handler: Handler) -> Handler:
        self.first_contact.append(handler)
        return handler

    def include(self, other: Router) -> None:
        for name, route in other.commands.items():
            if name in self.commands:
                raise ValueError(f"command /{name} registered twice")
            self.commands[name] = route
        for prefix, route in other.options.items():
            if prefix in self.options:
                raise ValueError(f"option prefix {prefix!r} registered twice")
            self.options[prefix] = route
        for flow in other.flows.values():
            self.flow(flow)
        self.menu.extend(other.menu)
        self.texts.extend(other.texts)
        self.membership.extend(other.membership)
        self.first_contact.extend(other.first_contact)
