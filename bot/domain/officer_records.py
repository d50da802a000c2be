"""Officers as records: an officer of a unit and the chat identities linked to them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.domain.access import Role

__all__ = ["Identity", "OfficerRecord"]


@dataclass(frozen=True, slots=True)
class Identity:
    channel: str
    user_id: str
    chat_id: str
    officer_id: int
    unreachable: bool = False


@dataclass(frozen=True, slots=True)
class OfficerRecord:
    id: int
    name: str
    unit_code: str | None
    role: Role
    is_primary: bool
    last_seen_at: datetime | None
    identities: tuple[Identity, ...]
