"""The report draft as the conversation store keeps it: versioned JSON, and the drafts stored
before the version field still load."""

from __future__ import annotations

import json

import pytest

from bot.domain.report_draft import NOTE_CHARS, MarkDraft, ReportDraft
from bot.domain.report_status import MarkAction
from bot.domain.submissions import SubmissionFile

FILE = SubmissionFile("ab" * 32, "bao-cao.pdf", 1234, "pdf", 3, "bản ký")

OLD_DRAFT = (
    '{"files": [{"sha256": "' + "ab" * 32 + '", "name": "bao-cao.pdf", "size": 1234, '
    '"kind": "pdf", "pages": 3, "caption": "bản ký"}], "note": "Gửi kèm phụ lục", '
    '"key": "0f1e2d3c4b5a6978", "deliverable": "bc-6-thang", "needs_link": true}'
)
"""A draft as the report flow stored it before drafts had a version (a plain dict)."""


def test_a_draft_stored_without_a_version_loads_with_every_field() -> None:
    draft = ReportDraft.from_json(json.loads(OLD_DRAFT))
    assert draft == ReportDraft(
        key="0f1e2d3c4b5a6978",
        deliverable="bc-6-thang",
        files=(FILE,),
        note="Gửi kèm phụ lục",
        needs_link=True,
    )


def test_a_fresh_old_draft_has_no_report_and_no_files_yet() -> None:
    draft = ReportDraft.from_json({"files": [], "note": "", "key": "k"})
    assert draft == ReportDraft(key="k")


def test_a_draft_round_trips_through_json_with_its_version() -> None:
    draft = ReportDraft(key="k", deliverable="bc-nam", files=(FILE,), note="n")
    stored = json.loads(json.dumps(draft.to_json(), ensure_ascii=False))
    assert stored["version"] == ReportDraft.VERSION == 1
    assert ReportDraft.from_json(stored) == draft


def test_a_draft_of_a_newer_release_is_not_misread() -> None:
    with pytest.raises(ValueError, match="unknown version"):
        ReportDraft.from_json(ReportDraft(key="k").to_json() | {"version": 2})


def test_a_file_is_kept_once_and_the_note_grows_within_its_bound() -> None:
    draft = ReportDraft(key="k").with_file(FILE)
    assert draft.with_file(FILE) is draft
    assert draft.holds(FILE.sha256) and not draft.holds("cd" * 32)
    noted = draft.with_note("một").with_note("").with_note("hai")
    assert noted.note == "một\nhai"
    assert len(noted.with_note("x" * 3000).note) == NOTE_CHARS


def test_a_mark_draft_stored_without_a_version_loads() -> None:
    old = json.loads('{"status": "reopened", "unit": "MA", "deliverable": "bc-6-thang"}')
    draft = MarkDraft.from_json(old)
    assert draft == MarkDraft(MarkAction.REOPEN, "MA", "bc-6-thang")
    assert draft.to_json() == old | {"version": MarkDraft.VERSION}
    assert MarkDraft.from_json(draft.to_json()) == draft
    with pytest.raises(ValueError, match="unknown version"):
        MarkDraft.from_json(old | {"version": 9})
