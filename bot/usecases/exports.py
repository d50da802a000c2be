"""What an operator exports of a cluster-year: the latest file of every report, the pact's
signatures and the cross-inspection round, as typed lines a door writes out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.domain.cluster import Unit
from bot.domain.pairing import Pair
from bot.services.container import Services
from storage.pacts import Signature
from storage.submissions import Submission

__all__ = [
    "InspectionLine",
    "PactLine",
    "Signature",
    "Submission",
    "file_bytes",
    "inspection_lines",
    "latest_reports",
    "pact_lines",
]


@dataclass(frozen=True, slots=True)
class PactLine:
    unit: Unit
    signature: Signature | None


@dataclass(frozen=True, slots=True)
class InspectionLine:
    pair: Pair
    due: date
    minutes_version: int | None
    answers: tuple[str, ...]
    """What the inspected unit answered, oldest first."""


async def latest_reports(services: Services) -> list[Submission]:
    """The latest version of every report of the year, by deliverable and unit."""
    latest = await services.submissions.latest()
    return [latest[key] for key in sorted(latest)]


def file_bytes(services: Services, sha256: str) -> bytes:
    return services.files.read(sha256)


async def pact_lines(services: Services) -> list[PactLine] | None:
    """Each member unit and its signature of the year's pact; None when there is no pact."""
    pact = await services.pacts.current()
    if pact is None:
        return None
    signed = await services.pacts.signatures(pact.id)
    members = services.cluster_year.cluster.members
    return [PactLine(unit, signed.get(unit.code)) for unit in members]


async def inspection_lines(services: Services) -> list[InspectionLine] | None:
    """Each pair of the year's cross-inspection round with its minutes' latest version and the
    inspected unit's answers; None when there is no round."""
    current = await services.inspections.current()
    if current is None:
        return None
    latest = await services.submissions.latest()
    answers = await services.inspections.answers(current.id)
    lines = []
    for pair in current.pairs:
        minutes = latest.get((current.deliverable, pair.inspector))
        said = tuple(a.text for a in answers if a.unit_code == pair.inspected)
        lines.append(InspectionLine(pair, current.due, minutes.version if minutes else None, said))
    return lines
