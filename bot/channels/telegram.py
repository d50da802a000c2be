"""Telegram through python-telegram-bot: a catch-all handler turns each Update into an Inbound."""

from __future__ import annotations

import json
import logging
import warnings
from collections.abc import Awaitable, Callable
from datetime import timedelta

from telegram import Bot, BotCommand, InputFile, Message, Update
from telegram.constants import ChatMemberStatus, ChatType
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError
from telegram.ext import Application, ApplicationBuilder, ContextTypes, TypeHandler
from telegram.warnings import PTBDeprecationWarning, PTBUserWarning

from bot.channels.base import DeliveryError, DeliveryFailure, EventSink
from bot.channels.downloads import DownloadAllowance
from bot.channels.render import numbered_labels, parse_command, split_text
from bot.channels.telegram_http import AiohttpRequest
from bot.channels.telegram_updates import GatedUpdates
from bot.domain.messages import FULL_CAPABILITIES, ChatKind, Inbound, InboundFile, Reply

__all__ = ["TelegramChannel", "telegram_username"]

log = logging.getLogger(__name__)

CAPTION_LIMIT = 1024
CAPABILITIES = FULL_CAPABILITIES
CONCURRENT_UPDATES = 16
"""Updates handled at once, chosen by ``bot.channels.update_gate`` (work under way first, each
chat's updates started in order). The work of an update is mostly the bot's own CPU, so
more at once only lengthens every wait inside it (its database write lock, its downloads held
in memory): on the deadline-day benchmark 64 took 13.2 s and 228 MB where 16 took 7.8 s and
192 MB (``docs/benchmarks.md``)."""
CONNECTIONS = 8
"""Requests to the Bot API in flight at once (getUpdates apart). Telegram takes about 30
messages a second from a bot, which 8 connections carry at 250 ms a round trip."""

OnStarted = Callable[[str], Awaitable[None]]


async def telegram_username(token: str, base_url: str, timeout: float) -> str | None:
    """The bot's username as Telegram's ``getMe`` answers (for links made before the bot ran);
    None, logged, when Telegram cannot be asked (no network, a wrong token)."""
    bot = Bot(token, base_url=base_url, request=AiohttpRequest(1, timeout, timeout))
    try:
        async with bot:
            me = await bot.get_me()
    except (TelegramError, OSError) as exc:
        log.warning("could not ask Telegram for the bot's username: %s", type(exc).__name__)
        return None
    return me.username


class _Kept:
    """Where a download is written: it keeps the downloaded bytes themselves, where a buffer
    would copy them (the download allowance counts one copy of each file). PTB writes a
    download in one piece; were it ever to write several, they are joined."""

    def __init__(self) -> None:
        self._parts: list[bytes] = []

    def write(self, data: bytes) -> int:
        self._parts.append(data)
        return len(data)

    @property
    def data(self) -> bytes:
        return self._parts[0] if len(self._parts) == 1 else b"".join(self._parts)


