"""Self-scoring as a use case: who may score, the sheet kept in a chat draft, an incomplete sheet
refused, a sent sheet stored as the next version with the chair told, and nothing after the
lock."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import pytest

from bot.delivery.outbox import Outbox
from bot.delivery.outbox_keys import KeyPrefix, score_sent_key
from bot.domain.access import Role
from bot.domain.score_sheet import CriterionEntry, Evidence, SheetEntries
from bot.i18n import translator
from bot.services.container import Services
from bot.usecases import score_lock, self_scoring
from bot.usecases.score_lock import LockRefused
from bot.usecases.self_scoring import Incomplete, Refusal, ScoringClosed, ScoringOpen, Sent
from tests.usecases.conftest import MakeActor


def _full(services: Services) -> SheetEntries:
    table = services.cluster_year.scoring
    assert table is not None
    entries = SheetEntries()
    for criterion in table.criteria():
        entries = entries.scored(criterion.code, 1.0, criterion.max)
    return entries


async def test_a_unit_sends_versions_and_the_chair_is_told(
    services: Services, actor_of: MakeActor
) -> None:
    await actor_of("TG", Role.CHAIR)
    member = await actor_of("MA", Role.MEMBER)
    opened = await self_scoring.open_scoring(services, member)
    assert isinstance(opened, ScoringOpen) and opened.last is None

    partial = SheetEntries().scored("I.1", 8.0, 8.0).noted("I.2", "xem minh chứng")
    refused = await self_scoring.send(services, member, partial)
    assert isinstance(refused, Incomplete)
    assert refused.missing[0] == "I.2" and "I.1" not in refused.missing

    entries = _full(services).with_bonus("B.1", True)
    table = opened.table
    sent = await self_scoring.send(services, member, entries)
    assert sent == Sent(1, self_scoring.total_of(table, entries))
    assert sent.total == sum(c.max for c in table.criteria()) + 10  # B.1 applies
    again = await self_scoring.open_scoring(services, member)
    assert isinstance(again, ScoringOpen) and again.last is not None
    assert again.last.version == 1 and again.last.entries == entries
    assert await self_scoring.send(services, member, entries) == Sent(2, sent.total)

    told = KeyPrefix(services.year_key(score_sent_key("MA", 1)))
    assert await services.outbox.repo.statuses(told) == {"pending": 1}  # the chair, not MA


async def test_a_sheet_and_the_chairs_notice_are_stored_together_or_not_at_all(
    services: Services, actor_of: MakeActor, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The sheet used to be committed before its notices were queued: a failure (a kill)
    between them left a version the chair never heard of."""
    await actor_of("TG", Role.CHAIR)
    member = await actor_of("MA", Role.MEMBER)
    queue_on = Outbox.queue_on

    def fails(self: Outbox, *args: Any, **kwargs: Any) -> None:
        raise OSError("the process died here")

    monkeypatch.setattr(Outbox, "queue_on", fails)
    with pytest.raises(OSError):
        await self_scoring.send(services, member, _full(services))
    assert await services.scores.latest() == {}  # no version without its notice
    monkeypatch.setattr(Outbox, "queue_on", queue_on)

    table = services.cluster_year.scoring
    assert table is not None
    sent = Sent(1, self_scoring.total_of(table, _full(services)))
    assert await self_scoring.send(services, member, _full(services)) == sent
    told = KeyPrefix(services.year_key(score_sent_key("MA", 1)))
    assert await services.outbox.repo.statuses(told) == {"pending": 1}


async def test_no_unit_or_locked_scores_refuse(services: Services, actor_of: MakeActor) -> None:
    chair = await actor_of("TG", Role.CHAIR)
    member = await actor_of("MA", Role.MEMBER)
    no_unit = replace(chair, unit_code=None, role=Role.ADMIN)
    assert await self_scoring.open_scoring(services, no_unit) is ScoringClosed.NO_SCORING
    assert await score_lock.lock(services, chair, "hội nghị tổ chức sớm") is True
    assert await score_lock.lock(services, chair, "lần nữa") is LockRefused.ALREADY  # once
    assert await score_lock.is_locked(services)
    assert await self_scoring.open_scoring(services, member) is ScoringClosed.LOCKED
    assert await self_scoring.send(services, member, _full(services)) is ScoringClosed.LOCKED
    assert await services.scores.latest() == {}
    vi = translator("vi")
    assert vi(ScoringClosed.LOCKED.value) != ScoringClosed.LOCKED.value  # a msgid, translated


def test_a_chat_draft_keeps_the_sheet_as_stored() -> None:
    entries = (
        SheetEntries()
        .scored("I.1", 7.5, 7.5)
        .with_evidence("I.1", Evidence("a" * 64, "bien-ban.pdf"))
        .noted("I.2", "chưa có số liệu")
        .with_bonus("B.1", False)
    )
    fields = self_scoring.draft_fields(entries)
    assert fields == {
        "criteria": {
            "I.1": {
                "value": 7.5,
                "points": 7.5,
                "note": "",
                "evidence": [["a" * 64, "bien-ban.pdf"]],
            },
            "I.2": {"value": None, "points": 0.0, "note": "chưa có số liệu", "evidence": []},
        },
        "bonuses": {"B.1": False},
    }
    assert self_scoring.draft_entries({"i": 3, **fields}) == entries
    assert entries.missing(["I.1", "I.2", "I.3"]) == ["I.2", "I.3"]


async def test_an_empty_evidence_file_is_refused(services: Services) -> None:
    refused = await self_scoring.keep_evidence(services, "minh-chung.pdf", b"")
    assert isinstance(refused, Refusal)
    assert "minh-chung.pdf" in refused.text(translator("vi"))


OLD_ENTRIES = {
    "criteria": {
        "I.1": {"value": 8, "points": 8},  # 0.1 kept no note or evidence for a typed value
        "I.2": {"value": None, "points": 0.0, "evidence": [["b" * 64, "anh.jpg"]], "note": "x"},
    },
}


async def test_a_sheet_stored_by_an_older_release_loads_and_is_stored_alike(
    services: Services, actor_of: MakeActor
) -> None:
    member = await actor_of("MA", Role.MEMBER)
    await services.db.execute(
        "INSERT INTO score_sheets (cluster_year_id, unit_code, version, officer_id,"
        " submitted_at, entries) VALUES (?, 'MA', 1, ?, '2022-12-01T00:00:00+00:00', ?)",
        (services.year.id, member.officer_id, json.dumps(OLD_ENTRIES)),
    )
    opened = await self_scoring.open_scoring(services, member)
    assert isinstance(opened, ScoringOpen) and opened.last is not None
    entries = opened.last.entries
    assert entries.entry("I.1") == CriterionEntry(8.0, 8.0)
    assert entries.entry("I.2") == CriterionEntry(None, 0.0, "x", (Evidence("b" * 64, "anh.jpg"),))
    assert entries.scored_points() == {"I.1": 8.0} and dict(entries.bonuses) == {}

    await self_scoring.send(services, member, _full(services).with_bonus("B.1", False))
    row = await services.db.fetchone(
        "SELECT entries FROM score_sheets WHERE unit_code = 'MA' AND version = 2"
    )
    assert row is not None
    stored = json.loads(row["entries"])
    assert set(stored) == {"criteria", "bonuses"} and stored["bonuses"] == {"B.1": False}
    assert stored["criteria"]["I.1"] == {"value": 1.0, "points": 10.0, "note": "", "evidence": []}
