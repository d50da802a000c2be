"""A fake Telegram Bot API server (aiohttp, 127.0.0.1, free port) with a driver for tests.

It answers with Telegram's envelopes and status codes, checks method names and required
parameters against the table generated from the official spec (``telegram_methods.json``),
injects faults on request, and lets a test play users: send text, commands, documents, press
buttons, and await the bot's next message to a chat.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import time
from collections import Counter
from collections.abc import Callable
from importlib import resources
from typing import Any

from aiohttp import web

from bot.fakes.base import FakeServer, Fault, Sent, error, ok

__all__ = ["FakeTelegram", "FakeTelegramUser", "Fault", "FloodLimits", "Sent"]


METHODS: dict[str, dict[str, list[str]]] = json.loads(
    resources.files("bot.fakes").joinpath("telegram_methods.json").read_text(encoding="utf-8")
)["methods"]
JSON_FIELDS = {
    "reply_markup",
    "allowed_updates",
    "commands",
    "entities",
    "caption_entities",
    "link_preview_options",
    "reply_parameters",
    "scope",
}
MAX_DOWNLOAD = 20 * 1024 * 1024


class FloodLimits:
    """Telegram's limits, enforced: 30 messages in any second overall, one per second to a chat,
    20 a minute to a group. A breach is answered 429 with ``retry_after`` and counted."""

    def __init__(
        self, per_second: int = 30, chat_interval: float = 1.0, group_per_minute: int = 20
    ):
        self.per_second = per_second
        self.chat_interval = chat_interval
        self.group_per_minute = group_per_minute
        self.breaches = 0
        self._recent: list[float] = []
        self._chats: dict[int, list[float]] = {}

    def check(self, chat_id: int, now: float) -> int | None:
        """Seconds to wait when this message would break a limit, else None (and it counts)."""
        self._recent = [t for t in self._recent if now - t < 1.0]
        sent = self._chats.setdefault(chat_id, [])
        if chat_id < 0:
            sent[:] = [t for t in sent if now - t < 60.0]
            over_chat = len(sent) >= self.group_per_minute
        else:
            # 2% tolerance: clocks on both sides tick a little apart, as on the real service
            over_chat = bool(sent) and now - sent[-1] < self.chat_interval * 0.98
        if len(self._recent) >= self.per_second or over_chat:
            self.breaches += 1
            return 1
        self._recent.append(now)
        sent.append(now)
        return None


class FakeTelegram(FakeServer):
    def __init__(
        self,
        token: str = "123456:TEST-TOKEN",
        username: str = "cumthidua_test_bot",
        limits: FloodLimits | None = None,
    ):
        self.token = token
        self.username = username
        super().__init__()
        self.bot_id = int(token.split(":")[0])
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.blocked: set[int] = set()
        self.commands: list[dict[str, str]] = []
        self.limits = limits
        self.pin_rights: set[int] = set()
        """Group chats where the bot is an administrator allowed to pin."""
        self._updates: list[dict[str, Any]] = []
        self.fetched_at: dict[int, float] = {}
        """The monotonic time each update was first handed to the bot, by its id."""
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1000)
        self._file_ids = itertools.count(1)
        self._files: dict[str, tuple[bytes, str]] = {}
        self._new_update = asyncio.Event()
        self.on_request: Callable[[str, dict[str, Any]], None] | None = None
        """Called with each API call before it is answered (a crash test kills the bot there)."""
        self.last_send_at = 0.0
        """When the bot last began a send (``time.monotonic``)."""
        self.hung: Counter[str] = Counter()
        """Texts whose send was held past the client's time-out and then done (it may repeat)."""

    def routes(self, app: web.Application) -> None:
        app.router.add_route("*", "/bot{token}/{method}", self._api)
        app.router.add_get("/file/bot{token}/{path:.+}", self._download)

    async def __aenter__(self) -> FakeTelegram:
        await self.start()
        return self

    @property
    def base_url(self) -> str:
        return f"{self.origin}/bot"

    @property
    def file_url(self) -> str:
        return f"{self.origin}/file/bot"

    # Driver ----------------------------------------------------------------------------------

    def user(
        self, user_id: int, name: str = "Cán bộ", chat_id: int | None = None
    ) -> FakeTelegramUser:
        """A person writing to the bot; a negative ``chat_id`` is a group they write in."""
        return FakeTelegramUser(self, user_id, name, chat_id if chat_id is not None else user_id)

    def push_update(self, update: dict[str, Any]) -> int:
        update_id = next(self._update_ids)
        self._updates.append({"update_id": update_id, **update})
        self._new_update.set()
        return update_id

    def store_file(self, data: bytes, name: str) -> str:
        file_id = f"FILE{next(self._file_ids):06d}"
        self._files[file_id] = (data, name)
        return file_id

    # HTTP ------------------------------------------------------------------------------------

    async def _params(self, request: web.Request) -> dict[str, Any]:
        params: dict[str, Any] = dict(request.query)
        if request.content_type == "application/json":
            params.update(await request.json())
            return params
        if request.content_type == "multipart/form-data":
            reader = await request.multipart()
            async for part in reader:
                if part.filename is not None:
                    params[part.name] = (part.filename, bytes(await part.read()))
                else:
                    params[part.name] = await part.text()
        elif request.can_read_body:
            params.update(await request.post())
        for key in JSON_FIELDS & params.keys():
            if isinstance(params[key], str):
                params[key] = json.loads(params[key])
        return params

    async def _api(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return error(401, "Unauthorized")
        method = request.match_info["method"]
        spec = next((m for name, m in METHODS.items() if name.lower() == method.lower()), None)
        if spec is None:
            return error(404, "Not Found")
        params = await self._params(request)
        if method.startswith("send"):
            self.last_send_at = time.monotonic()
        if self.on_request is not None:
            self.on_request(method, params)
        self.calls.append((method, {k: v for k, v in params.items() if not isinstance(v, tuple)}))
        missing = [name for name in spec["required"] if name not in params]
        if missing:
            return error(400, f"Bad Request: parameter {missing[0]} is required")
        fault = self._fault(method, params)
        if fault is not None and fault.hang and fault.status == 200:
            self.hung[str(params.get("text", ""))] += 1
        if fault is not None and (answer := await self.answer_fault(request, fault)) is not None:
            return answer
        handler = getattr(self, f"_m_{method}", None)
        if handler is None:
            return ok(True)
        return await handler(params)

    def _fault(self, method: str, params: dict[str, Any]) -> Fault | None:
        chat = params.get("chat_id")
        if chat is not None and int(chat) in self.blocked and method.startswith("send"):
            return Fault(method, 403, "Forbidden: bot was blocked by the user")
        if chat is not None and self.limits is not None and method.startswith("send"):
            wait = self.limits.check(int(chat), time.monotonic())
            if wait is not None:
                return Fault(method, 429, f"Too Many Requests: retry after {wait}", wait)
        return self.take_fault(method, chat)

    async def _download(self, request: web.Request) -> web.StreamResponse:
        if request.match_info["token"] != self.token:
            return error(401, "Unauthorized")
        file_id = request.match_info["path"].rsplit("/", 1)[-1]
        if file_id not in self._files:
            return error(404, "Not Found")
        return web.Response(body=self._files[file_id][0])

    # Methods ---------------------------------------------------------------------------------

    async def _m_getMe(self, _params: dict[str, Any]) -> web.Response:
        return ok(
            {
                "id": self.bot_id,
                "is_bot": True,
                "first_name": "Cụm thi đua",
                "username": self.username,
                "can_join_groups": True,
                "can_read_all_group_messages": False,
                "supports_inline_queries": False,
            }
        )

    async def _m_getUpdates(self, params: dict[str, Any]) -> web.Response:
        offset = int(params.get("offset") or 0)
        limit = int(params.get("limit") or 100)
        timeout = float(params.get("timeout") or 0)
        self._updates = [u for u in self._updates if u["update_id"] >= offset]
        if not self._updates and timeout > 0:
            self._new_update.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._new_update.wait(), timeout)
        now = time.monotonic()
        for update in self._updates[:limit]:
            self.fetched_at.setdefault(update["update_id"], now)
        return ok(self._updates[:limit])

    async def _m_setMyCommands(self, params: dict[str, Any]) -> web.Response:
        self.commands = list(params["commands"])
        return ok(True)

    async def _m_getFile(self, params: dict[str, Any]) -> web.Response:
        file_id = params["file_id"]
        if file_id not in self._files:
            return error(400, "Bad Request: invalid file_id")
        data, _name = self._files[file_id]
        if len(data) > MAX_DOWNLOAD:
            return error(400, "Bad Request: file is too big")
        return ok(
            {
                "file_id": file_id,
                "file_unique_id": f"U{file_id}",
                "file_size": len(data),
                "file_path": f"documents/{file_id}",
            }
        )

    async def _m_sendMessage(self, params: dict[str, Any]) -> web.Response:
        text = str(params["text"])
        if not text.strip():
            return error(400, "Bad Request: message text is empty")
        if len(text) > 4096:
            return error(400, "Bad Request: message is too long")
        return self._record("sendMessage", params, text=text)

    async def _m_sendPhoto(self, params: dict[str, Any]) -> web.Response:
        return self._record_file("sendPhoto", params, "photo")

    async def _m_sendDocument(self, params: dict[str, Any]) -> web.Response:
        return self._record_file("sendDocument", params, "document")

    async def _m_editMessageText(self, params: dict[str, Any]) -> web.Response:
        chat_id, message_id = int(params["chat_id"]), int(params["message_id"])
        original = next(
            (s for s in self.sent if s.chat_id == chat_id and s.message_id == message_id), None
        )
        if original is None:
            return error(400, "Bad Request: message to edit not found")
        if original.text == params["text"]:
            return error(400, "Bad Request: message is not modified")
        original.text = str(params["text"])
        sent = Sent("editMessageText", chat_id, message_id, text=original.text, at=time.monotonic())
        self.remember(sent)
        return ok(self._message_json(sent))

    async def _m_getChatMember(self, params: dict[str, Any]) -> web.Response:
        chat_id, user_id = int(params["chat_id"]), int(params["user_id"])
        user = {"id": user_id, "is_bot": user_id == self.bot_id, "first_name": "x"}
        if chat_id not in self.pin_rights:
            return ok({"status": "member", "user": user})
        rights = dict.fromkeys(
            (
                "can_be_edited",
                "is_anonymous",
                "can_manage_chat",
                "can_delete_messages",
                "can_manage_video_chats",
                "can_restrict_members",
                "can_promote_members",
                "can_change_info",
                "can_invite_users",
                "can_post_stories",
                "can_edit_stories",
                "can_delete_stories",
            ),
            False,
        )
        return ok({"status": "administrator", "user": user, **rights, "can_pin_messages": True})

    async def _m_pinChatMessage(self, params: dict[str, Any]) -> web.Response:
        chat_id = int(params["chat_id"])
        sent = Sent("pinChatMessage", chat_id, int(params["message_id"]), at=time.monotonic())
        self.sent.append(sent)
        return ok(True)

    def _record_file(self, method: str, params: dict[str, Any], key: str) -> web.Response:
        value = params[key]
        name, data = value if isinstance(value, tuple) else (str(value), b"")
        caption = str(params.get("caption") or "")
        if len(caption) > 1024:
            return error(400, "Bad Request: message caption is too long")
        return self._record(method, params, text=caption, file_name=name, file_data=data)

    def _record(self, method: str, params: dict[str, Any], **fields: Any) -> web.Response:
        chat_id = int(params["chat_id"])
        markup = params.get("reply_markup") or {}
        buttons = [
            (button["text"], button.get("callback_data", ""))
            for row in markup.get("inline_keyboard", [])
            for button in row
        ]
        sent = Sent(
            method, chat_id, next(self._message_ids), buttons=buttons, at=time.monotonic(), **fields
        )
        self.remember(sent)
        return ok(self._message_json(sent, markup))

    def _message_json(self, sent: Sent, markup: dict[str, Any] | None = None) -> dict[str, Any]:
        chat_type = "private" if sent.chat_id > 0 else "group"
        message: dict[str, Any] = {
            "message_id": sent.message_id,
            "date": int(time.time()),
            "chat": {"id": sent.chat_id, "type": chat_type, "first_name": "x"},
            "from": {"id": self.bot_id, "is_bot": True, "first_name": "Cụm thi đua"},
        }
        if sent.method == "sendPhoto":
            message["photo"] = [
                {"file_id": "P1", "file_unique_id": "UP1", "width": 800, "height": 600}
            ]
        elif sent.method == "sendDocument":
            message["document"] = {"file_id": "D1", "file_unique_id": "UD1"}
        if sent.text:
            message["caption" if sent.file_name else "text"] = sent.text
        if markup:
            message["reply_markup"] = markup
        return message


