"""What a handler is given: the inbound event, the services, the sender and the conversation."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from bot.domain.access import Access, Actor
from bot.domain.messages import FULL_CAPABILITIES, Attachment, Capabilities, Inbound, Option, Reply
from bot.i18n import Translator
from bot.services.container import Services
from storage.conversations import ConversationState
from storage.database import Writes

__all__ = ["DRAFT", "Context"]

DRAFT = "draft"
"""The prefix of the engine's own options about an unfinished draft (continue, discard)."""


@dataclass
class Context:
    inbound: Inbound
    services: Services
    language: str
    _: Translator
    actor: Actor | None = None
    conversation: ConversationState | None = None
    choice: str | None = None
    """The payload of the option the user chose, when they chose one."""
    capabilities: Capabilities = FULL_CAPABILITIES
    """What the sender's channel can carry (Zalo: no documents, no buttons)."""
    all_capabilities: dict[str, Capabilities] = field(default_factory=dict)
    """Every running channel's, by name (announcements choose per recipient)."""
    menu: list[tuple[str, str, Access]] = field(default_factory=list, repr=False)
    """(command, description msgid, access) of every command, for help texts."""
    conversation_changed: bool = field(default=False, repr=False)
    reprompt: bool = field(default=False, repr=False)
    writes: Writes = field(default_factory=Writes, repr=False)
    """What the event writes beside its conversation (a cast ballot): committed in the one
    transaction that keeps the event's state, its menus and its receipt's journal."""

    def reply(
        self,
        text: str,
        options: list[Option] | tuple[Option, ...] = (),
        attachment: Attachment | None = None,
    ) -> Reply:
        return Reply(text=text, options=tuple(options), attachment=attachment)

    @property
    def cluster_name(self) -> str:
        return self.services.cluster_year.cluster.name

    def year_asked(self) -> Services | Reply:
        """The services of the year named by the command's argument (``/tiendo 2022``) in the
        sender's cluster, the current year's without one, or the answer when there is none."""
        args = self.inbound.args
        if not args:
            return self.services
        years = self.services.years
        typed = args[0]
        number = int(typed) if typed.isascii() and typed.isdigit() else None
        found = years.find(self.services.year.cluster_id, number) if number else None
        if found is None:
            known = ", ".join(str(y.year) for y in years.of_cluster(self.services.year.cluster_id))
            return self.reply(
                self._("There is no year “{typed}” in {cluster}. Its years are: {years}.").format(
                    typed=typed[:20], cluster=self.cluster_name, years=known
                )
            )
        return self.services.scoped(found.id)

    def today(self) -> date:
        """Today in the cluster's time zone, by the injected clock."""
        timezone = ZoneInfo(self.services.cluster_year.cluster.timezone)
        return self.services.clock.now().astimezone(timezone).date()

    # Conversations -------------------------------------------------------------------------

    @property
    def data(self) -> dict[str, Any]:
        """The draft of the running conversation."""
        if self.conversation is None:
            raise RuntimeError("no conversation is running")
        return self.conversation.data

    def begin(self, flow: str, first_step: str, data: dict[str, Any] | None = None) -> None:
        self.conversation = ConversationState(flow=flow, step=first_step, data=data or {})
        self.conversation_changed = True

    def goto(self, step: str) -> None:
        if self.conversation is None:
            raise RuntimeError("no conversation is running")
        self.conversation.step = step
        self.conversation_changed = True

    def prompt_again(self) -> None:
        """Ask the current step's question again after this answer (the next item of a list)."""
        self.conversation_changed = True
        self.reprompt = True

    def touch(self) -> None:
        """Mark the draft as changed so it is written through."""
        self.conversation_changed = True

    def finish(self) -> None:
        self.conversation = None
        self.conversation_changed = True

    def resume_option(self, label: str) -> Option:
        """An option that shows the running conversation's current question again."""
        return Option(label, f"{DRAFT}:resume")

    def step_option(self, label: str, choice: str) -> Option:
        """An option that answers the conversation's current step (and only that step)."""
        if self.conversation is None:
            raise RuntimeError("no conversation is running")
        return Option(label, f"@{self.conversation.flow}.{self.conversation.step}:{choice}")
