"""Zalo through its Bot API: updates become Inbound; replies degrade to what Zalo carries.

No buttons (options become a numbered list: the number or the option's text selects it), no
documents (the bot sends a one-time download link; officers upload through a one-time link),
2,000 characters a message (split on line boundaries), images by URL from the bot's web server.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import Protocol

from bot.channels.base import DeliveryError, DeliveryFailure, EventSink
from bot.channels.downloads import DownloadAllowance
from bot.channels.render import options_as_text, parse_command, split_text
from bot.channels.zalo_client import ZaloApiError, ZaloClient, ZaloUpdate
from bot.domain.messages import Attachment, Capabilities, ChatKind, Inbound, InboundFile, Reply
from bot.i18n import Translator

__all__ = ["ZaloChannel"]

log = logging.getLogger(__name__)

CAPABILITIES = Capabilities(
    max_text=2000,
    documents=False,
    groups=False,
    max_download=20 * 2**20,
)
Publish = Callable[[str, Attachment], Awaitable[str]]
"""Store an attachment for a chat and return the URL people (or Zalo) fetch it from."""


class Deliveries(Protocol):
    """Where the channel keeps each delivery from its arrival until its event is committed
    (the window of repeats is kept in the database too)."""

    async def receive(self, key: str, payload: str) -> bool:
        """Keep a delivery; False when it came before (a repeat)."""
        ...

    async def handled(self, key: str) -> None:
        """The delivery's event is over (when it wrote something, its commit said so)."""
        ...

    async def unhandled(self) -> list[str]:
        """The deliveries a crash cut before their events were committed, oldest first."""
        ...


CONCURRENT_UPDATES = 16
"""Polled updates in hand at once (the poll waits for a free place beyond that); as many as
Telegram's, for the reason given there (``bot.channels.telegram.CONCURRENT_UPDATES``)."""
STOP_GRACE_SECONDS = 15


