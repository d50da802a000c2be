"""/vanban: the chair picks an official document (the cluster's mid-year or year-end report, the
minutes of the review-and-vote meeting, the award proposal) and gets its DOCX draft, with the PDF
where LibreOffice is installed; on Zalo, which carries no files, the channel sends each as a
one-time download link."""

from __future__ import annotations

from bot.domain.access import Access
from bot.domain.messages import Option, Reply
from bot.engine.context import Context
from bot.engine.router import Router
from bot.i18n import N_
from bot.usecases.year_documents import (
    DOCUMENT_LABELS,
    DOCUMENT_NAMES,
    DocumentRefused,
    make_document,
)

__all__ = ["documents_router"]

documents_router = Router("documents")


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
        Option(ctx._(DOCUMENT_LABELS[name]), f"document:{year.year.id}:{name}")
        for name in DOCUMENT_NAMES
    ]
    text = ctx._("Which document of {year}? A Word draft comes back (and its PDF).").format(
        year=year.year.year
    )
    return [ctx.reply(text, options)]


@documents_router.option("document", access=Access.MANAGER)
async def document(ctx: Context) -> list[Reply]:
    assert ctx.actor is not None
    year_id, _, name = (ctx.choice or "").partition(":")
    if not year_id.isdigit():
        return [ctx.reply(ctx._(DocumentRefused.GONE.value))]
    files = await make_document(ctx.services, ctx.actor, int(year_id), name)
    if isinstance(files, DocumentRefused):
        return [ctx.reply(ctx._(files.value))]
    return [
        ctx.reply(ctx._(DOCUMENT_LABELS[name]) + f" — {file.name}", attachment=file)
        for file in files
    ]
