"""What grows without end, forgotten after its retention: settled outbox rows, remembered
deliveries, expired drafts, option tokens, one-time links, web sign-in links and sessions,
revoked calendar tokens. Deleted in small batches (each its own short transaction) so that
officers' writes never wait long behind a prune. Never touched here: the audit log,
submissions and their files, score sheets, reviews, ballots and rounds, pending outbox rows."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from storage.database import Database
from storage.timestamps import to_db

__all__ = ["BATCH", "Prunable", "prune"]

BATCH = 5_000
"""Rows deleted in one transaction."""


class Prunable(StrEnum):
    OUTBOX = "outbox"
    SEEN_UPDATES = "seen_updates"
    CONVERSATIONS = "conversations"
    OPTION_TOKENS = "option_tokens"
    LINKS = "links"
    WEB_SIGNIN_LINKS = "web_signin_links"
    WEB_SESSIONS = "web_sessions"
    CALENDAR_TOKENS = "calendar_tokens"


_OLD_ROWS = {
    Prunable.OUTBOX: "status <> 'pending' AND COALESCE(sent_at, created_at) < ?",
    Prunable.SEEN_UPDATES: "seen_at < ?",
    Prunable.CONVERSATIONS: "expires_at < ?",
    Prunable.OPTION_TOKENS: "expires_at < ?",
    Prunable.LINKS: "expires_at < ?",
    Prunable.WEB_SIGNIN_LINKS: "expires_at < ?",
    Prunable.WEB_SESSIONS: "COALESCE(ended_at, seen_at) < ?",
    Prunable.CALENDAR_TOKENS: "revoked_at IS NOT NULL AND revoked_at < ?",
}
"""Which rows of each table are past keeping, given the cut-off time."""
_KEYS = {Prunable.SEEN_UPDATES: "channel, update_key"}
"""A row's key where it is not the rowid (a table WITHOUT ROWID)."""


async def prune(db: Database, table: Prunable, before: datetime, batch: int = BATCH) -> int:
    """Delete the rows of ``table`` older than ``before``; returns how many."""
    key = _KEYS.get(table, "rowid")
    sql = (  # the table and the clauses are ours, never a user's
        f"DELETE FROM {table} WHERE ({key}) IN"
        f" (SELECT {key} FROM {table} WHERE {_OLD_ROWS[table]} LIMIT ?)"
    )
    total = 0
    while True:
        async with db.transaction() as conn:
            cur = await conn.execute(sql, (to_db(before), batch))
            deleted = cur.rowcount
        total += deleted
        if deleted < batch:
            return total
