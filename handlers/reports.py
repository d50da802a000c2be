"""/nopbaocao: a unit's officer sends report files to the chair, with a receipt.

Flow ``report``: pick (the deliverable) → files (one or more) → confirm ("Xong"), or straight
from the files to the chair (each file's answer offers "Gửi Trưởng Cụm"). A file sent outside
any conversation starts the flow with that file kept.
"""

from __future__ import annotations

from dataclasses import replace

from bot.domain.access import Access
from bot.domain.cluster import Deliverable
from bot.domain.file_types import ACCEPTED
from bot.domain.formatting import file_size, short_date
from bot.domain.messages import InboundFile, Option, Reply
from bot.domain.report_draft import ReportDraft
from bot.domain.report_status import owed_by
from bot.engine.context import Context
from bot.engine.conversation import Flow, Step
from bot.engine.router import Router
from bot.i18n import N_
from bot.texts.receipts import file_lines, receipt_text
from bot.texts.roles import Leader, title_of
from bot.usecases.one_time_links import upload_url
from bot.usecases.submit_report import (
    FileHeld,
    Refusal,
    new_draft,
    report_choices,
    submit,
    take_file,
)

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
    ctx.begin(ReportDraft.FLOW, "pick", new_draft().to_json())
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
    ctx.begin(ReportDraft.FLOW, "files", new_draft(ctx.choice).to_json())
    return await _files_prompt(ctx)


@reports_router.text(access=Access.OFFICER)
async def file_without_conversation(ctx: Context) -> list[Reply] | None:
    """A file sent out of the blue starts a submission, keeping the file."""
    if not (ctx.inbound.files or ctx.inbound.file_error) or _can_submit(ctx):
        return None
    if not ctx.inbound.is_private:
        return [ctx.reply(ctx._("To send a report, start with /nopbaocao and follow the steps."))]
    ctx.begin(ReportDraft.FLOW, "pick", new_draft().to_json())
    taken = await _take_files(ctx)
    [pick] = await _pick_prompt(ctx)  # in the same message: which report the file is for
    return [replace(pick, text="\n".join([*(r.text for r in taken), pick.text]))]


def _chair(ctx: Context) -> str:
    return title_of(ctx.services.cluster_year.cluster, Leader.CHAIR, ctx._)


def _draft(ctx: Context) -> ReportDraft:
    return ReportDraft.from_json(ctx.data)


def _keep(ctx: Context, draft: ReportDraft) -> None:
    """Write the changed draft into the conversation (saved after this message)."""
    ctx.data.clear()
    ctx.data.update(draft.to_json())
    ctx.touch()


# Step: pick -----------------------------------------------------------------------------------


async def _pick_prompt(ctx: Context) -> list[Reply]:
    assert ctx.actor is not None
    options = []
    for choice in await report_choices(ctx.services, ctx.actor):
        deliverable = choice.deliverable
        label = ctx._("{title} (due {due})").format(
            title=deliverable.title, due=short_date(deliverable.due)
        )
        if choice.done:
            label += " — " + ctx._("already sent: send a new version")
        options.append(ctx.step_option(label, deliverable.code))
    return [ctx.reply(ctx._("Which report are you sending?"), options)]


async def _pick(ctx: Context) -> list[Reply]:
    assert ctx.actor is not None
    codes = {c.deliverable.code for c in await report_choices(ctx.services, ctx.actor)}
    if ctx.choice not in codes:
        return [ctx.reply(ctx._("Please choose one of the reports above."))]
    _keep(ctx, replace(_draft(ctx), deliverable=ctx.choice))
    ctx.goto("files")
    return []


# Step: files ----------------------------------------------------------------------------------


async def _files_prompt(ctx: Context) -> list[Reply]:
    draft = _draft(ctx)
    deliverable = _deliverable(ctx, draft)
    count = len(draft.files)
    options = [ctx.step_option(ctx._("Done"), "done")]
    if count:
        text = ctx._(
            "{title}: {count} file(s) received. Send more, press Done to check them, or send "
            "them to the {chair} now."
        ).format(title=deliverable.title, count=count, chair=_chair(ctx))
        options.append(_send_option(ctx))
    else:
        kinds = ", ".join(k.extension.upper() for k in ACCEPTED)
        text = ctx._(
            "{title} (due {due}).\nSend the file(s) now ({kinds}), one or several; a caption or a "
            "message is kept as a note. Then press Done."
        ).format(title=deliverable.title, due=short_date(deliverable.due), kinds=kinds)
    if not ctx.capabilities.documents or draft.needs_link:
        url = await _upload_url(ctx, deliverable)
        text += "\n" + ctx._(
            "Documents cannot be sent in this chat app: upload them on this page instead (one "
            "time, within 24 hours): {url}\nPhotos of paper pages can be sent here."
        ).format(url=url)
    return [ctx.reply(text, options)]


