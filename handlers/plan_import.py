"""/nhapkehoach: the chair sends the year's plan document; the bot shows what it read, the rows
it could not understand and the differences; the chair fixes rows, confirms or cancels."""

from __future__ import annotations

import re

from bot.domain.access import Access
from bot.domain.file_names import display_name
from bot.domain.file_types import UnsafeFile
from bot.domain.messages import Reply
from bot.domain.plan_documents import UnreadableDocument
from bot.domain.plan_import import ImportedPlan
from bot.domain.time_frames import parse_time_frame
from bot.engine.context import Context
from bot.engine.conversation import Flow, Step
from bot.engine.router import Router
from bot.i18n import N_
from bot.services.intake import UNSAFE
from bot.texts.plan_preview import preview_text
from bot.usecases import plan_import

__all__ = ["plan_import_router"]

plan_import_router = Router("plan_import")

_FIX = re.compile(r"^\s*(\d{1,3})\s*[:.\-]\s*(.+)$")


@plan_import_router.command(
    "nhapkehoach",
    "importplan",
    access=Access.MANAGER,
    description=N_("import the year's plan document (chair)"),
)
async def import_plan(ctx: Context) -> list[Reply]:
    if not ctx.capabilities.documents:
        return [
            ctx.reply(
                ctx._(
                    "This chat app cannot carry documents: send the plan on Telegram, "
                    "or use “cumthidua plan import”."
                )
            )
        ]
    ctx.begin(PLAN_FLOW.name, "document")
    return await _document_prompt(ctx)


async def _document_prompt(ctx: Context) -> list[Reply]:
    return [ctx.reply(ctx._("Send the plan document (DOCX, PDF or text) with its task table."))]


async def _document(ctx: Context) -> list[Reply]:
    if not ctx.inbound.files:
        return [ctx.reply(ctx._("Please send the plan as a file."))]
    incoming = ctx.inbound.files[0]
    try:
        imported = await plan_import.read(ctx.services, incoming.data)
    except UnsafeFile:
        return [ctx.reply(ctx._(UNSAFE).format(name=display_name(incoming.name)))]
    except UnreadableDocument:
        return [
            ctx.reply(
                ctx._(
                    "I could not find a task table (TT · Nội dung · … · Thời gian thực hiện) in "
                    "that file. Please send the plan document."
                )
            )
        ]
    ctx.data["plan"] = imported.as_json()
    ctx.data["source"] = display_name(incoming.name)
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
