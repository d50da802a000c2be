"""The chair's official documents of a cluster-year (the mid-year or year-end report, the minutes
of the review-and-vote meeting, the award proposal), drafted from the year's data as DOCX, with
the PDF where LibreOffice is installed."""

from __future__ import annotations

import logging
from enum import StrEnum

from bot.domain.access import Actor
from bot.domain.messages import Attachment
from bot.i18n import N_
from bot.outputs.docx_render import DocumentError
from bot.outputs.official_documents import DOCUMENT_NAMES, document_files, draft
from bot.services.container import Services

__all__ = ["DOCUMENT_LABELS", "DOCUMENT_NAMES", "DocumentRefused", "make_document"]

log = logging.getLogger(__name__)

DOCUMENT_LABELS = {
    "bao-cao-6-thang": N_("Mid-year report of the cluster"),
    "bao-cao-nam": N_("Year-end report of the cluster"),
    "bien-ban": N_("Minutes of the review-and-vote meeting"),
    "to-trinh": N_("Proposal for awards"),
}
"""What each document is called to people (msgids)."""


class DocumentRefused(StrEnum):
    """Why no document came; the value is the msgid of the answer."""

    GONE = N_("That choice is no longer valid. Please use the latest message.")
    NO_SCORING = N_("There is no scoring table in this cluster-year.")
    FAILED = N_("The document could not be made. Please tell the administrator.")


async def make_document(
    services: Services, actor: Actor, year_id: int, name: str
) -> list[Attachment] | DocumentRefused:
    """The files of document ``name`` of the cluster-year ``year_id`` (of the cluster
    ``services`` are bound to)."""
    known = {y.id for y in services.years.of_cluster(services.year.cluster_id)}
    if year_id not in known or name not in DOCUMENT_NAMES:
        return DocumentRefused.GONE
    year = services.scoped(year_id)
    drafted = await draft(year, name)
    if drafted is None:
        return DocumentRefused.NO_SCORING
    try:
        return await document_files(year, drafted, name)
    except DocumentError as exc:
        log.warning("document %s could not be made: %s", name, exc)
        return DocumentRefused.FAILED