class ZaloChannel:
    name = "zalo"
    capabilities = CAPABILITIES

    def __init__(
        self,
        client: ZaloClient,
        poll_timeout: int,
        publish: Publish,
        translate: Translator,
        deliveries: Deliveries,
        downloads: DownloadAllowance,
        webhook: tuple[str, str] | None = None,
    ) -> None:
        """``webhook`` is (url, secret) in webhook mode; None means long polling."""
        self._downloads = downloads
        self._client = client
        self._poll_timeout = poll_timeout
        self._publish = publish
        self._ = translate
        self._webhook = webhook
        self._deliveries = deliveries
        self._on_event: EventSink | None = None
        self._poller: asyncio.Task[None] | None = None
        self._places = asyncio.Semaphore(CONCURRENT_UPDATES)
        self._latest: dict[str, asyncio.Task[None]] = {}
        """The last polled update of each chat still in hand."""
        self._in_hand: set[str] = set()
        """The keys of the updates handed on and not yet answered."""

    async def start(self, on_event: EventSink) -> None:
        await self._client.get_me()  # a wrong token fails here, at start, not at the first poll
        self._on_event = on_event
        for payload in await self._deliveries.unhandled():  # cut by a crash: answered now
            await self._places.acquire()
            self._hand_on(ZaloUpdate.model_validate_json(payload), kept=True)
        if self._webhook is not None:
            url, secret = self._webhook
            await self._client.set_webhook(url, secret)
            return
        await self._client.delete_webhook()
        self._poller = asyncio.create_task(self._poll(), name="zalo-poll")

    async def stop(self) -> None:
        """Stop polling; the updates in hand are answered first (up to a grace time)."""
        if self._poller is not None:
            self._poller.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._poller
        if self._latest:
            await asyncio.wait(list(self._latest.values()), timeout=STOP_GRACE_SECONDS)
        await self._client.close()

    async def _poll(self) -> None:
        backoff = 1.0
        while True:
            try:
                update = await self._client.get_update(self._poll_timeout)
            except ZaloApiError as exc:
                log.warning("zalo getUpdates failed (%s); retrying in %.0fs", exc.code, backoff)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 60)
                continue
            backoff = 1.0
            if update is not None:
                await self._places.acquire()
                self._hand_on(update)

    def _hand_on(self, update: ZaloUpdate, kept: bool = False) -> None:
        """Answer a polled update beside the next poll — a poll brings one update, so a round
        trip to Zalo would bound the rate otherwise — after the same chat's previous one
        (``kept``: a delivery kept already, cut by a crash)."""
        chat, key = update.message.chat.id, _key(update)
        if key in self._in_hand:  # kept at start and handed on as it arrived: answered once
            self._places.release()
            return
        self._in_hand.add(key)
        task = asyncio.create_task(self._after(self._latest.get(chat), update, kept))
        self._latest[chat] = task

        def done(finished: asyncio.Task[None]) -> None:
            self._in_hand.discard(key)
            self._places.release()
            if self._latest.get(chat) is finished:
                del self._latest[chat]
            if not finished.cancelled() and finished.exception() is not None:
                log.error("a zalo update could not be handled", exc_info=finished.exception())

        task.add_done_callback(done)

    async def _after(
        self, before: asyncio.Task[None] | None, update: ZaloUpdate, kept: bool
    ) -> None:
        if before is not None:
            await asyncio.wait([before])
        await (self._answer(update) if kept else self.handle(update))

    async def handle_webhook(self, payload: dict[str, object]) -> None:
        """Keep a webhook's delivery, and answer it beside (after the chat's previous one):
        this returns — and the webhook answers 200 — once it is kept, not lost by a crash."""
        try:
            update = ZaloUpdate.model_validate(payload)
        except ValueError:
            log.warning("zalo webhook: an update of an unknown shape was dropped")
            return
        if await self._keep(update) and self._on_event is not None:
            await self._places.acquire()
            self._hand_on(update, kept=True)  # else answered when the channel starts

    async def handle(self, update: ZaloUpdate) -> None:
        """One polled update, once: deliveries may repeat (also across a restart), so (event,
        message id) is remembered — and the update kept until its event's transaction marks it
        handled, so that a crash in between (while its photo is fetched, say) has it answered
        at the next start instead of lost."""
        if await self._keep(update) and self._on_event is not None:
            await self._answer(update)

    async def _keep(self, update: ZaloUpdate) -> bool:
        """Keep a delivery; False when it came before."""
        return await self._deliveries.receive(_key(update), update.model_dump_json(by_alias=True))

    async def _answer(self, update: ZaloUpdate) -> None:
        assert self._on_event is not None
        key = _key(update)
        image = update.event_name == "message.image.received"  # its size is known once fetched
        try:
            async with self._downloads.hold(self.capabilities.max_download if image else 0):
                await self._on_event(await self._to_inbound(update, key))
        except asyncio.CancelledError:
            raise  # stopped before it was answered: the next start answers it
        except Exception:
            await self._deliveries.handled(key)  # a failing update is not tried for ever
            raise
        await self._deliveries.handled(key)

    async def _to_inbound(self, update: ZaloUpdate, key: str) -> Inbound:
        message = update.message
        text = message.text or message.caption or ""
        command, args = parse_command(text, None)
        files: tuple[InboundFile, ...] = ()
        file_error = unsupported = None
        event = update.event_name
        if event == "message.image.received":
            url = message.photo_url or message.photo
            try:
                data = await self._client.download(url or "", self.capabilities.max_download)
                if data is None:
                    file_error = "too_big"
                else:
                    name = f"anh-{message.message_id[:12]}.jpg"
                    files = (InboundFile(name, data, "image/jpeg"),)
            except Exception as exc:
                log.info("zalo image download failed: %s", type(exc).__name__)
                file_error = "download_failed"
        elif event == "message.sticker.received":
            unsupported = "sticker"
        elif event != "message.text.received":
            unsupported = "file" if event == "message.unsupported.received" else "other"
        return Inbound(
            channel=self.name,
            chat_id=message.chat.id,
            user_id=message.sender.id,
            display_name=message.sender.display_name,
            chat_kind=ChatKind.PRIVATE if message.chat.chat_type == "PRIVATE" else ChatKind.GROUP,
            text=text if command is None else "",
            command=command,
            args=args,
            files=files,
            file_error=file_error,
            unsupported=unsupported,
            message_id=message.message_id,
            delivery=key,
        )

    async def send(self, chat_id: str, reply: Reply) -> str:
        try:
            return await self._send(chat_id, reply)
        except ZaloApiError as exc:
            raise _delivery_error(exc) from exc

    async def _send(self, chat_id: str, reply: Reply) -> str:
        text = options_as_text(reply, self._)
        attachment = reply.attachment
        if (
            attachment is not None
            and attachment.is_image
            and len(text) <= self.capabilities.max_text
        ):
            url = await self._publish(chat_id, attachment)
            return await self._client.send_photo(chat_id, url, caption=text)
        if attachment is not None and not attachment.is_image:
            url = await self._publish(chat_id, attachment)
            link = self._("Download {name} (one time, within 24 hours): {url}").format(
                name=attachment.name, url=url
            )
            text = f"{text}\n\n{link}" if text else link
        message_id = ""
        for part in split_text(text, self.capabilities.max_text) if text else []:
            message_id = await self._client.send_message(chat_id, part)
        if attachment is not None and attachment.is_image:
            message_id = await self._client.send_photo(
                chat_id, await self._publish(chat_id, attachment)
            )
        return message_id


def _key(update: ZaloUpdate) -> str:
    return f"{update.event_name}:{update.message.message_id}"


def _delivery_error(exc: ZaloApiError) -> DeliveryError:
    if exc.code == 429:
        return DeliveryError(DeliveryFailure.RETRY_AFTER, exc.description, 5.0)
    if exc.code == 403:
        return DeliveryError(DeliveryFailure.BLOCKED, exc.description)
    if exc.code in (400, 404):
        return DeliveryError(DeliveryFailure.PERMANENT, exc.description)
    return DeliveryError(DeliveryFailure.TRANSIENT, f"{exc.code} {exc.description}")