class TelegramChannel:
    name = "telegram"
    capabilities = CAPABILITIES

    def __init__(
        self,
        token: str,
        base_url: str,
        file_url: str,
        poll_timeout: int,
        timeout: float,
        commands: list[tuple[str, str]],
        downloads: DownloadAllowance,
        on_started: OnStarted | None = None,
    ) -> None:
        self._app: Application = (
            ApplicationBuilder()
            .token(token)
            .base_url(base_url)
            .base_file_url(file_url)
            .get_updates_read_timeout(poll_timeout + 10)
            .request(AiohttpRequest(CONNECTIONS, timeout, upload_timeout=timeout * 3))
            .job_queue(None)
            .concurrent_updates(GatedUpdates(CONCURRENT_UPDATES))
            .build()
        )
        self._poll_timeout = poll_timeout
        self._commands = commands
        self._on_started = on_started
        self._downloads = downloads
        self._on_event: EventSink | None = None

    async def start(self, on_event: EventSink) -> None:
        self._on_event = on_event
        self._app.add_handler(TypeHandler(Update, self._on_update))
        await self._app.initialize()
        await self._app.bot.set_my_commands([BotCommand(n, d) for n, d in self._commands])
        if self._on_started is not None:
            await self._on_started(self._app.bot.username)
        await self._app.start()
        assert self._app.updater is not None
        await self._app.updater.start_polling(
            poll_interval=0,
            timeout=self._poll_timeout,
            allowed_updates=Update.ALL_TYPES,
        )

    async def stop(self) -> None:
        if self._app.updater is not None and self._app.updater.running:
            await self._app.updater.stop()
        if self._app.running:
            await self._app.stop()
        await self._app.shutdown()

    # Inbound ---------------------------------------------------------------------------------

    async def _on_update(self, update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
        async with self._downloads.hold(self._download_size(update)):
            inbound = await self._to_inbound(update)
            if inbound is None or self._on_event is None:
                return
            await self._on_event(inbound)

    def _download_size(self, update: Update) -> int:
        """The bytes the message's file takes once downloaded: 0 without one (or with one too
        large to download), the most a download may be when its size is not given."""
        message, limit = update.message, self.capabilities.max_download
        if message is None or (message.document is None and not message.photo):
            return 0
        found = message.document or message.photo[-1]
        size = found.file_size or limit
        return size if size <= limit else 0

    async def _to_inbound(self, update: Update) -> Inbound | None:
        query = update.callback_query
        if query is not None:
            await query.answer()
            message = query.message
            if message is None or query.from_user is None:
                return None
            return Inbound(
                channel=self.name,
                chat_id=str(message.chat.id),
                user_id=str(query.from_user.id),
                display_name=query.from_user.full_name,
                chat_kind=_kind(message.chat.type),
                option_token=query.data or "",
                message_id=str(message.message_id),
            )
        if update.my_chat_member is not None:
            return self._membership(update)
        message = update.message
        if message is None or message.from_user is None:
            return None
        user = message.from_user
        text = message.text or message.caption or ""
        command, args = parse_command(text, self._app.bot.username)
        files, file_error, unsupported = await self._files(message)
        return Inbound(
            channel=self.name,
            chat_id=str(message.chat.id),
            user_id=str(user.id),
            display_name=user.full_name,
            chat_kind=_kind(message.chat.type),
            text=text if command is None else "",
            command=command,
            args=args,
            files=files,
            file_error=file_error,
            unsupported=unsupported,
            message_id=str(message.message_id),
        )

    def _membership(self, update: Update) -> Inbound | None:
        change = update.my_chat_member
        assert change is not None
        status = change.new_chat_member.status
        private = change.chat.type == ChatType.PRIVATE
        gone = status in (ChatMemberStatus.BANNED, ChatMemberStatus.LEFT)
        if private:
            event = "blocked" if gone else "unblocked"
        else:
            event = "removed" if gone else "added"
        return Inbound(
            channel=self.name,
            chat_id=str(change.chat.id),
            user_id=str(change.from_user.id),
            display_name=change.from_user.full_name,
            chat_kind=_kind(change.chat.type),
            membership=event,
        )

    async def _files(
        self, message: Message
    ) -> tuple[tuple[InboundFile, ...], str | None, str | None]:
        """Download a document or photo at once; say why when it cannot be taken."""
        if message.document is not None:
            doc = message.document
            name, mime, size = doc.file_name or "tep", doc.mime_type or "", doc.file_size or 0
            file_id = doc.file_id
        elif message.photo:
            photo = message.photo[-1]
            name, mime, size, file_id = (
                f"anh-{message.message_id}.jpg",
                "image/jpeg",
                0,
                photo.file_id,
            )
            size = photo.file_size or 0
        else:
            kinds = ("sticker", "voice", "audio", "video", "video_note", "animation", "location")
            kind = next((k for k in kinds if getattr(message, k, None)), None)
            if kind is None and not (message.text or message.caption):
                kind = "other"
            return (), None, kind
        if size > self.capabilities.max_download:
            return (), "too_big", None
        try:
            telegram_file = await self._app.bot.get_file(file_id)
            kept = _Kept()
            await telegram_file.download_to_memory(kept)  # type: ignore[arg-type]
            data = kept.data
        except BadRequest as exc:
            log.info("file not downloadable: %s", exc.message)
            return (), "too_big" if "too big" in exc.message.lower() else "download_failed", None
        except TelegramError as exc:
            log.warning("file download failed: %s", type(exc).__name__)
            return (), "download_failed", None
        return (InboundFile(name=name, data=data, mime=mime),), None, None

    # Outbound --------------------------------------------------------------------------------

    async def send(self, chat_id: str, reply: Reply) -> str:
        try:
            return await self._send(int(chat_id), reply)
        except RetryAfter as exc:
            with warnings.catch_warnings():  # PTB 22 warns that the type will become timedelta
                warnings.simplefilter("ignore", PTBDeprecationWarning)
                retry = exc.retry_after
            seconds = retry.total_seconds() if isinstance(retry, timedelta) else float(retry)
            raise DeliveryError(DeliveryFailure.RETRY_AFTER, "flood control", seconds) from exc
        except Forbidden as exc:
            raise DeliveryError(DeliveryFailure.BLOCKED, exc.message) from exc
        except BadRequest as exc:
            raise DeliveryError(DeliveryFailure.PERMANENT, exc.message) from exc
        except (NetworkError, TelegramError) as exc:
            raise DeliveryError(DeliveryFailure.TRANSIENT, type(exc).__name__) from exc

    async def edit(self, chat_id: str, message_id: str, text: str) -> None:
        """Replace the text of a message the bot sent (a broadcast's progress)."""
        try:
            await self._app.bot.edit_message_text(
                text, chat_id=int(chat_id), message_id=int(message_id)
            )
        except BadRequest as exc:  # "message is not modified" and the like: nothing to do
            log.info("edit skipped: %s", exc.message)

    async def _pin_if_allowed(self, chat_id: int, message_id: str) -> None:
        """Pin in a group only when the bot is an administrator allowed to pin."""
        member = await self._app.bot.get_chat_member(chat_id, self._app.bot.id)
        if getattr(member, "can_pin_messages", False) or member.status == ChatMemberStatus.OWNER:
            await self._app.bot.pin_chat_message(
                chat_id, int(message_id), disable_notification=True
            )

    async def _send(self, chat_id: int, reply: Reply) -> str:
        message_id = await self._send_parts(chat_id, reply)
        if reply.pin and chat_id < 0:
            await self._pin_if_allowed(chat_id, message_id)
        return message_id

    async def _send_parts(self, chat_id: int, reply: Reply) -> str:
        markup = _keyboard(reply)
        attachment = reply.attachment
        if attachment is not None and len(reply.text) <= CAPTION_LIMIT:
            return await self._send_attachment(chat_id, reply, caption=reply.text, markup=markup)
        parts = split_text(reply.text, self.capabilities.max_text)
        message_id = ""
        for i, part in enumerate(parts):
            last = i == len(parts) - 1 and attachment is None
            message_id = await self._send_text(chat_id, part, markup if last else None)
        if attachment is not None:
            return await self._send_attachment(chat_id, reply, caption=None, markup=markup)
        return message_id

    async def _send_text(self, chat_id: int, text: str, markup: str | None) -> str:
        """sendMessage, reading only the id of the message sent from Telegram's answer (a whole
        Message object is built from it otherwise: a tenth of the cost of a reply)."""
        kwargs: dict[str, object] = {"chat_id": chat_id, "text": text}
        if markup is not None:
            kwargs["reply_markup"] = markup
        with warnings.catch_warnings():  # PTB would rather we called send_message
            warnings.simplefilter("ignore", PTBUserWarning)
            sent = await self._app.bot.do_api_request("send_message", api_kwargs=kwargs)
        return str(sent["message_id"])

    async def _send_attachment(
        self, chat_id: int, reply: Reply, caption: str | None, markup: str | None
    ) -> str:
        attachment = reply.attachment
        assert attachment is not None
        upload = InputFile(attachment.data, filename=attachment.name)
        keyboard = {"reply_markup": markup} if markup is not None else None
        if attachment.is_image:
            sent = await self._app.bot.send_photo(
                chat_id, upload, caption=caption or None, api_kwargs=keyboard
            )
        else:
            sent = await self._app.bot.send_document(
                chat_id, upload, caption=caption or None, api_kwargs=keyboard
            )
        return str(sent.message_id)


def _kind(chat_type: str) -> ChatKind:
    return ChatKind.PRIVATE if chat_type == ChatType.PRIVATE else ChatKind.GROUP


def _keyboard(reply: Reply) -> str | None:
    """The inline keyboard as the Bot API's JSON, one button a row (written directly: PTB
    would build its objects only to turn them into this)."""
    if not reply.options:
        return None
    labels = numbered_labels(reply)
    rows = [
        [{"text": label, "callback_data": option.value}]
        for label, option in zip(labels, reply.options, strict=True)
    ]
    return json.dumps({"inline_keyboard": rows}, ensure_ascii=False)
