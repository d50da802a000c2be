"""/nhapkehoach: the chair sends the year's plan document; the bot shows what it read, the rows
it could not understand and the differences; the chair fixes rows, confirms or cancels."""

from __future__ import annotations

import re

from bot.domain.access import Access
from bot.domain.messages import Reply
from bot.domain.plan_import import ImportedPlan
from bot.domain.time_frames import parse_time_frame
from bot.engine.context import Context
from bot.engine.conversation import Flow, Step
from bot.engine.router import Router
from bot.i18n import N_
from bot.texts.plan_preview import preview_text
from bot.usecases import plan_import
from handlers.sent_documents import carries_documents, read_sent

__all__ = ["plan_import_router"]

plan_import_router = Router("plan_import")

NO_DOCUMENTS = N_(
    "This chat app cannot carry documents: send the plan on Telegram, "
    "or use “cumthidua plan import”."
)
NOT_A_FILE = N_("Please send the plan as a file.")
NOT_READ = N_(
    "I could not find a task table (TT · Nội dung · … · Thời gian thực hiện) in "
    "that file. Please send the plan document."
)
_FIX = re.compile(r"^\s*(\d{1,3})\s*[:.\-]\s*(.+)$")


@plan_import_router.command(
    "nhapkehoach",
    "importplan",
    access=Access.MANAGER,
    description=N_("import the year's plan document (chair)"),
)
async def import_plan(ctx: Context) -> list[Reply]:
    if (refused := carries_documents(ctx, NO_DOCUMENTS)) is not None:
        return refused
    ctx.begin(PLAN_FLOW.name, "document")
    return await _document_prompt(ctx)


async def _document_prompt(ctx: Context) -> list[Reply]:
    return [ctx.reply(ctx._("Send the plan document (DOCX, PDF or text) with its task table."))]


async def _document(ctx: Context) -> list[Reply]:
    found = await read_sent(
        ctx, lambda data: plan_import.read(ctx.services, data), NOT_A_FILE, NOT_READ
    )
    if isinstance(found, list):
        return found
    imported, source = found
    ctx.data["plan"] = imported.as_json()
    ctx.data["source"] = source
    ctx.goto("confirm")
    return []


def _imported(ctx: Context) -> ImportedPlan:
    return ImportedPlan.from_json(ctx.data["plan"])


async def _confirm_prompt(ctx: Context) -> list[Reply]:
    imported = _imported(ctx)
    options = [] if imported.flagged else [ctx.step_option(ctx._("Confirm this plan"), "confirm")]
    options += [
        ctx.step_option(ctx._("Fix a row's dates"), "fix"),
        ctx.step_option(ctx._("Cancel"), "cancel"),
    ]
    return [ctx.reply(preview_text(imported, ctx.services.cluster_year, ctx._), options)]


async def _confirm(ctx: Context) -> list[Reply]:
    if ctx.choice == "fix":
        ctx.goto("fix")
        return []
    if ctx.choice == "cancel":
        ctx.finish()
        return [ctx.reply(ctx._("Cancelled. The current plan stays."))]
    imported = _imported(ctx)
    if ctx.choice != "confirm" or imported.flagged:
        return [ctx.reply(ctx._("Please choose one of the options above."))]
    version = await plan_import.confirm(ctx.services, imported, ctx.actor, ctx.data["source"])
    ctx.finish()
    return [
        ctx.reply(
            ctx._("Plan version {version} is confirmed: reminders follow it from now on.").format(
                version=version
            )
        ).as_result()
    ]


async def _fix_prompt(ctx: Context) -> list[Reply]:
    return [
        ctx.reply(ctx._("Type the row number and its time frame, for example: 7: Tháng 01/2023"))
    ]


async def _fix(ctx: Context) -> list[Reply]:
    match = _FIX.match(ctx.inbound.text)
    imported = _imported(ctx)
    task = next((t for t in imported.tasks if match and t.number == int(match.group(1))), None)
    if match is None or task is None:
        return [
            ctx.reply(ctx._("Please write a row number of the plan, a colon and the time frame."))
        ]
    window = parse_time_frame(
        match.group(2), imported.year or ctx.services.cluster_year.cluster.year
    )
    if window is None:
        return [
            ctx.reply(
                ctx._(
                    "I could not understand “{frame}”. Try for example “Tháng 3/2022” or "
                    "“Trước ngày 01/7/2022”."
                ).format(frame=match.group(2))
            )
        ]
    task.frame = window.text
    task.set_window(window)
    ctx.data["plan"] = imported.as_json()
    ctx.goto("confirm")
    return []


PLAN_FLOW = plan_import_router.flow(
    Flow(
        name="planimport",
        title=N_("plan import"),
        first="document",
        access=Access.MANAGER,
        offer_after_restart=True,
        steps={
            "document": Step(prompt=_document_prompt, handle=_document),
            "confirm": Step(prompt=_confirm_prompt, handle=_confirm),
            "fix": Step(prompt=_fix_prompt, handle=_fix),
        },
    )
)
