"""/nhapbangdiem: the chair sends the province's official scoring table (DOCX, XLSX or text PDF);
the bot shows what it read, the flagged rows and the sums that do not add up; the chair applies
it (as a new version, every unit told, once units have self-scored) or cancels."""

from __future__ import annotations

from bot.domain.access import Access
from bot.domain.messages import Reply
from bot.domain.scoring_import import ImportedTable
from bot.engine.context import Context
from bot.engine.conversation import Flow, Step
from bot.engine.router import Router
from bot.i18n import N_
from bot.texts.scoring_preview import preview_text
from bot.usecases import scoring_import
from bot.usecases.scoring_import import Applied, NotApplied, NotConvertible
from handlers.sent_documents import carries_documents, read_sent

__all__ = ["scoring_import_router"]

scoring_import_router = Router("scoring_import")

NOT_APPLIED = {
    NotApplied.LOCKED: N_("The chair has locked the scores; they can no longer change."),
    NotApplied.SCORED: N_(
        "A unit sent its self-score meanwhile. Please send the table again to apply it as a "
        "new version."
    ),
    NotApplied.NO_YEAR: N_("There is no scoring for you in this cluster-year."),
}
NO_DOCUMENTS = N_(
    "This chat app cannot carry documents: send the scoring table on Telegram, "
    "or use “cumthidua scoring import”."
)
NOT_A_FILE = N_("Please send the scoring table as a file.")
NOT_APPLICABLE = N_("Not applicable as it is: please correct the document and send it again.")
NOT_READ = N_(
    "I could not find a scoring table (TT · Nội dung · Điểm chuẩn) in that file. Please send "
    "the province's scoring table."
)


@scoring_import_router.command(
    "nhapbangdiem",
    "importscoring",
    access=Access.MANAGER,
    description=N_("import the province's scoring table (chair)"),
)
async def import_scoring(ctx: Context) -> list[Reply]:
    if (refused := carries_documents(ctx, NO_DOCUMENTS)) is not None:
        return refused
    ctx.begin(SCORING_IMPORT_FLOW.name, "document")
    return await _document_prompt(ctx)


async def _document_prompt(ctx: Context) -> list[Reply]:
    return [
        ctx.reply(
            ctx._(
                "Send the province's scoring table (DOCX, XLSX or PDF) with its table of criteria."
            )
        )
    ]


async def _document(ctx: Context) -> list[Reply]:
    found = await read_sent(
        ctx, lambda data: scoring_import.read(ctx.services, data), NOT_A_FILE, NOT_READ
    )
    if isinstance(found, list):
        return found
    imported, source = found
    ctx.data["table"] = imported.as_data()
    ctx.data["source"] = source
    ctx.goto("confirm")
    return []


def _imported(ctx: Context) -> ImportedTable:
    return ImportedTable.from_data(ctx.data["table"])


async def _confirm_prompt(ctx: Context) -> list[Reply]:
    seen = await scoring_import.preview(ctx.services, _imported(ctx))
    lines = [preview_text(seen.imported, ctx._, ctx.language)]
    options = []
    if seen.reasons:
        lines.append(
            ctx._("⚠️ These rows cannot be scored as written: {rows}").format(
                rows="; ".join(seen.reasons)
            )
        )
    if not seen.applicable:
        lines.append(ctx._(NOT_APPLICABLE))
    elif seen.scored:
        lines.append(
            ctx._(
                "Units have already sent their self-scores: the table becomes a new version, "
                "every unit is told and scores again against it."
            )
        )
        options.append(ctx.step_option(ctx._("Apply as a new version"), "apply"))
    else:
        options.append(ctx.step_option(ctx._("Apply this table"), "apply"))
    options.append(ctx.step_option(ctx._("Cancel"), "cancel"))
    return [ctx.reply("\n".join(lines), options)]


async def _confirm(ctx: Context) -> list[Reply]:
    if ctx.choice == "cancel":
        ctx.finish()
        return [ctx.reply(ctx._("Cancelled. The current scoring table stays."))]
    if ctx.choice != "apply":
        return [ctx.reply(ctx._("Please choose one of the options above."))]
    done = await scoring_import.apply(
        ctx.services, _imported(ctx), ctx.actor, ctx.data["source"], confirmed=True
    )
    ctx.finish()
    if isinstance(done, NotConvertible):
        return [ctx.reply(ctx._(NOT_APPLICABLE))]
    if isinstance(done, NotApplied):
        return [ctx.reply(ctx._(NOT_APPLIED[done]))]
    return [ctx.reply(_applied(ctx, done)).as_result()]


def _applied(ctx: Context, done: Applied) -> str:
    text = ctx._("Scoring table version {version} applies to the cluster-year from now on.")
    if done.told:
        text += " " + ctx._("Every unit has been told.")
    return text.format(version=done.version)


SCORING_IMPORT_FLOW = scoring_import_router.flow(
    Flow(
        name="scoringimport",
        title=N_("scoring table import"),
        first="document",
        access=Access.MANAGER,
        offer_after_restart=True,
        steps={
            "document": Step(prompt=_document_prompt, handle=_document),
            "confirm": Step(prompt=_confirm_prompt, handle=_confirm),
        },
    )
)
