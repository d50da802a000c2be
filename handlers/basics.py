"""Help, cancel and language: what every user can do."""

from __future__ import annotations

from bot.domain.access import Actor
from bot.domain.invite_codes import looks_like_code
from bot.domain.messages import Reply
from bot.engine.context import Context
from bot.engine.conversation import Flow, Step
from bot.engine.router import Router
from bot.i18n import N_, translator
from bot.usecases import preferences, registration

__all__ = ["basics_router"]

basics_router = Router("basics")

OPENING = ("batdau", "start")
"""The commands that open a chat (Telegram's Start button sends /start)."""
LANGUAGE_NAMES = {"vi": "Tiếng Việt", "en": "English"}


@basics_router.command("huongdan", "help", keeps_draft=True, description=N_("what I can do"))
async def help_(ctx: Context) -> list[Reply]:
    return [ctx.reply(_help_text(ctx, ctx.actor))]


def _help_text(ctx: Context, actor: Actor | None) -> str:
    lines = [ctx._("Commands you can use:")]
    for name, description, access in ctx.menu:
        if access.allows(actor):
            lines.append(f"/{name} — {ctx._(description)}")
    lines.append(ctx._("Where I offer numbered choices, you can also type the number."))
    return "\n".join(lines)


@basics_router.on_first_contact
async def first_contact(ctx: Context) -> list[Reply]:
    """/huongdan with the answer to a person's first message when it opens the chat (Start, or
    the invitation code), for who they are after it (just joined, maybe)."""
    inbound = ctx.inbound
    if inbound.command not in OPENING and not looks_like_code(inbound.text):
        return []
    actor = await registration.registered_as(ctx.services, inbound.channel, inbound.user_id)
    return [ctx.reply(_help_text(ctx, actor))]


@basics_router.command(
    "huy", "cancel", keeps_draft=True, description=N_("cancel what is under way")
)
async def cancel(ctx: Context) -> list[Reply]:
    if ctx.conversation is None:
        return [ctx.reply(ctx._("There is nothing to cancel."))]
    ctx.finish()
    return [ctx.reply(ctx._("Cancelled. Nothing from that draft was saved."))]


async def _language_prompt(ctx: Context) -> list[Reply]:
    options = [ctx.step_option(name, code) for code, name in LANGUAGE_NAMES.items()]
    return [ctx.reply(ctx._("Choose your language:"), options)]


async def _language_chosen(ctx: Context) -> list[Reply]:
    if ctx.choice not in LANGUAGE_NAMES:
        return [ctx.reply(ctx._("Please choose one of the languages above."))]
    inbound = ctx.inbound
    await preferences.set_language(ctx.services, inbound.channel, inbound.user_id, ctx.choice)
    ctx.finish()
    _ = translator(ctx.choice)
    text = _("From now on I will write to you in {language}.")
    return [ctx.reply(text.format(language=LANGUAGE_NAMES[ctx.choice]))]


LANGUAGE_FLOW = basics_router.flow(
    Flow(
        name="lang",
        title=N_("language choice"),
        first="choose",
        steps={"choose": Step(prompt=_language_prompt, handle=_language_chosen)},
    )
)


@basics_router.command("ngonngu", "lang", description=N_("choose Vietnamese or English"))
async def language(ctx: Context) -> list[Reply]:
    ctx.begin(LANGUAGE_FLOW.name, LANGUAGE_FLOW.first)
    return await _language_prompt(ctx)
