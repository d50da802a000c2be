"""``cumthidua document NAME --out FILE``: a DOCX draft from the cluster-year's current data
(report status, ranking), and its PDF beside it where LibreOffice is installed."""

from __future__ import annotations

import asyncio
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.app import open_services
from bot.clock import SystemClock
from bot.config import Settings
from bot.i18n import Translator
from bot.outputs.document_drafts import award_proposal, cluster_report, review_minutes
from bot.outputs.documents import (
    Document,
    DocumentError,
    office_to_pdf,
    pdf_available,
    render_document,
)
from bot.services.container import Services
from bot.services.ranking_data import load_ranking
from bot.services.report_status import status_matrix

__all__ = ["DOCUMENT_NAMES", "write_document"]

DOCUMENT_NAMES = ("bao-cao-6-thang", "bao-cao-nam", "bien-ban", "to-trinh")


async def _draft(services: Services, name: str) -> Document | None:
    year = services.cluster_year
    today = services.clock.now().astimezone(ZoneInfo(year.cluster.timezone)).date()
    ranking = await load_ranking(services)
    if name in ("bao-cao-6-thang", "bao-cao-nam"):
        latest = await services.submissions.latest()
        rows = status_matrix(year, today, latest, await services.submissions.marks())
        timezone = ZoneInfo(year.cluster.timezone)
        received = {
            key: (s.received_at.astimezone(timezone).date(), s.days_late)
            for key, s in latest.items()
        }
        return cluster_report(year, today, name == "bao-cao-6-thang", rows, received, ranking)
    if name == "bien-ban":
        return review_minutes(year, today, ranking)
    return award_proposal(year, today, ranking) if ranking is not None else None


async def write_document(
    settings: Settings, name: str, out: Path, year: int | None, _: Translator
) -> int:
    services = await open_services(settings, SystemClock())
    try:
        cluster = services.cluster_year.cluster
        if year is not None and year != cluster.year:
            print(_("This installation holds the year {year} only.").format(year=cluster.year))
            return 2
        document = await _draft(services, name)
        if document is None:
            print(_("There is no scoring for you in this cluster-year."))
            return 2
        docx = await asyncio.to_thread(render_document, document, settings.cluster_dir)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(docx)
        print(_("Document written to {out}").format(out=out))
        if pdf_available():
            pdf = out.with_suffix(".pdf")
            pdf.write_bytes(await office_to_pdf(docx))
            print(_("Document written to {out}").format(out=pdf))
        return 0
    except DocumentError as exc:
        print(_("The document could not be made: {reason}").format(reason=exc))
        return 2
    finally:
        await services.db.close()
