"""The conversation engine: one inbound event in, the replies out, state written through.

Events are handled one at a time per person in a chat (a lock per (channel, chat, user)); state
is read after the lock is taken. Conversations, menus and buttons belong to the person they were
shown to, so in a group one officer never sees, answers or confirms another's draft; a long
flow started in a group moves to the person's private chat. The order of questions asked of an
event: a pressed or typed option, unsupported content, a command, the running conversation,
free-text handlers, then a polite fallback.
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import datetime, timedelta

from bot.domain.access import Access, Actor
from bot.domain.formatting import local_datetime
from bot.domain.messages import (
    FULL_CAPABILITIES,
    Capabilities,
    ChatKind,
    Inbound,
    Option,
    Reply,
)
from bot.domain.strings import fold
from bot.engine.context import DRAFT, Context
from bot.engine.router import Router
from bot.i18n import N_, translator
from bot.services.container import Services
from storage.database import Writes, is_storage_full
from storage.seen_updates import SeenUpdates

__all__ = ["Dispatcher", "Identify"]

log = logging.getLogger(__name__)

Identify = Callable[[Inbound], Awaitable[Actor | None]]

_FAILED = N_(
    "Sorry, something went wrong on our side and nothing was changed. Please try again in a moment."
)
_DISK_FULL = N_(
    "Sorry, the bot cannot save anything right now and nothing was changed. Please try again "
    "in a few minutes."
)
_FOREIGN = "\x00foreign"
"""What :meth:`Dispatcher._chosen_value` answers for a button shown to someone else."""


class Dispatcher:
    def __init__(
        self, services: Services, router: Router, identify: Identify | None = None
    ) -> None:
        self._services = services
        self._router = router
        self._identify = identify or self._registered
        self.capabilities: dict[str, Capabilities] = {}
        """Per channel name; channels not listed are taken to carry everything."""
        self.handler_errors: Counter[str] = Counter()
        """Events whose handler failed, per channel (for ``/metrics``)."""
        self._locks: weakref.WeakValueDictionary[tuple[str, str, str], asyncio.Lock] = (
            weakref.WeakValueDictionary()
        )

    async def _registered(self, inbound: Inbound) -> Actor | None:
        """The officer behind the sender's channel identity, read from the database."""
        services = self._services
        return await services.officers.actor(inbound.channel, inbound.user_id, services.clock.now())

    @property
    def router(self) -> Router:
        return self._router

    def _lock(self, inbound: Inbound) -> asyncio.Lock:
        key = (inbound.channel, inbound.chat_id, inbound.user_id)
        lock = self._locks.get(key)
        if lock is None:
            lock = asyncio.Lock()
            self._locks[key] = lock
        return lock

    async def handle(self, inbound: Inbound) -> list[Reply]:
        """Answer one event. Option values in the answer are replaced by opaque tokens.

        What the engine keeps of an event — the journaled copies of results, the conversation
        state, the options offered — is committed in one transaction before it is answered."""
        async with self._lock(inbound):
            ctx = await self._context(inbound)
            try:
                writes = ctx.writes
                replies = await self._route(ctx)
                replies = await self._first_contact(writes, ctx, replies)
                replies = await self._journal(writes, ctx.inbound, replies)
                self._persist(writes, ctx)
                return await self._commit(writes, inbound, replies)
            except Exception as exc:
                log.exception("handler failed for %s chat %s", inbound.channel, inbound.chat_id)
                self.handler_errors[inbound.channel] += 1
                if is_storage_full(exc):  # nothing can be written, not even the menu's end
                    return [ctx.reply(ctx._(_DISK_FULL))]
                return await self._commit(Writes(), inbound, [ctx.reply(ctx._(_FAILED))])

    async def _first_contact(
        self, writes: Writes, ctx: Context, replies: list[Reply]
    ) -> list[Reply]:
        """The first time a chat identity writes privately, what the router shows on a first
        contact (the help, when the message opens the chat) follows the answer in the same
        message, when the answer is plain text and both fit in one message of the channel (a
        second message would cost Zalo's monthly quota). Either way the identity has written."""
        inbound, preferences = ctx.inbound, self._services.preferences
        if not inbound.is_private or inbound.membership is not None:
            return replies
        hooks = self._router.first_contact
        if not hooks or await preferences.seen(inbound.channel, inbound.user_id):
            return replies
        preferences.first_contact_into(
            writes, inbound.channel, inbound.user_id, self._services.clock.now()
        )
        shown = [r for handler in hooks for r in await handler(ctx)]
        last = replies[-1] if replies else None
        if last is None or last.options or last.attachment or last.chat_id is not None:
            return replies
        merged = "\n\n".join([last.text, *(r.text for r in shown)])
        if not shown or len(merged) > ctx.capabilities.max_text:
            return replies  # one message or none: the answer itself points to /huongdan
        return [*replies[:-1], replace(last, text=merged)]

    async def _commit(self, writes: Writes, inbound: Inbound, replies: list[Reply]) -> list[Reply]:
        """Commit what the event keeps, with the menus of its replies and the mark that its
        delivery is handled; returns them tokenised."""
        if inbound.delivery:
            SeenUpdates.handled_into(writes, inbound.channel, inbound.delivery)
        here = [r for r in replies if r.chat_id in (None, inbound.chat_id)]
        if here and not here[-1].options:
            # the latest question is not a menu: a typed number must not pick an old option
            self._services.options.forget_last_menu_into(
                writes, inbound.channel, inbound.chat_id, inbound.user_id
            )
        replies = self._tokenise_into(
            writes, inbound.channel, inbound.chat_id, replies, inbound.user_id
        )
        await self._services.db.commit(writes)
        return replies

    async def tokenise(
        self, channel: str, chat_id: str, replies: list[Reply], user_id: str = ""
    ) -> list[Reply]:
        """:meth:`_tokenise_into`, committed at once (for proactive messages)."""
        writes = Writes()
        replies = self._tokenise_into(writes, channel, chat_id, replies, user_id)
        await self._services.db.commit(writes)
        return replies

    def _tokenise_into(
        self, writes: Writes, channel: str, chat_id: str, replies: list[Reply], user_id: str
    ) -> list[Reply]:
        """Swap each option's value for a short opaque token bound to this chat and to the
        person answered (``user_id``; '' binds it to the chat only, for proactive messages),
        once: replies tokenised already (in the private chat a flow moved to, or before they
        were deferred) keep theirs. Replies without options write nothing."""
        out = []
        for reply in replies:
            if reply.options and not reply.tokenised:
                menu = self._services.options.issue_into(
                    writes,
                    channel,
                    chat_id,
                    [(o.label, o.value) for o in reply.options],
                    self._services.clock.now(),
                    reply.numbered,
                    user_id,
                )
                options = tuple(Option(m.label, m.token) for m in menu)
                reply = replace(reply, options=options, tokenised=True)
            out.append(reply)
        return out

    async def _journal(self, writes: Writes, inbound: Inbound, replies: list[Reply]) -> list[Reply]:
        """Journal a copy of each reply that carries a result before the conversation moves on,
        so a crash before (or during) its direct send delays it instead of losing it."""
        outbox, out = self._services.outbox, []
        for reply in replies:
            if reply.durable:
                moved = reply.chat_id not in (None, inbound.chat_id)  # to the private chat
                chat_id = reply.chat_id if moved else inbound.chat_id
                in_group = not moved and not inbound.is_private
                reply = await outbox.journal(writes, inbound.channel, chat_id, reply, in_group)
            out.append(reply)
        return out

    async def _context(self, inbound: Inbound) -> Context:
        """The sender, the cluster-year their commands act on (the services bound to it) and
        their role in that year."""
        services = self._services
        language = (
            await services.preferences.language(inbound.channel, inbound.user_id)
            or services.settings.default_language
        )
        actor = await self._identify(inbound)
        year = services.years.for_actor(actor)
        if actor is not None:
            actor = actor.in_year(year.data.cluster.chair)
        return Context(
            inbound=inbound,
            services=services.scoped(year.id),
            language=language,
            _=translator(language),
            actor=actor,
            conversation=await services.conversations.get(
                inbound.channel, inbound.chat_id, inbound.user_id
            ),
            menu=self._router.menu,
            capabilities=self.capabilities.get(inbound.channel, FULL_CAPABILITIES),
            all_capabilities=self.capabilities,
        )

    def _persist(self, writes: Writes, ctx: Context) -> None:
        if not ctx.conversation_changed:
            return
        conversations = self._services.conversations
        channel, chat_id, user_id = ctx.inbound.channel, ctx.inbound.chat_id, ctx.inbound.user_id
        if ctx.conversation is None:
            conversations.clear_into(writes, channel, chat_id, user_id)
            return
        now = self._services.clock.now()
        ttl = timedelta(hours=self._services.settings.conversation_ttl_hours)
        conversations.save_into(writes, channel, chat_id, ctx.conversation, now, now + ttl, user_id)

    # Routing ---------------------------------------------------------------------------------

    async def _route(self, ctx: Context) -> list[Reply]:
        inbound = ctx.inbound
        if inbound.membership is not None:
            replies = []
            for handler in self._router.membership:
                replies += await handler(ctx)
            return replies
        value = await self._chosen_value(ctx)
        if value is _FOREIGN:
            return [
                ctx.reply(
                    ctx._(
                        "This button belongs to a question asked of someone else. "
                        "Please send the command yourself to get your own."
                    )
                )
            ]
        if inbound.option_token and value is None:
            return [
                ctx.reply(ctx._("That choice is no longer valid. Please use the latest message."))
            ]
        if value is not None:
            return await self._option(ctx, value)
        if inbound.unsupported and not inbound.files:
            return [
                ctx.reply(
                    ctx._(
                        "I cannot read stickers, voice messages or this kind of content. "
                        "Please write to me in text; /huongdan shows what I can do."
                    )
                )
            ]
        if inbound.command is not None:
            return await self._command(ctx, inbound.command)
        if ctx.conversation is not None:
            if ctx.conversation.is_expired(self._services.clock.now()):
                return self._offer_draft(ctx, resume_command=None)
            return await self._step(ctx)
        for handler, access in self._router.texts:
            if access.allows(ctx.actor):
                replies = await handler(ctx)
                if replies is not None:
                    return replies
        if inbound.files:
            return [
                ctx.reply(ctx._("To send a report, start with /nopbaocao and follow the steps."))
            ]
        return [ctx.reply(ctx._("I did not understand that. Send /huongdan to see what I can do."))]

    async def _chosen_value(self, ctx: Context) -> str | None:
        """The option value behind a pressed button, or a typed number or label of the last menu."""
        inbound, options, now = ctx.inbound, self._services.options, self._services.clock.now()
        if inbound.option_token:
            pressed = await options.press(
                inbound.channel, inbound.chat_id, inbound.option_token, now, inbound.user_id
            )
            return _FOREIGN if pressed.foreign else pressed.value
        typed = fold(inbound.text)
        if not typed or inbound.command is not None or inbound.files:
            return None
        menu, numbered = await options.last_menu(
            inbound.channel, inbound.chat_id, now, inbound.user_id
        )
        if numbered and typed.isascii() and typed.isdigit() and 1 <= int(typed) <= len(menu):
            return menu[int(typed) - 1].value
        return next((m.value for m in menu if fold(m.label) == typed), None)

    async def _command(self, ctx: Context, name: str) -> list[Reply]:
        route = self._router.commands.get(name)
        if route is None:
            return [ctx.reply(ctx._("I do not know that command. Send /huongdan to see the list."))]
        denied = self._denied(ctx, route.access)
        if denied:
            return denied
        if route.private and not ctx.inbound.is_private:
            return await self._in_private(ctx, name)
        if ctx.conversation is not None and not route.keeps_draft:
            args = " ".join(ctx.inbound.args)
            return self._offer_draft(ctx, resume_command=f"{name} {args}".strip())
        return await route.handler(ctx)

    async def _in_private(self, ctx: Context, name: str) -> list[Reply]:
        """Run a long flow's command in the sender's private chat with the bot, and say so in
        the group. A bot can write privately only to someone who has a private chat with it
        (on Telegram: who pressed Start): otherwise the group gets a polite answer."""
        inbound, services = ctx.inbound, self._services
        chat_id = await services.officers.private_chat(inbound.channel, inbound.user_id)
        if chat_id is None:
            return [
                ctx.reply(
                    ctx._(
                        "{name}, this is done in a private chat with me, but I cannot write to "
                        "you there yet. Please open a private chat with me, press Start, and "
                        "send the command there."
                    ).format(name=inbound.display_name or "")
                )
            ]
        private = replace(inbound, chat_id=chat_id, chat_kind=ChatKind.PRIVATE, message_id="")
        async with self._lock(private):
            pctx = await self._context(private)
            writes = pctx.writes
            try:
                replies = await self._command(pctx, name)
                self._persist(writes, pctx)
            except Exception:
                log.exception("handler failed for %s (moved to private)", inbound.channel)
                writes = Writes()
                replies = [pctx.reply(pctx._("Sorry, something went wrong on our side."))]
            replies = self._tokenise_into(
                writes, private.channel, chat_id, replies, private.user_id
            )
            await self._services.db.commit(writes)
        moved = [replace(r, chat_id=chat_id, channel=private.channel) for r in replies]
        notice = ctx._("{name}, I have written to you in our private chat to continue.").format(
            name=inbound.display_name or ""
        )
        return [ctx.reply(notice), *moved]

    async def _option(self, ctx: Context, value: str) -> list[Reply]:
        prefix, _, payload = value.partition(":")
        ctx.choice = payload
        if prefix == DRAFT:
            return await self._draft_choice(ctx, payload)
        if prefix.startswith("@"):
            conversation = ctx.conversation
            if conversation is None or prefix[1:] != f"{conversation.flow}.{conversation.step}":
                return [ctx.reply(ctx._("That question has already been answered or closed."))]
            return await self._step(ctx)
        route = self._router.options.get(prefix)
        if route is None:
            return [
                ctx.reply(ctx._("That choice is no longer valid. Please use the latest message."))
            ]
        return self._denied(ctx, route.access) or await route.handler(ctx)

    async def _step(self, ctx: Context) -> list[Reply]:
        conversation = ctx.conversation
        assert conversation is not None
        flow = self._router.flows.get(conversation.flow)
        if flow is None or conversation.step not in flow.steps:
            log.warning("dropping conversation of unknown flow/step %s", conversation.step)
            ctx.finish()
            return [
                ctx.reply(ctx._("That conversation is no longer available. Please start again."))
            ]
        denied = self._denied(ctx, flow.access)
        if denied:
            ctx.finish()
            return denied
        before = conversation.step
        replies = await flow.step(before).handle(ctx)
        ctx.touch()
        after = ctx.conversation
        if after is not None and (after.step != before or after.flow != flow.name or ctx.reprompt):
            next_flow = self._router.flows[after.flow]
            replies += await next_flow.step(after.step).prompt(ctx)
        return replies

    def _denied(self, ctx: Context, access: Access) -> list[Reply]:
        if access.allows(ctx.actor):
            if ctx.services.read_only and access in (Access.OFFICER, Access.MANAGER):
                return [
                    ctx.reply(
                        ctx._(
                            "The year {year} of {cluster} is closed: it can be read, not changed."
                        ).format(year=ctx.services.year.year, cluster=ctx.cluster_name)
                    )
                ]
            return []
        if ctx.actor is None:
            return [
                ctx.reply(
                    ctx._(
                        "You are not registered yet. Ask your cluster chair for an invitation "
                        "code and send it to me to join."
                    )
                )
            ]
        return [ctx.reply(ctx._("Sorry, your role does not allow this."))]

    # Drafts ----------------------------------------------------------------------------------

    async def offer_interrupted_drafts(self, started_at: datetime) -> int:
        """After a restart, ask each user with an unfinished draft (of a flow that wants it)
        whether to continue; returns how many were asked."""
        services = self._services
        asked = 0
        for channel, chat_id, user_id, state in await services.conversations.all():
            flow = self._router.flows.get(state.flow)
            if flow is None or not flow.offer_after_restart or state.is_expired(started_at):
                continue
            if user_id != chat_id:
                continue  # a group draft of before per-person keys: offered when next written to
            language = (
                await services.preferences.language(channel, user_id)
                or services.settings.default_language
            )
            _ = translator(language)
            when = local_datetime(
                state.updated_at or started_at, services.cluster_year.cluster.timezone
            )
            reply = Reply(
                _(
                    "The bot was restarted. Your {title} (last changed {when}) is kept. "
                    "Continue it?"
                ).format(title=_(flow.title), when=when),
                (
                    Option(_("Continue"), f"{DRAFT}:resume"),
                    Option(_("Discard it"), f"{DRAFT}:discard"),
                ),
            )
            key = f"restart-draft:{channel}:{chat_id}:{state.updated_at}"
            asked += await services.outbox.enqueue(key, channel, chat_id, reply)
        return asked

    def _offer_draft(self, ctx: Context, resume_command: str | None) -> list[Reply]:
        conversation = ctx.conversation
        assert conversation is not None
        flow = self._router.flows.get(conversation.flow)
        title = ctx._(flow.title) if flow else conversation.flow
        when = local_datetime(
            conversation.updated_at or self._services.clock.now(),
            self._services.cluster_year.cluster.timezone,
        )
        discard = f"{DRAFT}:discard" + (f":{resume_command}" if resume_command else "")
        return [
            ctx.reply(
                ctx._("You have an unfinished {title} (last changed {when}). Continue it?").format(
                    title=title, when=when
                ),
                [
                    Option(ctx._("Continue"), f"{DRAFT}:resume"),
                    Option(ctx._("Discard it"), discard),
                ],
            )
        ]

    async def _draft_choice(self, ctx: Context, payload: str) -> list[Reply]:
        conversation = ctx.conversation
        if conversation is None:
            return [ctx.reply(ctx._("That question has already been answered or closed."))]
        action, _, command = payload.partition(":")
        flow = self._router.flows.get(conversation.flow)
        if action == "resume" and flow is not None:
            ctx.touch()
            return await flow.step(conversation.step).prompt(ctx)
        ctx.finish()
        replies = [ctx.reply(ctx._("The draft was discarded."))]
        if command:
            name, *args = command.split()
            ctx.conversation = None
            ctx.inbound = _with_command(ctx.inbound, name, tuple(args))
            replies += await self._command(ctx, name)
        return replies


def _with_command(inbound: Inbound, name: str, args: tuple[str, ...]) -> Inbound:
    return replace(inbound, command=name, args=args, option_token=None, text="")
