"""/vanban: the chair picks an official document (the cluster's mid-year or year-end report, the
minutes of the review-and-vote meeting, the award proposal) and gets its DOCX draft, with the PDF
where LibreOffice is installed; on Zalo, which carries no files, the channel sends each as a
one-time download link."""

from __future__ import annotations

import logging

from bot.domain.access import Access
from bot.domain.messages import Option, Reply
from bot.engine.context import Context
from bot.engine.router import Router
from bot.i18n import N_
from bot.outputs.docx_render import DocumentError
from bot.outputs.official_documents import DOCUMENT_NAMES, document_files, draft

__all__ = ["documents_router"]

log = logging.getLogger(__name__)

documents_router = Router("documents")

LABELS = {
    "bao-cao-6-thang": N_("Mid-year report of the cluster"),
    "bao-cao-nam": N_("Year-end report of the cluster"),
    "bien-ban": N_("Minutes of the review-and-vote meeting"),
    "to-trinh": N_("Proposal for awards"),
}


@documents_router.command(
    "vanban",
    "documents",
    access=Access.MANAGER,
    description=N_("official documents drafted from the data: reports, minutes, proposal"),
)
async def documents(ctx: Context) -> list[Reply]:
    year = ctx.year_asked()
    if isinstance(year, Reply):
        return [year]
    options = [
        Option(ctx._(LABELS[name]), f"document:{year.year.id}:{name}") for name in DOCUMENT_NAMES
    ]
    text = ctx._("Which document of {year}? A Word draft comes back (and its PDF).").format(
        year=year.year.year
    )
    return [ctx.reply(text, options)]


@documents_router.option("document", access=Access.MANAGER)
async def document(ctx: Context) -> list[Reply]:
    year_id, _, name = (ctx.choice or "").partition(":")
    known = {y.id for y in ctx.services.years.of_cluster(ctx.services.year.cluster_id)}
    if not year_id.isdigit() or int(year_id) not in known or name not in DOCUMENT_NAMES:
        return [ctx.reply(ctx._("That choice is no longer valid. Please use the latest message."))]
    services = ctx.services.scoped(int(year_id))
    drafted = await draft(services, name)
    if drafted is None:
        return [ctx.reply(ctx._("There is no scoring table in this cluster-year."))]
    try:
        files = await document_files(services, drafted, name)
    except DocumentError as exc:
        log.warning("document %s could not be made: %s", name, exc)
        return [ctx.reply(ctx._("The document could not be made. Please tell the administrator."))]
    return [ctx.reply(ctx._(LABELS[name]) + f" — {file.name}", attachment=file) for file in files]