class FakeTelegramUser:
    """A person (and the chat they write in) as seen by the fake server."""

    def __init__(self, server: FakeTelegram, user_id: int, name: str, chat_id: int) -> None:
        self.server = server
        self.user_id = user_id
        self.name = name
        self.chat_id = chat_id

    def _message(self, **content: Any) -> dict[str, Any]:
        chat: dict[str, Any] = {"id": self.chat_id, "type": "private", "first_name": self.name}
        if self.chat_id < 0:
            chat = {"id": self.chat_id, "type": "group", "title": "Nhóm Cụm thi đua"}
        return {
            "message_id": next(self.server._message_ids),
            "date": int(time.time()),
            "chat": chat,
            "from": {"id": self.user_id, "is_bot": False, "first_name": self.name},
            **content,
        }

    def send(self, text: str) -> int:
        content: dict[str, Any] = {"text": text}
        if text.startswith("/"):
            length = len(text.split()[0])
            content["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
        return self.server.push_update({"message": self._message(**content)})

    def send_document(self, name: str, data: bytes, mime: str = "", caption: str = "") -> int:
        file_id = self.server.store_file(data, name)
        document = {
            "file_id": file_id,
            "file_unique_id": f"U{file_id}",
            "file_name": name,
            "file_size": len(data),
        }
        if mime:
            document["mime_type"] = mime
        content: dict[str, Any] = {"document": document}
        if caption:
            content["caption"] = caption
        return self.server.push_update({"message": self._message(**content)})

    def block(self) -> int:
        """The user blocks the bot: sends to them fail with 403, and the bot is told."""
        self.server.blocked.add(self.chat_id)
        return self._membership("member", "kicked")

    def unblock(self) -> int:
        self.server.blocked.discard(self.chat_id)
        return self._membership("kicked", "member")

    def _membership(self, old: str, new: str) -> int:
        bot = {"id": self.server.bot_id, "is_bot": True, "first_name": "Cụm thi đua"}
        change = {
            "chat": self._message()["chat"],
            "from": {"id": self.user_id, "is_bot": False, "first_name": self.name},
            "date": int(time.time()),
            "old_chat_member": {"status": old, "user": bot}
            | ({"until_date": 0} if old == "kicked" else {}),
            "new_chat_member": {"status": new, "user": bot}
            | ({"until_date": 0} if new == "kicked" else {}),
        }
        return self.server.push_update({"my_chat_member": change})

    def send_sticker(self) -> int:
        sticker = {
            "file_id": "STICKER1",
            "file_unique_id": "USTICKER1",
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
        }
        return self.server.push_update({"message": self._message(sticker=sticker)})

    def press(self, message: Sent, label: str) -> int:
        """Press the button whose label contains ``label`` on a message the bot sent."""
        data = next((d for text, d in message.buttons if label in text), None)
        if data is None:
            raise AssertionError(f"no button {label!r} in {message.buttons}")
        return self.press_data(message, data)

    def press_data(self, message: Sent, data: str) -> int:
        query = {
            "id": str(next(self.server._message_ids)),
            "from": {"id": self.user_id, "is_bot": False, "first_name": self.name},
            "chat_instance": str(self.chat_id),
            "data": data,
            "message": self._message(text=message.text) | {"message_id": message.message_id},
        }
        return self.server.push_update({"callback_query": query})

    async def next_message(self, timeout: float = 10.0) -> Sent:
        """The bot's next message (or edit) in this chat; fails the test after ``timeout`` s."""
        return await asyncio.wait_for(self.server.queue(self.chat_id).get(), timeout)

    async def ask(self, text: str, timeout: float = 10.0) -> Sent:
        self.send(text)
        return await self.next_message(timeout)
