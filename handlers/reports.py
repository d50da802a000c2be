"""/nopbaocao: a unit's officer sends report files to the chair, with a receipt.

Flow ``report``: pick (the deliverable) → files (one or more, then "Xong") → confirm. A file
sent outside any conversation starts the flow with that file kept.
"""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

from bot.access import Access
from bot.cluster import Deliverable
from bot.context import Context
from bot.conversation import Flow, Step
from bot.file_types import ACCEPTED, page_count, sniff
from bot.formatting import file_size, local_datetime, short_date
from bot.i18n import N_, Translator
from bot.messages import InboundFile, Reply
from bot.notices import notify_managers
from bot.report_status import Cell, cell, days_late, owed_by
from bot.roles_text import unit_label
from bot.router import Router
from storage.submissions import NewFile

__all__ = ["REPORT_FLOW", "reports_router"]

reports_router = Router("reports")

_FILE_ERRORS = {
    "too_big": N_(
        "That file is larger than this chat app lets a bot receive ({limit} MB). Please compress "
        "it, or split it into parts and send them one by one."
    ),
    "download_failed": N_("I could not download that file. Please send it again."),
}


async def _deliverables(ctx: Context) -> list[tuple[Deliverable, Cell]]:
    """The unit's deliverables with their state, open ones first, nearest due first."""
    services, actor = ctx.services, ctx.actor
    assert actor is not None and actor.unit_code is not None
    year = services.cluster_year
    latest = await services.submissions.latest()
    marks = await services.submissions.marks()
    today = ctx.today()
    states = [
        (
            d,
            cell(
                d.due,
                today,
                latest.get((d.code, actor.unit_code)),
                marks.get((d.code, actor.unit_code)),
            ),
        )
        for d in owed_by(year, actor.unit_code)
    ]
    return sorted(states, key=lambda pair: (pair[1].done, pair[0].due))


def _can_submit(ctx: Context) -> list[Reply]:
    actor = ctx.actor
    if actor is None or actor.unit_code is None:
        return [ctx.reply(ctx._("Only a unit's officer can send reports."))]
    if not owed_by(ctx.services.cluster_year, actor.unit_code):
        return [ctx.reply(ctx._("Your unit has no reports to send in this plan."))]
    return []


@reports_router.command(
    "nopbaocao", "report", access=Access.OFFICER, description=N_("send a report to the chair")
)
async def start_report(ctx: Context) -> list[Reply]:
    refused = _can_submit(ctx)
    if refused:
        return refused
    ctx.begin(REPORT_FLOW.name, "pick", _new_draft())
    return await _pick_prompt(ctx)


@reports_router.option("report", access=Access.OFFICER)
async def start_from_reminder(ctx: Context) -> list[Reply]:
    refused = _can_submit(ctx)
    if refused:
        return refused
    if ctx.conversation is not None:
        return [ctx.reply(ctx._("Please finish or cancel (/huy) what you are doing first."))]
    assert ctx.actor is not None and ctx.actor.unit_code is not None
    codes = {d.code for d in owed_by(ctx.services.cluster_year, ctx.actor.unit_code)}
    if ctx.choice not in codes:
        return [ctx.reply(ctx._("That choice is no longer valid. Please use the latest message."))]
    ctx.begin(REPORT_FLOW.name, "files", _new_draft() | {"deliverable": ctx.choice})
    return await _files_prompt(ctx)


@reports_router.text(access=Access.OFFICER)
async def file_without_conversation(ctx: Context) -> list[Reply] | None:
    """A file sent out of the blue starts a submission, keeping the file."""
    if not (ctx.inbound.files or ctx.inbound.file_error) or _can_submit(ctx):
        return None
    ctx.begin(REPORT_FLOW.name, "pick", _new_draft())
    replies = await _take_files(ctx)
    return replies + await _pick_prompt(ctx)


def _new_draft() -> dict[str, Any]:
    return {"files": [], "note": "", "key": secrets.token_hex(8)}


# Step: pick -----------------------------------------------------------------------------------


async def _pick_prompt(ctx: Context) -> list[Reply]:
    options = []
    for deliverable, state in await _deliverables(ctx):
        label = ctx._("{title} (due {due})").format(
            title=deliverable.title, due=short_date(deliverable.due)
        )
        if state.done:
            label += " — " + ctx._("already sent: send a new version")
        options.append(ctx.step_option(label, deliverable.code))
    return [ctx.reply(ctx._("Which report are you sending?"), options)]


