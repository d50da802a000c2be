"""/nopbaocao: a unit's officer sends report files to the chair, with a receipt.

Flow ``report``: pick (the deliverable) → files (one or more, then "Xong") → confirm. A file
sent outside any conversation starts the flow with that file kept.
"""

from __future__ import annotations

import secrets
from typing import Any

from bot.domain.access import Access
from bot.domain.cluster import Deliverable
from bot.domain.file_types import ACCEPTED
from bot.domain.formatting import file_size, short_date
from bot.domain.messages import InboundFile, Reply
from bot.engine.context import Context
from bot.engine.conversation import Flow, Step
from bot.engine.router import Router
from bot.i18n import N_
from bot.services.intake import Refusal, accept_file, file_lines, receipt_text, submit
from bot.services.links import upload_url
from bot.services.report_status import Cell, cell, owed_by
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
_TOO_BIG_WITH_LINK = N_(
    "That file is larger than this chat app lets a bot receive ({limit} MB). Upload it here "
    "instead (one time, within 24 hours): {url}"
)


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
    "nopbaocao",
    "report",
    access=Access.OFFICER,
    description=N_("send a report to the chair"),
    private=True,
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
    if not ctx.inbound.is_private:
        return [ctx.reply(ctx._("To send a report, start with /nopbaocao and follow the steps."))]
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
    if not ctx.capabilities.documents or ctx.data.get("needs_link"):
        url = await _upload_url(ctx)
        text += "\n" + ctx._(
            "Documents cannot be sent in this chat app: upload them on this page instead (one "
            "time, within 24 hours): {url}\nPhotos of paper pages can be sent here."
        ).format(url=url)
    return [ctx.reply(text, [ctx.step_option(ctx._("Done"), "done")])]


async def _upload_url(ctx: Context) -> str:
    actor, inbound = ctx.actor, ctx.inbound
    assert actor is not None
    return await upload_url(
        ctx.services, actor.officer_id, ctx.data["deliverable"], inbound.channel, inbound.chat_id
    )


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
    """Take the files of this message; every answer offers "Done" while files are awaited."""
    inbound = ctx.inbound
    if inbound.file_error:
        limit = f"{ctx.capabilities.max_download / 2**20:g}"
        if inbound.file_error == "too_big" and "deliverable" in ctx.data:
            url = await _upload_url(ctx)
            texts = [ctx._(_TOO_BIG_WITH_LINK).format(limit=limit, url=url)]
        else:
            if inbound.file_error == "too_big":
                ctx.data["needs_link"] = True
            texts = [ctx._(_FILE_ERRORS[inbound.file_error]).format(limit=limit)]
    else:
        texts = [await _take_file(ctx, incoming) for incoming in inbound.files]
    in_files_step = ctx.conversation is not None and ctx.conversation.step == "files"
    done = [ctx.step_option(ctx._("Done"), "done")] if in_files_step else []
    return [ctx.reply(text, done) for text in texts]


async def _take_file(ctx: Context, incoming: InboundFile) -> str:
    taken = await accept_file(ctx.services, incoming.name, incoming.data, ctx.inbound.text)
    if isinstance(taken, Refusal):
        return taken.text(ctx._)
    if any(f["sha256"] == taken["sha256"] for f in ctx.data["files"]):
        return ctx._("{name} was already received; it is kept once.").format(name=taken["name"])
    ctx.data["files"].append(taken)
    ctx.touch()
    return ctx._("Received {name} ({size}). Send more, or press Done.").format(
        name=taken["name"], size=file_size(len(incoming.data), ctx.language)
    )


# Step: confirm --------------------------------------------------------------------------------


async def _confirm_prompt(ctx: Context) -> list[Reply]:
    deliverable = _deliverable(ctx)
    lines = [ctx._("Please check before sending:"), deliverable.title]
    files = [NewFile(**f) for f in ctx.data["files"]]
    lines += file_lines(files, ctx._, ctx.language, with_hash=False)
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
    actor = ctx.actor
    assert actor is not None
    deliverable = _deliverable(ctx)
    inbound = ctx.inbound
    submission = await submit(
        ctx.services,
        actor,
        inbound.channel,
        deliverable,
        ctx.data["files"],
        ctx.data["note"],
        draft_key=f"{inbound.channel}:{inbound.chat_id}:{ctx.data['key']}",
    )
    ctx.finish()
    cluster = ctx.services.cluster_year.cluster
    receipt = ctx.reply(receipt_text(cluster, deliverable, submission, ctx._, ctx.language))
    return [receipt.as_result()]


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