async def _upload_url(ctx: Context, deliverable: Deliverable) -> str:
    actor, inbound = ctx.actor, ctx.inbound
    assert actor is not None
    return await upload_url(
        ctx.services, actor.officer_id, deliverable.code, inbound.channel, inbound.chat_id
    )


async def _files(ctx: Context) -> list[Reply]:
    if ctx.choice in ("done", "send"):
        if not _draft(ctx).files:
            return [ctx.reply(ctx._("No file received yet. Please send at least one file."))]
        if ctx.choice == "send":
            return await _send(ctx)
        ctx.goto("confirm")
        return []
    if ctx.inbound.files or ctx.inbound.file_error:
        return await _take_files(ctx)
    text = ctx.inbound.text.strip()
    if not text:
        return [ctx.reply(ctx._("Please send the file(s), or press Done."))]
    _keep(ctx, _draft(ctx).with_note(text))
    return [ctx.reply(ctx._("Note kept. Send the file(s), or press Done."))]


async def _take_files(ctx: Context) -> list[Reply]:
    """Take the files of this message; every answer offers "Done" while files are awaited, and
    sending them to the chair at once when there are some."""
    inbound, draft = ctx.inbound, _draft(ctx)
    if inbound.file_error:
        limit = f"{ctx.capabilities.max_download / 2**20:g}"
        if inbound.file_error == "too_big" and draft.deliverable is not None:
            url = await _upload_url(ctx, _deliverable(ctx, draft))
            texts = [ctx._(_TOO_BIG_WITH_LINK).format(limit=limit, url=url)]
        else:
            if inbound.file_error == "too_big":
                _keep(ctx, replace(draft, needs_link=True))
            texts = [ctx._(_FILE_ERRORS[inbound.file_error]).format(limit=limit)]
    else:
        texts = [await _take_file(ctx, incoming) for incoming in inbound.files]
    options = []
    if ctx.conversation is not None and ctx.conversation.step == "files":
        options.append(ctx.step_option(ctx._("Done"), "done"))
        if _draft(ctx).files:
            options.append(_send_option(ctx))
    return [ctx.reply(text, options) for text in texts]


async def _take_file(ctx: Context, incoming: InboundFile) -> str:
    taken = await take_file(
        ctx.services, _draft(ctx), incoming.name, incoming.data, ctx.inbound.text
    )
    if isinstance(taken, Refusal):
        return taken.text(ctx._)
    if isinstance(taken, FileHeld):
        return ctx._("{name} was already received; it is kept once.").format(name=taken.name)
    _keep(ctx, taken.draft)
    size = file_size(len(incoming.data), ctx.language)
    if ctx.conversation is None or ctx.conversation.step != "files":  # the report comes next
        return ctx._("Received {name} ({size}).").format(name=taken.file.name, size=size)
    return ctx._(
        "Received {name} ({size}). Send more, press Done to check them, or send them to the "
        "{chair} now."
    ).format(name=taken.file.name, size=size, chair=_chair(ctx))


# Step: confirm --------------------------------------------------------------------------------


async def _confirm_prompt(ctx: Context) -> list[Reply]:
    draft = _draft(ctx)
    lines = [ctx._("Please check before sending:"), _deliverable(ctx, draft).title]
    lines += file_lines(draft.files, ctx._, ctx.language, with_hash=False)
    if draft.note:
        lines.append(ctx._("Note: {note}").format(note=draft.note))
    options = [_send_option(ctx), ctx.step_option(ctx._("Add more files"), "more")]
    return [ctx.reply("\n".join(lines), options)]


def _send_option(ctx: Context) -> Option:
    return ctx.step_option(ctx._("Send to the {chair}").format(chair=_chair(ctx)), "send")


async def _confirm(ctx: Context) -> list[Reply]:
    if ctx.choice == "more":
        ctx.goto("files")
        return []
    if ctx.choice != "send":
        return [
            ctx.reply(
                ctx._("Please press “Send to the {chair}”, or /huy to cancel.").format(
                    chair=_chair(ctx)
                )
            )
        ]
    return await _send(ctx)


async def _send(ctx: Context) -> list[Reply]:
    """Submit the draft and end the conversation: the receipt, or why it was refused."""
    actor, inbound = ctx.actor, ctx.inbound
    assert actor is not None
    done = await submit(ctx.services, actor, inbound.channel, inbound.chat_id, _draft(ctx))
    ctx.finish()
    if isinstance(done, Refusal):
        return [ctx.reply(done.text(ctx._))]
    receipt = receipt_text(done.cluster, done.deliverable, done.submission, ctx._, ctx.language)
    return [ctx.reply(receipt).as_result()]


def _deliverable(ctx: Context, draft: ReportDraft) -> Deliverable:
    plan = ctx.services.cluster_year.plan
    return next(d for d in plan.deliverables if d.code == draft.deliverable)


REPORT_FLOW = reports_router.flow(
    Flow(
        name=ReportDraft.FLOW,
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
