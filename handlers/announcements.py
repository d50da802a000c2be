"""Announcements: /lienket (link the cluster's group), /thongbao (compose, preview, send or
schedule), /lichthongbao (scheduled ones; cancel), read receipts, and /phongtrao (campaigns)."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.domain.access import Access
from bot.domain.formatting import local_datetime
from bot.domain.messages import Option, Reply
from bot.domain.strings import shorten
from bot.engine.context import Context
from bot.engine.conversation import Flow, Step
from bot.engine.router import Router
from bot.i18n import N_
from bot.usecases import announcing
from bot.usecases.announcing import AnnouncementDraft, Audience, FileAttached, Refusal

__all__ = ["announcements_router"]

announcements_router = Router("announcements")

_WHEN = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})\s+(\d{1,2})[:hg](\d{2})\s*$")


@announcements_router.command(
    "lienket",
    "linkgroup",
    access=Access.MANAGER,
    description=N_("link this group for announcements (chair)"),
)
async def link_group(ctx: Context) -> list[Reply]:
    inbound = ctx.inbound
    if inbound.is_private:
        return [ctx.reply(ctx._("Add me to the cluster's group chat and send /lienket there."))]
    if not ctx.capabilities.groups:
        return [
            ctx.reply(
                ctx._(
                    "Groups are not supported on this channel yet; announcements go to each "
                    "officer privately."
                )
            )
        ]
    assert ctx.actor is not None
    await announcing.link_group(
        ctx.services, ctx.actor, inbound.channel, inbound.chat_id, inbound.display_name
    )
    return [
        ctx.reply(
            ctx._(
                "This group is now an announcement group of the cluster. In privacy mode I only "
                "see commands (messages starting with “/”) here, which is all announcements need. "
                "Make me an administrator allowed to pin messages if announcements should be "
                "pinned."
            )
        )
    ]


@announcements_router.on_membership
async def group_membership(ctx: Context) -> list[Reply]:
    inbound = ctx.inbound
    if inbound.membership != "removed":
        return []
    await announcing.unlink_group(ctx.services, inbound.channel, inbound.chat_id, inbound.user_id)
    return []


# /thongbao -------------------------------------------------------------------------------------


@announcements_router.command(
    "thongbao",
    "announce",
    access=Access.MANAGER,
    description=N_("send an announcement (chair)"),
    private=True,
)
async def announce(ctx: Context) -> list[Reply]:
    ctx.begin(ANNOUNCE_FLOW.name, "text", {"text": "", "file": None, "units": []})
    return await _recent(ctx) + await _text_prompt(ctx)


async def _recent(ctx: Context) -> list[Reply]:
    recent = await announcing.receipts(ctx.services)
    if not recent:
        return []
    zone = ctx.services.cluster_year.cluster.timezone
    lines = [ctx._("Recent announcements and who acknowledged them:")]
    for item in recent:
        lines.append(
            ctx._("No. {id} ({when}): {count} unit(s) acknowledged{units}").format(
                id=item.id,
                when=local_datetime(item.send_at, zone),
                count=len(item.units),
                units=(": " + ", ".join(item.units)) if item.units else "",
            )
        )
    return [ctx.reply("\n".join(lines))]


async def _text_prompt(ctx: Context) -> list[Reply]:
    if ctx.data["text"]:
        text = ctx._("Draft:\n{text}\n\nKeep it, or type a new text.").format(text=ctx.data["text"])
        return [ctx.reply(text, [ctx.step_option(ctx._("Keep this text"), "keep")])]
    return [ctx.reply(ctx._("Type the announcement (you may attach one file or photo)."))]


async def _text(ctx: Context) -> list[Reply]:
    inbound, replies = ctx.inbound, []
    for incoming in inbound.files[:1]:
        taken = await announcing.attach(ctx.services, incoming.name, incoming.data)
        if isinstance(taken, Refusal):
            return [ctx.reply(taken.text(ctx._))]
        ctx.data["file"] = [taken.sha256, taken.name, taken.mime]
        replies.append(ctx.reply(ctx._("File {name} attached.").format(name=taken.name)))
    if inbound.text.strip():
        ctx.data["text"] = inbound.text.strip()[:3500]
    if ctx.choice == "keep" or (inbound.text.strip() and ctx.choice is None):
        ctx.goto("audience")
    elif not ctx.data["text"]:
        replies.append(ctx.reply(ctx._("Now type the text of the announcement.")))
    return replies


async def _audience_prompt(ctx: Context) -> list[Reply]:
    options = []
    if await announcing.has_groups(ctx.services):
        options.append(ctx.step_option(ctx._("The cluster's groups"), Audience.GROUPS))
    options += [
        ctx.step_option(ctx._("Every officer, privately"), Audience.OFFICERS),
        ctx.step_option(ctx._("Chosen units"), Audience.UNITS),
    ]
    return [ctx.reply(ctx._("Who should receive it?"), options)]


async def _audience(ctx: Context) -> list[Reply]:
    if ctx.choice not in tuple(Audience):
        return [ctx.reply(ctx._("Please choose one of the options above."))]
    ctx.data["audience"] = ctx.choice
    ctx.goto("units" if ctx.choice == Audience.UNITS else "when")
    return []


async def _units_prompt(ctx: Context) -> list[Reply]:
    chosen = set(ctx.data["units"])
    options = [
        ctx.step_option(("✓ " if u.code in chosen else "") + f"{u.full_name} ({u.code})", u.code)
        for u in ctx.services.cluster_year.cluster.units
    ]
    options.append(ctx.step_option(ctx._("Done"), "done"))
    return [ctx.reply(ctx._("Choose the units (press again to remove), then Done:"), options)]


async def _units(ctx: Context) -> list[Reply]:
    if ctx.choice == "done":
        if not ctx.data["units"]:
            return [ctx.reply(ctx._("Choose at least one unit."))]
        ctx.goto("when")
        return []
    if ctx.services.cluster_year.cluster.unit(ctx.choice or "") is None:
        return [ctx.reply(ctx._("Please choose one of the options above."))]
    units = ctx.data["units"]
    units.remove(ctx.choice) if ctx.choice in units else units.append(ctx.choice)
    ctx.prompt_again()
    return []


async def _when_prompt(ctx: Context) -> list[Reply]:
    text = ctx._("Send now, or type a date and time to schedule it (for example 20/3/2022 08:00).")
    return [ctx.reply(text, [ctx.step_option(ctx._("Send now"), "now")])]


async def _when(ctx: Context) -> list[Reply]:
    services = ctx.services
    now = services.clock.now()
    if ctx.choice == "now":
        ctx.data["send_at"] = now.isoformat()
        ctx.goto("preview")
        return []
    match = _WHEN.match(ctx.inbound.text)
    zone = ZoneInfo(services.cluster_year.cluster.timezone)
    try:
        if match is None:
            raise ValueError("not a date and time")
        day, month, year, hour, minute = (int(g) for g in match.groups())
        when = datetime(year, month, day, hour, minute, tzinfo=zone)
    except ValueError:
        return [
            ctx.reply(ctx._("I could not read that time. Please write it like 20/3/2022 08:00."))
        ]
    if when <= now:
        return [ctx.reply(ctx._("That time has passed. Please give a time in the future."))]
    ctx.data["send_at"] = when.isoformat()
    ctx.goto("preview")
    return []


async def _preview_prompt(ctx: Context) -> list[Reply]:
    data, cluster = ctx.data, ctx.services.cluster_year.cluster
    audience = {
        Audience.GROUPS: ctx._("the cluster's groups"),
        Audience.OFFICERS: ctx._("every officer, privately"),
        Audience.UNITS: ", ".join(data["units"]),
    }[data["audience"]]
    when = local_datetime(datetime.fromisoformat(data["send_at"]), cluster.timezone)
    summary = ctx._("To: {audience}. When: {when}. Officers get a “Received” button.").format(
        audience=audience, when=when
    )
    preview = ctx.reply(data["text"], [Option(ctx._("Received"), "noop:")])
    question = ctx.reply(
        summary,
        [
            ctx.step_option(ctx._("Send"), "send"),
            ctx.step_option(ctx._("Edit the text"), "edit"),
            ctx.step_option(ctx._("Cancel"), "cancel"),
        ],
    )
    return [ctx.reply(ctx._("Preview, exactly as recipients will see it:")), preview, question]


async def _preview(ctx: Context) -> list[Reply]:
    if ctx.choice == "edit":
        ctx.goto("text")
        return []
    if ctx.choice == "cancel":
        ctx.finish()
        return [ctx.reply(ctx._("Cancelled. Nothing was sent."))]
    if ctx.choice != "send":
        return [ctx.reply(ctx._("Please choose one of the options above."))]
    assert ctx.actor is not None
    data, inbound = ctx.data, ctx.inbound
    draft = AnnouncementDraft(
        text=data["text"],
        file=FileAttached(*data["file"]) if data["file"] else None,
        audience=Audience(data["audience"]),
        units=tuple(data["units"]),
        send_at=datetime.fromisoformat(data["send_at"]),
    )
    sent = await announcing.announce(
        ctx.services, ctx.actor, draft, ctx.all_capabilities, (inbound.channel, inbound.chat_id)
    )
    ctx.finish()
    replies = []
    if sent.fallback:
        replies.append(
            ctx.reply(ctx._("Zalo has no groups: officers on Zalo get the announcement privately."))
        )
    if sent.scheduled:
        when = local_datetime(draft.send_at, ctx.services.cluster_year.cluster.timezone)
        replies.append(
            ctx.reply(
                ctx._("Announcement No. {id} is scheduled for {when} ({total} recipients).").format(
                    id=sent.id, when=when, total=sent.recipients
                )
            )
        )
    return replies


ANNOUNCE_FLOW = announcements_router.flow(
    Flow(
        name="announce",
        title=N_("announcement"),
        first="text",
        access=Access.MANAGER,
        steps={
            "text": Step(prompt=_text_prompt, handle=_text),
            "audience": Step(prompt=_audience_prompt, handle=_audience),
            "units": Step(prompt=_units_prompt, handle=_units),
            "when": Step(prompt=_when_prompt, handle=_when),
            "preview": Step(prompt=_preview_prompt, handle=_preview),
        },
    )
)


@announcements_router.option("noop")
async def preview_button(ctx: Context) -> list[Reply]:
    return [ctx.reply(ctx._("This is only the preview."))]


@announcements_router.option("ack", access=Access.REGISTERED)
async def acknowledge(ctx: Context) -> list[Reply]:
    assert ctx.actor is not None
    number = int(ctx.choice) if (ctx.choice or "").isdigit() else 0
    if not await announcing.acknowledge(ctx.services, ctx.actor, number):
        return [ctx.reply(ctx._("That choice is no longer valid. Please use the latest message."))]
    return [ctx.reply(ctx._("Thank you, your receipt is recorded."))]


@announcements_router.command(
    "lichthongbao",
    "scheduled",
    access=Access.MANAGER,
    description=N_("scheduled announcements (chair)"),
)
async def scheduled(ctx: Context) -> list[Reply]:
    items = await announcing.scheduled(ctx.services)
    if not items:
        return [ctx.reply(ctx._("No announcement is scheduled."))]
    zone = ctx.services.cluster_year.cluster.timezone
    lines = [ctx._("Scheduled announcements:")]
    options = []
    for item in items:
        lines.append(f"{item.id}. {local_datetime(item.send_at, zone)} — {shorten(item.text, 80)}")
        options.append(Option(ctx._("Cancel No. {id}").format(id=item.id), f"anncancel:{item.id}"))
    return [ctx.reply("\n".join(lines), options)]


@announcements_router.option("anncancel", access=Access.MANAGER)
async def cancel_scheduled(ctx: Context) -> list[Reply]:
    assert ctx.actor is not None
    number = int(ctx.choice) if (ctx.choice or "").isdigit() else 0
    if not await announcing.cancel(ctx.services, ctx.actor, number):
        return [ctx.reply(ctx._("That announcement was already sent or cancelled."))]
    return [ctx.reply(ctx._("Announcement No. {id} is cancelled.").format(id=number))]


@announcements_router.command(
    "phongtrao",
    "campaigns",
    access=Access.REGISTERED,
    description=N_("the cluster's emulation campaigns"),
)
async def campaigns(ctx: Context) -> list[Reply]:
    items = ctx.services.cluster_year.campaigns
    if not items:
        return [ctx.reply(ctx._("No campaign is listed for this year."))]
    lines = [ctx._("Emulation campaigns of the cluster:")] + [
        f"{i}. {c.name}" for i, c in enumerate(items, start=1)
    ]
    options = []
    if ctx.actor is not None and ctx.actor.can_manage:
        options = [
            Option(ctx._("Launch: {name}").format(name=shorten(c.name, 40)), f"campaign:{c.code}")
            for c in items
        ]
    return [ctx.reply("\n".join(lines), options)]


@announcements_router.option("campaign", access=Access.MANAGER)
async def launch_campaign(ctx: Context) -> list[Reply]:
    services = ctx.services
    campaign = next((c for c in services.cluster_year.campaigns if c.code == ctx.choice), None)
    if campaign is None:
        return [ctx.reply(ctx._("That choice is no longer valid. Please use the latest message."))]
    cluster = services.cluster_year.cluster
    text = ctx._(
        "Responding to the emulation campaign “{name}”, {cluster} calls on every member unit to "
        "take part: draw up its own plan, carry it out, and report the results to the chair "
        "as the cluster's plan sets out."
    ).format(name=campaign.name, cluster=cluster.name)
    ctx.begin(ANNOUNCE_FLOW.name, "text", {"text": text, "file": None, "units": []})
    return await _text_prompt(ctx)
