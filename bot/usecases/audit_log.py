"""The audit log as its readers see it: the operator on the command line every entry; on the
pages an administrator every entry, a chair what the cluster's officers did and what concerns
its units."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.domain.access import Actor, Role
from bot.services.container import Services
from storage.audit import AuditEntry

__all__ = ["AUDIT_ROWS", "AuditEntry", "AuditRow", "audit_rows", "entries"]


async def entries(services: Services) -> list[AuditEntry]:
    """Every entry, oldest first: who did what, when, to whom."""
    return await services.audit.entries()


AUDIT_ROWS = 200
"""The newest entries a page shows."""


@dataclass(frozen=True, slots=True)
class AuditRow:
    at: datetime
    who: str
    """The officer's name when they are one of the cluster's, else the recorded actor."""
    action: str
    subject: str
    detail: tuple[tuple[str, str], ...]


def _shown(value: Any) -> str:
    return ", ".join(map(str, value)) if isinstance(value, list | tuple) else str(value)


async def audit_rows(services: Services, actor: Actor) -> tuple[AuditRow, ...]:
    """The newest entries the actor may read (only managers may: the page's door checks)."""
    officers = {f"officer:{o.id}": o.name for o in await services.officers.active()}
    if actor.role is Role.ADMIN:
        entries = await services.audit.latest(AUDIT_ROWS)
    else:
        units = {u.code for u in services.cluster_year.cluster.units}
        entries = await services.audit.latest(AUDIT_ROWS, set(officers), units)
    return tuple(
        AuditRow(
            e.at,
            officers.get(e.actor, e.actor),
            e.action,
            e.subject,
            tuple((key, _shown(value)) for key, value in sorted(e.detail.items())),
        )
        for e in entries
    )
