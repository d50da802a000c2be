"""The official documents drafted from a cluster-year's data: report status, ranking, the
votes' outcomes (counts only) — for ``/vanban`` and ``cumthidua document``."""

from __future__ import annotations

import asyncio
from zoneinfo import ZoneInfo

from bot.domain.messages import Attachment
from bot.domain.pairing import Pair
from bot.domain.report_status import status_matrix
from bot.outputs.document_drafts import (
    Conference,
    award_proposal,
    cluster_report,
    review_minutes,
)
from bot.outputs.docx_render import Document, office_to_pdf, pdf_available, render_document
from bot.services.container import Services
from bot.services.ranking_data import load_ranking
from bot.usecases.voting import outcomes

__all__ = ["DOCUMENT_NAMES", "document_files", "draft"]

DOCUMENT_NAMES = ("bao-cao-6-thang", "bao-cao-nam", "bien-ban", "to-trinh")
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


async def draft(services: Services, name: str) -> Document | None:
    """The document ``name`` as today's data has it; None for a proposal without scoring."""
    year = services.cluster_year
    timezone = ZoneInfo(year.cluster.timezone)
    today = services.clock.now().astimezone(timezone).date()
    ranking = await load_ranking(services)
    ballots = await outcomes(services)
    conference = await _conference(services)
    if name in ("bao-cao-6-thang", "bao-cao-nam"):
        latest = await services.submissions.latest()
        rows = status_matrix(year, today, latest, await services.submissions.marks())
        received = {
            key: (s.received_at.astimezone(timezone).date(), s.days_late)
            for key, s in latest.items()
        }
        mid_year = name == "bao-cao-6-thang"
        inspected = [] if mid_year else await _inspections(services)
        return cluster_report(
            year, today, mid_year, rows, received, ranking, inspected, ballots, conference
        )
    if name == "bien-ban":
        return review_minutes(year, today, ranking, ballots, conference)
    if ranking is None:
        return None
    return award_proposal(year, today, ranking, ballots, conference)


async def _conference(services: Services) -> Conference:
    """The vote's span, its electors and who voted (never what), and the units' officers."""
    rounds = [r for r in await services.ballots.rounds() if r.closed_at is not None]
    voted: set[str] = set()
    for stored in rounds:
        voted |= await services.ballots.voters(stored.id)
    officers: dict[str, list[str]] = {}
    for officer in sorted(await services.officers.active(), key=lambda o: not o.is_primary):
        if officer.unit_code is not None:
            officers.setdefault(officer.unit_code, []).append(officer.name)
    return Conference(
        opened_at=min((r.opened_at for r in rounds), default=None),
        closed_at=max((r.closed_at for r in rounds if r.closed_at), default=None),
        electors=frozenset().union(*(r.ballot.electorate for r in rounds)),
        voted=frozenset(voted),
        officers={code: tuple(names) for code, names in officers.items()},
    )


async def _inspections(services: Services) -> list[tuple[Pair, str]]:
    """The year's cross-inspection pairs with what came of each (official Vietnamese)."""
    current = await services.inspections.current()
    if current is None:
        return []
    latest = await services.submissions.latest()
    answered = {a.unit_code for a in await services.inspections.answers(current.id)}
    found = []
    for pair in current.pairs:
        minutes = latest.get((current.deliverable, pair.inspector))
        result = f"Đã gửi biên bản (lần {minutes.version})" if minutes else "Chưa gửi biên bản"
        if pair.inspected in answered:
            result += "; đơn vị được kiểm tra đã giải trình"
        found.append((pair, result))
    return found


async def document_files(services: Services, document: Document, name: str) -> list[Attachment]:
    """The DOCX, and its PDF where LibreOffice is installed (both made off the event loop)."""
    docx = await asyncio.to_thread(render_document, document, services.settings.cluster_dir)
    stem = f"{name}-{services.year.year}"
    files = [Attachment(f"{stem}.docx", docx, DOCX)]
    if pdf_available():
        files.append(Attachment(f"{stem}.pdf", await office_to_pdf(docx), "application/pdf"))
    return files
