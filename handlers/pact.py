"""/giaouoc: the emulation pact (ký kết giao ước thi đua) that opens the year.

The chair of the year sends the pact — a text and/or a document — to every member unit; each
unit's officer reads it and confirms for the unit ("Đồng ý ký kết"), on Telegram or Zalo; the
chair sees who has signed and who has not; the unsigned get the reminder ladder; every
confirmation is audited with officer and time (see ``bot.usecases.pact``).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from bot.domain.access import Access, Role
from bot.domain.formatting import local_datetime, short_date
from bot.domain.messages import Reply
from bot.domain.strings import row_id
from bot.engine.context import Context
from bot.engine.conversation import Flow, Step
from bot.engine.router import Router
from bot.i18n import N_
from bot.texts.roles import unit_label
from bot.usecases.pact import (
    PactDocument,
    PactRefusal,
    Refusal,
    Signature,
    pact_reply,
    pact_status,
    send_pact,
    sign_pact,
    signing_due,
    take_document,
)

__all__ = ["PACT_FLOW", "pact_router"]

pact_router = Router("pact")


@pact_router.command(
    "giaouoc",
    "pact",
    access=Access.REGISTERED,
    keeps_draft=True,
    description=N_("the year's emulation pact: send it, sign it, who signed"),
)
async def pact(ctx: Context) -> list[Reply]:
    actor, services = ctx.actor, ctx.services
    assert actor is not None
    status = await pact_status(services)
    if status is None:
        if actor.can_manage and not services.read_only:
            if ctx.conversation is not None:
                return [
                    ctx.reply(ctx._("Please finish or cancel (/huy) what you are doing first."))
                ]
            ctx.begin(PACT_FLOW.name, "text", {"text": "", "file": None})
            return await _text_prompt(ctx)
        return [
            ctx.reply(
                ctx._("The pact of {year} has not been sent yet.").format(year=services.year.year)
            )
        ]
    signed = status.signatures
    if actor.role is Role.MEMBER and actor.unit_code is not None:
        own = signed.get(actor.unit_code)
        if own is None:
            return [pact_reply(services, status.pact, ctx._)]
        return [
            ctx.reply(
                ctx._("{unit} signed the pact of {year} ({name}, {when}).").format(
                    unit=unit_label(services.cluster_year.cluster, actor.unit_code, ctx._),
                    year=services.year.year,
                    name=own.officer_name,
                    when=local_datetime(own.at, services.cluster_year.cluster.timezone),
                )
            )
        ]
    return [_status(ctx, status.pact.due, signed)]


def _status(ctx: Context, due: date, signed: Mapping[str, Signature]) -> Reply:
    services = ctx.services
    cluster = services.cluster_year.cluster
    lines = [
        ctx._("Pact of {year}: {signed}/{total} member units signed (by {due}).").format(
            year=services.year.year,
            signed=len(signed),
            total=len(cluster.members),
            due=short_date(due),
        )
    ]
    for unit in cluster.members:
        signature = signed.get(unit.code)
        if signature is None:
            label = unit_label(cluster, unit.code, ctx._)
            lines.append("⏳ " + ctx._("{unit}: not yet").format(unit=label))
        else:
            lines.append(
                "✅ "
                + ctx._("{unit}: {name}, {when} ({channel})").format(
                    unit=unit_label(cluster, unit.code, ctx._),
                    name=signature.officer_name,
                    when=local_datetime(signature.at, cluster.timezone),
                    channel=signature.channel.capitalize(),
                )
            )
    return ctx.reply("\n".join(lines))


# Composing (the chair) ------------------------------------------------------------------------


async def _text_prompt(ctx: Context) -> list[Reply]:
    return [
        ctx.reply(
            ctx._(
                "Type the pact of {year} (you may attach its document), then it is sent to every "
                "member unit to sign."
            ).format(year=ctx.services.year.year)
        )
    ]


async def _text(ctx: Context) -> list[Reply]:
    inbound = ctx.inbound
    for incoming in inbound.files[:1]:
        taken = await take_document(ctx.services, incoming.name, incoming.data, incoming.mime)
        if isinstance(taken, Refusal):
            return [ctx.reply(taken.text(ctx._))]
        ctx.data["file"] = [taken.sha256, taken.name, taken.mime]
    if inbound.text.strip():
        ctx.data["text"] = inbound.text.strip()[:3500]
    if not ctx.data["text"] and not ctx.data["file"]:
        return [ctx.reply(ctx._("Please type the pact, or send its document."))]
    ctx.goto("confirm")
    return []


async def _confirm_prompt(ctx: Context) -> list[Reply]:
    services = ctx.services
    due = signing_due(ctx.today())
    lines = [
        ctx._("The pact of {year}, as the member units will see it:").format(
            year=services.year.year
        ),
        ctx.data["text"] or "—",
    ]
    if ctx.data["file"]:
        lines.append(ctx._("Document: {name}").format(name=ctx.data["file"][1]))
    lines.append(
        ctx._("To {count} member unit(s), to sign by {due}.").format(
            count=len(services.cluster_year.cluster.members), due=short_date(due)
        )
    )
    options = [
        ctx.step_option(ctx._("Send the pact"), "send"),
        ctx.step_option(ctx._("Cancel"), "cancel"),
    ]
    return [ctx.reply("\n".join(lines), options)]


async def _confirm(ctx: Context) -> list[Reply]:
    if ctx.choice == "cancel":
        ctx.finish()
        return [ctx.reply(ctx._("Cancelled. The pact was not sent."))]
    if ctx.choice != "send":
        return [ctx.reply(ctx._("Please choose one of the options above."))]
    assert ctx.actor is not None
    document = PactDocument(*ctx.data["file"]) if ctx.data["file"] else None
    text, due = ctx.data["text"], signing_due(ctx.today())
    sent = await send_pact(ctx.services, ctx.actor, text, document, due)
    ctx.finish()
    return [
        ctx.reply(
            ctx._(
                "The pact is on its way to {count} chat(s). /giaouoc shows who has signed."
            ).format(count=sent.queued)
        )
    ]


PACT_FLOW = pact_router.flow(
    Flow(
        name="pact",
        title=N_("the pact to send"),
        first="text",
        access=Access.MANAGER,
        steps={
            "text": Step(prompt=_text_prompt, handle=_text),
            "confirm": Step(prompt=_confirm_prompt, handle=_confirm),
        },
    )
)


# Signing (a member unit's officer) ----------------------------------------------------------


@pact_router.option("pactsign", access=Access.OFFICER)
async def sign(ctx: Context) -> list[Reply]:
    services, actor = ctx.services, ctx.actor
    assert actor is not None
    signed = await sign_pact(services, actor, row_id(ctx.choice), ctx.inbound.channel)
    if signed is PactRefusal.STALE:
        return [ctx.reply(ctx._("That choice is no longer valid. Please use the latest message."))]
    cluster = services.cluster_year.cluster
    unit = unit_label(cluster, actor.unit_code or "", ctx._)
    if isinstance(signed, PactRefusal):
        return [ctx.reply(ctx._("{unit} has already signed the pact.").format(unit=unit))]
    return [
        ctx.reply(
            ctx._("Recorded: {unit} agrees to the pact of {year} ({when}).").format(
                unit=unit, year=services.year.year, when=local_datetime(signed.at, cluster.timezone)
            )
        ).as_result()  # journaled: a crash before it is sent delays it, never loses it
    ]
