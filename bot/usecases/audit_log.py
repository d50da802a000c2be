"""The audit log as chairs, administrators and operators read it."""

from __future__ import annotations

from bot.services.container import Services
from storage.audit import AuditEntry

__all__ = ["AuditEntry", "entries"]


async def entries(services: Services) -> list[AuditEntry]:
    """Every entry, oldest first: who did what, when, to whom."""
    return await services.audit.entries()
