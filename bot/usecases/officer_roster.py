"""The officers of a cluster-year as the chair manages them (/canbo): the list, removing an
officer, the unit's primary contact; an officer leaving (/roikhoi)."""

from __future__ import annotations

from bot.domain.access import Actor, Role
from bot.domain.officer_records import OfficerRecord
from bot.services.container import Services

__all__ = [
    "active_officers",
    "choosable",
    "leave",
    "make_primary",
    "officer",
    "remove",
    "unreachable",
]


async def active_officers(services: Services) -> list[OfficerRecord]:
    """Every registered officer this cluster-year sees (its units', observers, admins)."""
    return await services.officers.active()


async def choosable(services: Services, for_primary: bool) -> list[OfficerRecord]:
    """Officers a chair may remove, or (``for_primary``) make their unit's primary contact."""
    found = [o for o in await services.officers.active() if o.role is not Role.ADMIN]
    return [o for o in found if o.unit_code and not o.is_primary] if for_primary else found


async def officer(services: Services, officer_id: int) -> OfficerRecord | None:
    """A registered officer a chair may act on (administrators are not)."""
    found = await services.officers.get(officer_id)
    return None if found is None or found.role is Role.ADMIN else found


async def remove(services: Services, officer_id: int, by: Actor) -> bool:
    return await services.officers.remove(
        officer_id, f"officer:{by.officer_id}", services.clock.now(), "officer.removed"
    )


async def make_primary(services: Services, officer_id: int, by: Actor) -> bool:
    return await services.officers.make_primary(
        officer_id, f"officer:{by.officer_id}", services.clock.now()
    )


async def leave(services: Services, actor: Actor) -> None:
    """The officer unregisters; what they sent stays on record."""
    await services.officers.remove(
        actor.officer_id, f"officer:{actor.officer_id}", services.clock.now(), "officer.left"
    )


async def unreachable(services: Services) -> list[OfficerRecord]:
    """Officers who cannot be reached on some chat app (they blocked the bot there)."""
    return [o for o in await services.officers.active() if any(i.unreachable for i in o.identities)]
