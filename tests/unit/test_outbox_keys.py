"""Outbox keys keep the shapes stored since 0.1, parse back, and a family's prefix takes in its
own rows only."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.delivery import outbox_keys
from bot.delivery.outbox_keys import AnnouncementKey


def test_year_keys_round_trip() -> None:
    key = outbox_keys.year_key(7, outbox_keys.score_sent_key("MA", 2))
    assert key == "y7:scored:MA:2"
    assert key.startswith(outbox_keys.year_prefix(7))
    assert not outbox_keys.year_key(70, "x").startswith(outbox_keys.year_prefix(7))
    assert outbox_keys.parse_year_key(key) == (7, "scored:MA:2")
    for other in ("ann:1:telegram:5", "yx:1", "y7", "journal:telegram:1:ab"):
        assert outbox_keys.parse_year_key(other) is None


def test_announcement_keys_round_trip() -> None:
    key = outbox_keys.announcement_key(1, "zalo", "abc:def")
    assert key == "ann:1:zalo:abc:def"
    assert outbox_keys.parse_announcement_key(key) == AnnouncementKey(1, "zalo", "abc:def")
    assert key.startswith(outbox_keys.announcement_prefix(1))
    assert not outbox_keys.announcement_key(10, "zalo", "1").startswith(
        outbox_keys.announcement_prefix(1)
    )
    for other in ("annp:1", "annf:1", "ann:x:zalo:1", "ann:1:zalo", "ann:1::1", "y1:ann:1:a:b"):
        assert outbox_keys.parse_announcement_key(other) is None
    assert outbox_keys.announcement_progress_key(3) == "annp:3"
    assert outbox_keys.announcement_summary_key(3) == "annf:3"


def test_notice_keys_keep_their_shapes() -> None:
    at = datetime(2022, 12, 1, 8, 30, tzinfo=UTC)
    assert outbox_keys.recipient_key("y1:ranking:published", "telegram", "42") == (
        "y1:ranking:published:telegram:42"
    )
    assert outbox_keys.ranking_group_key("telegram", "-100") == "ranking:published:telegram:-100"
    assert outbox_keys.reminder_key("T1:MA:0") == "remind:T1:MA:0"
    assert outbox_keys.score_reviewed_key("MA", "I.1", at) == (
        "reviewed:MA:I.1:2022-12-01T08:30:00+00:00"
    )
    assert outbox_keys.explanation_key("MA", "I.1", at).startswith("explained:MA:I.1:2022-12-01")
    assert outbox_keys.group_unlinked_key("zalo", "g1", at).startswith("unlinked:zalo:g1:")


def test_direct_reply_keys() -> None:
    key = outbox_keys.journal_key("telegram", "4100", "ab12")
    assert key == "journal:telegram:4100:ab12" and key.startswith(outbox_keys.JOURNAL)
    deferred = outbox_keys.deferred_reply_key("zalo", "u1", "cd34", 2)
    assert deferred == "reply:zalo:u1:cd34:2" and not deferred.startswith(outbox_keys.JOURNAL)
