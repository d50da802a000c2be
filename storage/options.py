"""Opaque option ids: what a button carries instead of its meaning, bound to one chat and, when
shown in answer to someone, to that person (in a group, another member's press does nothing)."""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.domain.bounded import BoundedMap
from storage.database import Database, Writes
from storage.timestamps import to_db

__all__ = ["MenuOption", "OptionRepository", "Pressed"]

TOKEN_BYTES = 6  # 8 URL-safe characters: far below Telegram's 64-byte callback limit


@dataclass(frozen=True, slots=True)
class MenuOption:
    token: str
    label: str
    value: str


@dataclass(frozen=True, slots=True)
class Pressed:
    """What a pressed token stands for: its value, or None; ``foreign`` when it was shown to
    somebody else in the same chat."""

    value: str | None
    foreign: bool = False


class OptionRepository:
    def __init__(self, db: Database, lifetime: timedelta, cached: int = 10_000) -> None:
        self._db = db
        self._lifetime = lifetime
        self._menus: BoundedMap[tuple[str, str, str], bool] = BoundedMap(cached)
        """Whether a person ('' for the whole chat) may have a last menu in a chat, as far as
        this process (the only writer) knows; a person not in it may."""

    async def issue(
        self,
        channel: str,
        chat_id: str,
        choices: list[tuple[str, str]],
        now: datetime,
        numbered: bool = True,
        user_id: str = "",
    ) -> list[MenuOption]:
        """Store a menu of (label, value) shown to ``user_id`` in a chat ('' for the whole chat);
        it becomes that person's last menu there."""
        writes = Writes()
        menu = self.issue_into(writes, channel, chat_id, choices, now, numbered, user_id)
        await self._db.commit(writes)
        return menu

    def issue_into(
        self,
        writes: Writes,
        channel: str,
        chat_id: str,
        choices: list[tuple[str, str]],
        now: datetime,
        numbered: bool = True,
        user_id: str = "",
    ) -> list[MenuOption]:
        """:meth:`issue`, its statements added to ``writes`` (the menu counts once committed)."""
        expires = to_db(now + self._lifetime)
        menu = [
            MenuOption(secrets.token_urlsafe(TOKEN_BYTES), label, value) for label, value in choices
        ]
        menu_id = time.time_ns()  # increasing per chat, with no query for the last one
        writes.add_many(
            "INSERT INTO option_tokens"
            " (token, channel, chat_id, user_id, value, label, menu_id, position, expires_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (o.token, channel, chat_id, user_id, o.value, o.label, menu_id, i, expires)
                for i, o in enumerate(menu, start=1)
            ],
        )
        writes.add(
            "INSERT INTO last_menus (channel, chat_id, user_id, menu_id, numbered)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (channel, chat_id, user_id) DO UPDATE"
            " SET menu_id = excluded.menu_id, numbered = excluded.numbered",
            (channel, chat_id, user_id, menu_id, int(numbered)),
        )
        writes.on_commit(lambda: self._menus.__setitem__((channel, chat_id, user_id), True))
        return menu

    async def resolve(
        self, channel: str, chat_id: str, token: str, now: datetime, user_id: str | None = None
    ) -> str | None:
        """The value behind a pressed button, or None when forged, foreign or expired."""
        return (await self.press(channel, chat_id, token, now, user_id or chat_id)).value

    async def press(
        self, channel: str, chat_id: str, token: str, now: datetime, user_id: str
    ) -> Pressed:
        """A press of ``token`` by ``user_id`` in a chat: the value when the button was shown in
        this chat to this person (or to the whole chat) and has not expired."""
        row = await self._db.fetchone(
            "SELECT value, user_id FROM option_tokens WHERE token = ? AND channel = ?"
            " AND chat_id = ? AND expires_at > ?",
            (token, channel, chat_id, to_db(now)),
        )
        if row is None:
            return Pressed(None)
        if row["user_id"] not in ("", user_id):
            return Pressed(None, foreign=True)
        return Pressed(row["value"])

    async def last_menu(
        self, channel: str, chat_id: str, now: datetime, user_id: str | None = None
    ) -> tuple[list[MenuOption], bool]:
        """The person's last menu in a chat (or the chat's own, if newer) and whether its
        options may be chosen by number."""
        person, chat = (channel, chat_id, user_id or chat_id), (channel, chat_id, "")
        if self._menus.get(person) is False and self._menus.get(chat) is False:
            return [], True
        rows = await self._db.fetchall(
            "SELECT t.token, t.label, t.value, m.numbered FROM option_tokens t JOIN last_menus m"
            " ON m.channel = t.channel AND m.chat_id = t.chat_id AND m.menu_id = t.menu_id"
            " WHERE m.channel = ? AND m.chat_id = ? AND m.user_id IN (?, '')"
            " AND t.expires_at > ? AND m.menu_id = (SELECT MAX(menu_id) FROM last_menus"
            " WHERE channel = ? AND chat_id = ? AND user_id IN (?, ''))"
            " ORDER BY t.position",
            (
                channel,
                chat_id,
                user_id or chat_id,
                to_db(now),
                channel,
                chat_id,
                user_id or chat_id,
            ),
        )
        numbered = bool(rows[0]["numbered"]) if rows else True
        return [MenuOption(r["token"], r["label"], r["value"]) for r in rows], numbered

    async def forget_last_menu(
        self, channel: str, chat_id: str, user_id: str | None = None
    ) -> None:
        writes = Writes()
        self.forget_last_menu_into(writes, channel, chat_id, user_id)
        await self._db.commit(writes)

    def forget_last_menu_into(
        self, writes: Writes, channel: str, chat_id: str, user_id: str | None = None
    ) -> None:
        """Forget the person's last menu in a chat (and the chat's own); nothing is written
        when this process knows the chat has no menu left to forget."""
        person, chat = (channel, chat_id, user_id or chat_id), (channel, chat_id, "")
        if self._menus.get(person) is False and self._menus.get(chat) is False:
            return
        writes.add(
            "DELETE FROM last_menus WHERE channel = ? AND chat_id = ? AND user_id IN (?, '')",
            person,
        )

        def forgotten() -> None:
            self._menus[person] = self._menus[chat] = False

        writes.on_commit(forgotten)