async def _pick(ctx: Context) -> list[Reply]:
    codes = {d.code for d, _state in await _deliverables(ctx)}
    if ctx.choice not in codes:
        return [ctx.reply(ctx._("Please choose one of the reports above."))]
    ctx.data["deliverable"] = ctx.choice
    ctx.goto("files")
    return []


# Step: files ----------------------------------------------------------------------------------


async def _files_prompt(ctx: Context) -> list[Reply]:
    deliverable = _deliverable(ctx)
    count = len(ctx.data["files"])
    if count:
        text = ctx._("{title}: {count} file(s) received. Send more, or press Done.").format(
            title=deliverable.title, count=count
        )
    else:
        kinds = ", ".join(k.extension.upper() for k in ACCEPTED)
        text = ctx._(
            "{title} (due {due}).\nSend the file(s) now ({kinds}), one or several; a caption or a "
            "message is kept as a note. Then press Done."
        ).format(title=deliverable.title, due=short_date(deliverable.due), kinds=kinds)
    return [ctx.reply(text, [ctx.step_option(ctx._("Done"), "done")])]


async def _files(ctx: Context) -> list[Reply]:
    if ctx.choice == "done":
        if not ctx.data["files"]:
            return [ctx.reply(ctx._("No file received yet. Please send at least one file."))]
        ctx.goto("confirm")
        return []
    if ctx.inbound.files or ctx.inbound.file_error:
        return await _take_files(ctx)
    text = ctx.inbound.text.strip()
    if not text:
        return [ctx.reply(ctx._("Please send the file(s), or press Done."))]
    ctx.data["note"] = "\n".join(filter(None, [ctx.data["note"], text]))[:2000]
    return [ctx.reply(ctx._("Note kept. Send the file(s), or press Done."))]


async def _take_files(ctx: Context) -> list[Reply]:
    inbound, services = ctx.inbound, ctx.services
    if inbound.file_error:
        limit = services.settings.max_file_mb if inbound.file_error != "too_big" else 20
        return [ctx.reply(ctx._(_FILE_ERRORS[inbound.file_error]).format(limit=f"{limit:g}"))]
    replies = []
    for incoming in inbound.files:
        replies.append(await _take_file(ctx, incoming))
    return replies


async def _take_file(ctx: Context, incoming: InboundFile) -> Reply:
    services = ctx.services
    name = incoming.name
    if not incoming.data:
        return ctx.reply(
            ctx._("The file {name} is empty. Please check it and send it again.").format(name=name)
        )
    limit = services.settings.max_file_mb
    if len(incoming.data) > limit * 1024 * 1024:
        return ctx.reply(
            ctx._("The file {name} is larger than {limit} MB. Please compress or split it.").format(
                name=name, limit=f"{limit:g}"
            )
        )
    kind = sniff(incoming.data)
    if kind is None:
        return ctx.reply(
            ctx._(
                "The file {name} is not a document I accept, whatever its name says. Please send "
                "DOCX, DOC, PDF, XLSX, XLS, ODT, ODS, JPG or PNG."
            ).format(name=name)
        )
    sha = await services.files.put(incoming.data, kind.mime, services.clock.now())
    if any(f["sha256"] == sha for f in ctx.data["files"]):
        return ctx.reply(ctx._("{name} was already received; it is kept once.").format(name=name))
    ctx.data["files"].append(
        {
            "sha256": sha,
            "name": name,
            "size": len(incoming.data),
            "kind": kind.extension,
            "pages": page_count(incoming.data, kind),
            "caption": ctx.inbound.text[:1000],
        }
    )
    ctx.touch()
    return ctx.reply(
        ctx._("Received {name} ({size}). Send more, or press Done.").format(
            name=name, size=file_size(len(incoming.data), ctx.language)
        ),
        [ctx.step_option(ctx._("Done"), "done")]
        if ctx.conversation and ctx.conversation.step == "files"
        else [],
    )


# Step: confirm --------------------------------------------------------------------------------


def _file_lines(
    files: list[dict[str, Any]], _: Translator, language: str, with_hash: bool
) -> list[str]:
    lines = []
    for i, f in enumerate(files, start=1):
        parts = [file_size(f["size"], language)]
        if f.get("pages"):
            parts.append(_("{pages} page(s)").format(pages=f["pages"]))
        if with_hash:
            parts.append(f"SHA-256 {f['sha256'][:8]}")
        lines.append(f"{i}. {f['name']} — " + ", ".join(parts))
    return lines


