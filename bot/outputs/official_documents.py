"""The official documents drafted from a cluster-year's data: report status, ranking, the
votes' outcomes (counts only) — for ``/vanban`` and ``cumthidua document``."""

from __future__ import annotations

import asyncio
from zoneinfo import ZoneInfo

from bot.domain.messages import Attachment
from bot.outputs.document_drafts import award_proposal, cluster_report, review_minutes
from bot.outputs.documents import Document, office_to_pdf, pdf_available, render_document
from bot.services.container import Services
from bot.services.ranking_data import load_ranking
from bot.services.report_status import status_matrix
from bot.services.voting import outcomes

__all__ = ["DOCUMENT_NAMES", "document_files", "draft"]

DOCUMENT_NAMES = ("bao-cao-6-thang", "bao-cao-nam", "bien-ban", "to-trinh")
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


async def draft(services: Services, name: str) -> Document | None:
    """The document ``name`` as today's data has it; None for a proposal without scoring."""
    year = services.cluster_year
    timezone = ZoneInfo(year.cluster.timezone)
    today = services.clock.now().astimezone(timezone).date()
    ranking = await load_ranking(services)
    if name in ("bao-cao-6-thang", "bao-cao-nam"):
        latest = await services.submissions.latest()
        rows = status_matrix(year, today, latest, await services.submissions.marks())
        received = {
            key: (s.received_at.astimezone(timezone).date(), s.days_late)
            for key, s in latest.items()
        }
        return cluster_report(year, today, name == "bao-cao-6-thang", rows, received, ranking)
    ballots = await outcomes(services)
    if name == "bien-ban":
        return review_minutes(year, today, ranking, ballots=ballots)
    return award_proposal(year, today, ranking, ballots) if ranking is not None else None


async def document_files(services: Services, document: Document, name: str) -> list[Attachment]:
    """The DOCX, and its PDF where LibreOffice is installed (both made off the event loop)."""
    docx = await asyncio.to_thread(render_document, document, services.settings.cluster_dir)
    stem = f"{name}-{services.year.year}"
    files = [Attachment(f"{stem}.docx", docx, DOCX)]
    if pdf_available():
        files.append(Attachment(f"{stem}.pdf", await office_to_pdf(docx), "application/pdf"))
    return files
