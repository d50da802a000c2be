"""Enqueueing proactive messages: a Reply becomes an outbox row (attachment bytes go to the file
store), and the sender of its channel is woken."""

from __future__ import annotations

import asyncio
import json
import secrets
import sqlite3
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from bot.clock import Clock
from bot.delivery.outbox_keys import JOURNAL, deferred_reply_key, journal_key
from bot.domain.messages import Attachment, Option, Reply
from storage.database import Writes
from storage.files import FileStore
from storage.outbox import OutboxRepository

__all__ = ["HELD", "Outbox", "decode_reply"]

HELD = datetime(9999, 1, 1, tzinfo=UTC)
"""The send time of a journaled copy until it is released: it never falls due by the clock."""


class Outbox:
    def __init__(
        self, repo: OutboxRepository, files: FileStore, clock: Clock, gathering: timedelta
    ) -> None:
        self.repo = repo
        self._files = files
        self._clock = clock
        self._gathering = gathering
        """The least time between two messages of gathered notices to one chat (none: each
        notice is a message of its own)."""
        self._wake: defaultdict[str, asyncio.Event] = defaultdict(asyncio.Event)
        self._answering: Counter[tuple[str, str]] = Counter()

    def wake_event(self, channel: str) -> asyncio.Event:
        return self._wake[channel]

    @contextmanager
    def answering(self, channel: str, chat_id: str) -> Iterator[None]:
        """While an event of this chat is answered, the sender leaves the chat's rows for
        later and is woken when the answer is out: what the event said comes before what it
        queued."""
        key = (channel, chat_id)
        self._answering[key] += 1
        try:
            yield
        finally:
            self._answering[key] -= 1
            if not self._answering[key]:
                del self._answering[key]
                self._wake[channel].set()

    def is_answering(self, channel: str, chat_id: str) -> bool:
        return (channel, chat_id) in self._answering

    def chats_answered(self, channel: str) -> list[str]:
        """The chats of this channel whose events are being answered now."""
        return [chat for ch, chat in self._answering if ch == channel]

    async def enqueue(
        self,
        key: str,
        channel: str,
        chat_id: str,
        reply: Reply,
        not_before: datetime | None = None,
        officer_id: int | None = None,
        is_group: bool = False,
    ) -> bool:
        """Queue a message once per key; True when it was new."""
        writes = Writes()
        await self.enqueue_into(
            writes, key, channel, chat_id, reply, not_before, officer_id, is_group
        )
        [(added, _row_id)] = await self.repo.commit(writes)
        return added > 0

    async def enqueue_into(
        self,
        writes: Writes,
        key: str,
        channel: str,
        chat_id: str,
        reply: Reply,
        not_before: datetime | None = None,
        officer_id: int | None = None,
        is_group: bool = False,
    ) -> None:
        """:meth:`enqueue`, its row added to ``writes`` (committed with what caused it); the
        sender is woken once they are committed. An attachment's bytes are stored at once (a
        commit of their own): inside ``Database.transaction`` queue text only. A gathered
        notice waits for the chat's gathered message still to go, or for the gathering
        interval after the last one."""
        now = self._clock.now()
        payload = await self._encode(reply, now)
        held = None
        if self._gathers(reply):
            held = await self.repo.next_gathered(channel, chat_id, now, self._gathering)
        when = not_before or now
        self._add_into(
            writes, key, channel, chat_id, payload, now, when, held, officer_id, is_group
        )

    def queue_on(
        self,
        conn: sqlite3.Connection,
        writes: Writes,
        key: str,
        channel: str,
        chat_id: str,
        reply: Reply,
        officer_id: int | None = None,
    ) -> None:
        """:meth:`enqueue_into` on the database thread, inside an event's transaction (a body of
        ``Database.atomically``): a text reply to a private chat, due now or when gathered."""
        if reply.attachment is not None:
            raise ValueError("an attachment is stored before the transaction, not in it")
        now = self._clock.now()
        held = None
        if self._gathers(reply):
            held = self.repo.next_gathered_on(conn, channel, chat_id, now, self._gathering)
        payload = json.dumps(_fields(reply), ensure_ascii=False)
        self._add_into(writes, key, channel, chat_id, payload, now, now, held, officer_id, False)

    def _gathers(self, reply: Reply) -> bool:
        return reply.gathered and bool(self._gathering)

    def _add_into(
        self,
        writes: Writes,
        key: str,
        channel: str,
        chat_id: str,
        payload: str,
        now: datetime,
        when: datetime,
        held: datetime | None,
        officer_id: int | None,
        is_group: bool,
    ) -> None:
        """The row added to ``writes``; ``held`` is when a gathered row of the chat may go."""
        gathered = held is not None
        when = max(when, held) if held is not None else when
        self.repo.add_into(
            writes, key, channel, chat_id, payload, now, when, officer_id, is_group, gathered
        )
        writes.on_commit(self._wake[channel].set)

    async def defer(self, channel: str, chat_id: str, replies: list[Reply], is_group: bool) -> None:
        """Queue direct replies that could not be sent at once, in their order, so that a
        receipt or a confirmation reaches the user even when the platform failed the first try
        (a journaled one is released instead of copied)."""
        batch = secrets.token_hex(8)
        for n, reply in enumerate(replies):
            if reply.journal is not None:
                await self.repo.release(reply.journal, self._clock.now())
                self._wake[channel].set()
                continue
            key = deferred_reply_key(channel, chat_id, batch, n)
            await self.enqueue(key, channel, chat_id, reply, is_group=is_group)

    async def journal(
        self, writes: Writes, channel: str, chat_id: str, reply: Reply, is_group: bool
    ) -> Reply:
        """Keep a copy of a direct reply that carries a result, held until released: the direct
        send settles it, a failed send releases it, and so does the next start. Its row is
        added to ``writes``, which must be committed before the reply is sent."""
        key = journal_key(channel, chat_id, secrets.token_hex(8))
        now = self._clock.now()
        payload = await self._encode(reply, now)
        self.repo.add_into(writes, key, channel, chat_id, payload, now, HELD, is_group=is_group)
        return replace(reply, journal=key)

    async def delivered(self, key: str) -> None:
        """The direct send of a journaled reply succeeded: its copy must not go."""
        await self.repo.settle(key, self._clock.now())

    async def release_journal(self) -> int:
        """At start: the copies left by a process that died before settling them are due now."""
        return await self.repo.release_prefix(JOURNAL, self._clock.now())

    async def _encode(self, reply: Reply, now: datetime) -> str:
        body = _fields(reply)
        if reply.attachment is not None:
            sha = await self._files.put(reply.attachment.data, reply.attachment.mime, now)
            body["attachment"] = {
                "name": reply.attachment.name,
                "mime": reply.attachment.mime,
                "sha256": sha,
            }
        return json.dumps(body, ensure_ascii=False)


def _fields(reply: Reply) -> dict[str, object]:
    """What a row's payload holds of a reply but its attachment."""
    return {
        "text": reply.text,
        "options": [[o.label, o.value] for o in reply.options],
        "numbered": reply.numbered,
        "pin": reply.pin,
        "tokenised": reply.tokenised,
    }


def decode_reply(payload: str, files: FileStore) -> Reply:
    body = json.loads(payload)
    attachment = None
    if "attachment" in body:
        meta = body["attachment"]
        attachment = Attachment(meta["name"], files.read(meta["sha256"]), meta["mime"])
    return Reply(
        text=body["text"],
        options=tuple(Option(label, value) for label, value in body["options"]),
        attachment=attachment,
        numbered=body.get("numbered", True),
        pin=body.get("pin", False),
        tokenised=body.get("tokenised", False),
    )