async def _confirm_prompt(ctx: Context) -> list[Reply]:
    deliverable = _deliverable(ctx)
    lines = [ctx._("Please check before sending:"), deliverable.title]
    lines += _file_lines(ctx.data["files"], ctx._, ctx.language, with_hash=False)
    if ctx.data["note"]:
        lines.append(ctx._("Note: {note}").format(note=ctx.data["note"]))
    options = [
        ctx.step_option(ctx._("Send to the chair"), "send"),
        ctx.step_option(ctx._("Add more files"), "more"),
    ]
    return [ctx.reply("\n".join(lines), options)]


async def _confirm(ctx: Context) -> list[Reply]:
    if ctx.choice == "more":
        ctx.goto("files")
        return []
    if ctx.choice != "send":
        return [ctx.reply(ctx._("Please press “Send to the chair”, or /huy to cancel."))]
    services, actor = ctx.services, ctx.actor
    assert actor is not None and actor.unit_code is not None
    deliverable = _deliverable(ctx)
    cluster = services.cluster_year.cluster
    now = services.clock.now()
    late = days_late(now, deliverable.due, cluster.timezone)
    files = [NewFile(**f) for f in ctx.data["files"]]
    submission_id = await services.submissions.create(
        draft_key=f"{ctx.inbound.channel}:{ctx.inbound.chat_id}:{ctx.data['key']}",
        deliverable=deliverable.code,
        unit_code=actor.unit_code,
        officer_id=actor.officer_id,
        channel=ctx.inbound.channel,
        received_at=now,
        due=deliverable.due,
        days_late=late,
        note=ctx.data["note"],
        files=files,
    )
    [submission] = [
        s
        for s in await services.submissions.history(deliverable.code, actor.unit_code)
        if s.id == submission_id
    ]
    draft_files = ctx.data["files"]
    ctx.finish()
    await _tell_chair(ctx, deliverable, submission.version, len(files), late)
    return [
        ctx.reply(
            _receipt(
                ctx, deliverable, submission.version, draft_files, submission.received_at, late
            )
        )
    ]


def _receipt(
    ctx: Context,
    deliverable: Deliverable,
    version: int,
    files: list[dict[str, Any]],
    received: datetime,
    late: int,
) -> str:
    actor = ctx.actor
    assert actor is not None
    cluster = ctx.services.cluster_year.cluster
    timing = (
        ctx._("on time (due {due})") if late == 0 else ctx._("{days} day(s) late (due {due})")
    ).format(days=late, due=short_date(deliverable.due))
    lines = [
        ctx._("RECEIPT"),
        ctx._("Report: {title}").format(title=deliverable.title),
        ctx._("Unit: {unit}").format(unit=unit_label(cluster, actor.unit_code, ctx._)),
        ctx._("Sent by: {name}").format(name=actor.name),
        ctx._("Received: {when}").format(when=local_datetime(received, cluster.timezone)),
        ctx._("Version: {version}").format(version=version),
        ctx._("Files:"),
        *_file_lines(files, ctx._, ctx.language, with_hash=True),
        ctx._("Status: {timing}").format(timing=timing),
    ]
    return "\n".join(lines)


async def _tell_chair(
    ctx: Context, deliverable: Deliverable, version: int, count: int, late: int
) -> None:
    actor = ctx.actor
    assert actor is not None
    cluster = ctx.services.cluster_year.cluster

    def build(_: Translator) -> Reply:
        timing = _("on time") if late == 0 else _("{days} day(s) late").format(days=late)
        return Reply(
            _("📥 {unit} sent {title} (version {version}, {count} file(s)): {timing}.").format(
                unit=unit_label(cluster, actor.unit_code, _),
                title=deliverable.title,
                version=version,
                count=count,
                timing=timing,
            )
        )

    key = f"submitted:{deliverable.code}:{actor.unit_code}:{version}"
    await notify_managers(ctx.services, key, build, except_officer=actor.officer_id)


def _deliverable(ctx: Context) -> Deliverable:
    code = ctx.data["deliverable"]
    return next(d for d in ctx.services.cluster_year.plan.deliverables if d.code == code)


REPORT_FLOW = reports_router.flow(
    Flow(
        name="report",
        title=N_("report submission"),
        first="pick",
        access=Access.OFFICER,
        offer_after_restart=True,
        steps={
            "pick": Step(prompt=_pick_prompt, handle=_pick),
            "files": Step(prompt=_files_prompt, handle=_files),
            "confirm": Step(prompt=_confirm_prompt, handle=_confirm),
        },
    )
)
