"""Outbox keys, built and parsed here only.

A key makes a proactive message unique (enqueueing the same key twice sends once), and a key's
start names a family of rows that the outbox is asked about (how far an announcement got, what
to cancel). The shapes, kept as they have been stored since 0.1:

- ``y<year>:<key>``: a message about one cluster-year (codes and versions repeat yearly);
- ``<key>:<channel>:<chat>``: one recipient chat of a notice to officers;
- ``ann:<id>:<channel>:<chat>``: one recipient of an announcement; ``annp:<id>`` the chair's
  progress message, ``annf:<id>`` the final summary;
- ``remind:<key>``: a reminder rung (inside a year key);
- ``journal:<channel>:<chat>:<token>``: the held copy of a direct reply that carries a result,
  ``reply:<channel>:<chat>:<batch>:<n>`` a direct reply that could not be sent at once;
- the notices of scoring and of linked groups below.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from storage.outbox import KeyPrefix

__all__ = [
    "JOURNAL",
    "AnnouncementKey",
    "KeyPrefix",
    "announcement_key",
    "announcement_prefix",
    "announcement_progress_key",
    "announcement_progress_prefix",
    "announcement_summary_key",
    "deferred_reply_key",
    "explanation_key",
    "group_unlinked_key",
    "journal_key",
    "nudge_key",
    "parse_announcement_key",
    "parse_year_key",
    "ranking_group_key",
    "ranking_published_key",
    "recipient_key",
    "reminder_key",
    "score_form_read_key",
    "score_reviewed_key",
    "score_sent_key",
    "scoring_changed_key",
    "year_key",
    "year_prefix",
]

ANNOUNCEMENT = "ann"
PROGRESS = "annp"
SUMMARY = "annf"


def year_prefix(year_id: int) -> KeyPrefix:
    return KeyPrefix(f"y{year_id}:")


def year_key(year_id: int, key: str) -> str:
    """``key`` made unique to one cluster-year."""
    return f"{year_prefix(year_id)}{key}"


def parse_year_key(key: str) -> tuple[int, str] | None:
    """(cluster-year id, the key inside) of a year key; None for any other key."""
    head, sep, rest = key.partition(":")
    if not sep or not head.startswith("y") or not head[1:].isdigit():
        return None
    return int(head[1:]), rest


JOURNAL = KeyPrefix("journal:")
"""Every journaled copy of a direct reply."""


def journal_key(channel: str, chat_id: str, token: str) -> str:
    return f"{JOURNAL}{channel}:{chat_id}:{token}"


def deferred_reply_key(channel: str, chat_id: str, batch: str, n: int) -> str:
    """The ``n``-th of a batch of direct replies queued because the platform failed them."""
    return f"reply:{channel}:{chat_id}:{batch}:{n}"


def recipient_key(key: str, channel: str, chat_id: str) -> str:
    """One recipient chat of the notice ``key``."""
    return f"{key}:{channel}:{chat_id}"


def reminder_key(rung_key: str) -> str:
    return f"remind:{rung_key}"


def nudge_key(deliverable: str, unit_code: str, day: date) -> str:
    """The chair's reminder of one unit's report on one day (inside a year key)."""
    return f"nudge:{deliverable}:{unit_code}:{day.isoformat()}"


@dataclass(frozen=True, slots=True)
class AnnouncementKey:
    announcement_id: int
    channel: str
    chat_id: str


def announcement_key(announcement_id: int, channel: str, chat_id: str) -> str:
    return f"{announcement_prefix(announcement_id)}{channel}:{chat_id}"


def announcement_prefix(announcement_id: int) -> KeyPrefix:
    """Every recipient of one announcement (not its progress message nor its summary)."""
    return KeyPrefix(f"{ANNOUNCEMENT}:{announcement_id}:")


def parse_announcement_key(key: str) -> AnnouncementKey | None:
    """The recipient an announcement key names; None for any other key."""
    kind, _, rest = key.partition(":")
    number, _, chat = rest.partition(":")
    channel, sep, chat_id = chat.partition(":")
    if kind != ANNOUNCEMENT or not number.isdigit() or not sep or not channel or not chat_id:
        return None
    return AnnouncementKey(int(number), channel, chat_id)


def announcement_progress_key(announcement_id: int) -> str:
    return f"{PROGRESS}:{announcement_id}"


def announcement_progress_prefix(announcement_id: int) -> KeyPrefix:
    """The progress message of one announcement, as the cancelling has always asked for it."""
    return KeyPrefix(announcement_progress_key(announcement_id))


def announcement_summary_key(announcement_id: int) -> str:
    return f"{SUMMARY}:{announcement_id}"


def score_sent_key(unit_code: str, version: int) -> str:
    """The chair's notice of a unit's sent self-score (inside a year key)."""
    return f"scored:{unit_code}:{version}"


def score_form_read_key(link_hash: str) -> str:
    """The answer, in chat, to a score form uploaded through one link (inside a year key)."""
    return f"scoreform:{link_hash[:16]}"


def scoring_changed_key(version: int) -> str:
    """Every unit's notice that the scoring table changed to a new version (inside a year key)."""
    return f"scoring:{version}"


def score_reviewed_key(unit_code: str, criterion: str, at: datetime) -> str:
    """The unit's notice of the chair's review of one criterion."""
    return f"reviewed:{unit_code}:{criterion}:{at.isoformat()}"


def explanation_key(unit_code: str, criterion: str, at: datetime) -> str:
    """The chair's notice of a unit's explanation."""
    return f"explained:{unit_code}:{criterion}:{at.isoformat()}"


def ranking_published_key() -> str:
    """The officers' notice of the published ranking (inside a year key)."""
    return "ranking:published"


def ranking_group_key(channel: str, chat_id: str) -> str:
    """A linked group's copy of the published ranking (inside a year key)."""
    return f"{ranking_published_key()}:{channel}:{chat_id}"


def group_unlinked_key(channel: str, chat_id: str, at: datetime) -> str:
    """The chair's notice that the bot was removed from a linked group."""
    return f"unlinked:{channel}:{chat_id}:{at.isoformat()}"
