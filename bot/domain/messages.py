"""The neutral message types every channel translates to and from."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import StrEnum

__all__ = [
    "FULL_CAPABILITIES",
    "Attachment",
    "Capabilities",
    "ChatKind",
    "Inbound",
    "InboundFile",
    "Option",
    "Reply",
]


class ChatKind(StrEnum):
    PRIVATE = "private"
    GROUP = "group"


@dataclass(frozen=True, slots=True)
class InboundFile:
    """A file the user sent, downloaded at once; handlers validate it before storing it."""

    name: str
    data: bytes = field(repr=False)
    mime: str = ""


@dataclass(frozen=True, slots=True)
class Inbound:
    """One thing a user did, whatever the platform."""

    channel: str
    chat_id: str
    user_id: str
    display_name: str = ""
    chat_kind: ChatKind = ChatKind.PRIVATE
    text: str = ""
    command: str | None = None
    args: tuple[str, ...] = ()
    option_token: str | None = None
    files: tuple[InboundFile, ...] = ()
    unsupported: str | None = None
    """Set when the update carried content the bot cannot use (a sticker, a voice note...)."""
    file_error: str | None = None
    """Set when a sent file could not be taken (too big for the channel, download failed)."""
    membership: str | None = None
    """A change of the bot's membership: blocked, unblocked, added (to a group), removed."""
    message_id: str = ""
    delivery: str = ""
    """The key the platform's delivery is kept by until the event's transaction marks it
    handled (Zalo's); empty when the channel keeps none."""

    @property
    def is_private(self) -> bool:
        return self.chat_kind is ChatKind.PRIVATE


@dataclass(frozen=True, slots=True)
class Option:
    """A choice offered to the user: a label and the value the handler gets back."""

    label: str
    value: str


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file the bot sends: a PNG chart, an XLSX workbook, a stored report."""

    name: str
    data: bytes
    mime: str

    @property
    def is_image(self) -> bool:
        return self.mime.startswith("image/")


@dataclass(frozen=True, slots=True)
class Reply:
    """What a handler answers. ``chat_id``/``channel`` default to the inbound's chat."""

    text: str
    options: tuple[Option, ...] = ()
    attachment: Attachment | None = None
    numbered: bool = True
    """False beside a question answered with a number: options are then chosen by label only."""
    pin: bool = False
    """Pin the message where the channel allows it and the bot has the right (announcements)."""
    chat_id: str | None = None
    channel: str | None = None
    tokenised: bool = False
    """True once the options' values are opaque tokens (a reply deferred to the outbox)."""
    durable: bool = False
    """The reply carries a result (a receipt, a confirmation, a code): it must reach the user
    even when the process dies before sending it, so a copy is journaled in the outbox first."""
    journal: str | None = None
    """The outbox key of that copy, once journaled; settled when the direct send succeeds."""
    deferred_as: Reply | None = None
    """What the outbox keeps instead when this reply cannot be sent at once: a reply that shows
    a secret (a ballot's ticks) is never stored, its stand-in offers to show it again."""
    gathered: bool = False
    """A notice of one line (no options, no file) that the outbox may send in one message with
    the others of its chat: at most one such message a chat in each gathering interval (the
    chair's notices of submissions, which come in dozens on a deadline day)."""

    def as_result(self) -> Reply:
        """The same reply, marked as carrying a result (see ``durable``)."""
        return replace(self, durable=True)


@dataclass(frozen=True, slots=True)
class Capabilities:
    """What a channel can carry, as handlers need to know it (buttons and edits are the
    adapters' own business: options degrade in ``render``, edits go through ``Editable``)."""

    max_text: int
    documents: bool
    groups: bool
    max_download: int = 20 * 1024 * 1024


FULL_CAPABILITIES = Capabilities(max_text=4096, documents=True, groups=True)
"""Telegram's, and the in-memory test channel's."""
