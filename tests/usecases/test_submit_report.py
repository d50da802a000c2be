"""The submit use case, called directly: the chat's door (take files into a draft, submit it)
and the upload link's door go the same road to the same submission and receipt."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, replace
from datetime import timedelta
from pathlib import Path

import pytest

from bot.delivery.outbox import decode_reply
from bot.domain.access import Actor, Role
from bot.domain.report_draft import ReportDraft
from bot.domain.submissions import Submission
from bot.services.container import Services
from bot.services.intake import NOT_ACCEPTED
from bot.texts.receipts import receipt_text
from bot.usecases.one_time_links import upload_url
from bot.usecases.submit_report import (
    NOT_OWED,
    FileHeld,
    FileTaken,
    LinkProblem,
    NothingAccepted,
    Refusal,
    Submitted,
    UploadLink,
    new_draft,
    open_upload,
    pending_draft,
    report_choices,
    submit,
    submit_by_link,
    take_file,
)
from storage.conversations import ConversationState
from storage.submissions import SubmissionRepository
from tests.documents import pdf_bytes
from tests.usecases.officers import join

SIX = "bc-6-thang"
EXE = b"MZ\x90\x00" * 100


@dataclass(frozen=True)
class Sent:
    """A file as the web server hands it over: streamed to an incoming file of the store."""

    name: str
    path: Path


def _sent(services: Services, name: str, data: bytes) -> Sent:
    services.settings.files_dir.mkdir(parents=True, exist_ok=True)
    fd, path = tempfile.mkstemp(dir=services.settings.files_dir, prefix=".incoming-")
    with os.fdopen(fd, "wb") as out:
        out.write(data)
    return Sent(name, Path(path))


async def _people(services: Services) -> tuple[Actor, Actor]:
    chair = await join(services, "c1", "TG", Role.CHAIR)
    member = await join(services, "m1", "MA", Role.MEMBER)
    return chair, member


async def _draft(services: Services, *files: tuple[str, bytes]) -> ReportDraft:
    draft = new_draft(SIX)
    for name, data in files:
        taken = await take_file(services, draft, name, data)
        assert isinstance(taken, FileTaken)
        draft = taken.draft
    return draft


async def _token(services: Services, officer: Actor, deliverable: str = SIX) -> str:
    url = await upload_url(services, officer.officer_id, deliverable, "memory", "m1")
    return url.rsplit("/", 1)[1]


async def _link(services: Services, member: Actor) -> UploadLink:
    upload = await open_upload(services, await _token(services, member))
    assert isinstance(upload, UploadLink)
    return upload


async def _outbox(services: Services) -> dict[str, str]:
    """Every queued message's text, by outbox key."""
    rows = await services.db.fetchall("SELECT key, payload FROM outbox")
    return {r["key"]: decode_reply(r["payload"], services.files).text for r in rows}


async def test_a_draft_takes_each_content_once_and_refuses_what_is_not_a_document(
    services: Services,
) -> None:
    pdf = pdf_bytes(2)
    taken = await take_file(services, new_draft(SIX), "bao-cao.pdf", pdf, "bản ký")
    assert isinstance(taken, FileTaken)
    assert (taken.file.name, taken.file.kind, taken.file.pages) == ("bao-cao.pdf", "pdf", 2)
    assert taken.draft.files == (taken.file,) and taken.file.caption == "bản ký"
    assert services.files.read(taken.file.sha256) == pdf

    again = await take_file(services, taken.draft, "ban-sao.pdf", pdf)
    assert again == FileHeld("ban-sao.pdf")

    refused = await take_file(services, taken.draft, "bao-cao.pdf", EXE)
    assert isinstance(refused, Refusal) and refused.message == NOT_ACCEPTED


async def test_the_chat_door_submits_a_draft_once_and_tells_the_chair(
    services: Services,
) -> None:
    _chair, member = await _people(services)
    draft = (await _draft(services, ("a.pdf", pdf_bytes(1)), ("A.pdf", pdf_bytes(2)))).with_note(
        "Bản chính thức"
    )
    done = await submit(services, member, "memory", "m1", draft)
    assert isinstance(done, Submitted) and done.deliverable.code == SIX
    submission = done.submission
    assert (submission.unit_code, submission.version) == ("MA", 1)
    assert submission.note == "Bản chính thức"
    assert [f.name for f in submission.files] == ["a.pdf", "A (2).pdf"]  # names made unique
    assert submission.officer_id == member.officer_id and submission.days_late == 0

    twice = await submit(services, member, "memory", "m1", draft)
    assert isinstance(twice, Submitted) and twice.submission.id == submission.id
    assert len(await services.submissions.history()) == 1
    notices = {k: t for k, t in (await _outbox(services)).items() if ":submitted:" in k}
    assert list(notices.values()) == [
        "📥 Huyện Mường Ảng (MA) đã nộp Báo cáo kết quả thi đua, khen thưởng 6 tháng đầu năm "
        "2022 (lần 1, 2 tệp): đúng hạn."
    ]
    assert all(k.endswith(":memory:c1") for k in notices)  # to the chair's chat
    choices = await report_choices(services, member)
    assert [(c.deliverable.code, c.done) for c in choices] == [("bc-nam", False), (SIX, True)]


async def test_a_report_the_unit_does_not_owe_is_refused_and_nothing_stored(
    services: Services,
) -> None:
    _chair, member = await _people(services)
    draft = replace(await _draft(services, ("a.pdf", pdf_bytes(1))), deliverable="khong-co")
    refused = await submit(services, member, "memory", "m1", draft)
    assert refused == Refusal(NOT_OWED)
    assert await services.submissions.history() == []


async def test_an_upload_checks_every_file_before_it_spends_its_link(services: Services) -> None:
    _chair, member = await _people(services)
    token = await _token(services, member)
    upload = await open_upload(services, token)
    assert isinstance(upload, UploadLink)

    nothing = await submit_by_link(services, upload, [_sent(services, "x.pdf", EXE)], "")
    assert isinstance(nothing, NothingAccepted)
    assert [r.message for r in nothing.refused] == [NOT_ACCEPTED]
    assert await services.submissions.history() == []
    assert await open_upload(services, token) == upload  # not spent

    pdf = pdf_bytes(1)
    files = [
        _sent(services, "x.pdf", EXE),
        _sent(services, "bc.pdf", pdf),
        _sent(services, "bc-copy.pdf", pdf),
    ]
    done = await submit_by_link(services, upload, files, "Gửi qua trang")
    assert isinstance(done, Submitted) and [r.name for r in done.refused] == ["x.pdf"]
    assert [f.name for f in done.submission.files] == ["bc.pdf"]  # the same content once
    assert done.submission.note == "Gửi qua trang"

    again = [_sent(services, "bc.pdf", pdf)]
    assert await submit_by_link(services, upload, again, "") is LinkProblem.USED
    assert await open_upload(services, token) is LinkProblem.USED
    assert len(await services.submissions.history()) == 1


async def test_an_upload_finishes_the_chat_draft_of_that_report_and_receipts_the_chat(
    services: Services,
) -> None:
    _chair, member = await _people(services)
    now = services.clock.now()
    chat_draft = new_draft(SIX)
    state = ConversationState(ReportDraft.FLOW, "files", chat_draft.to_json())
    await services.conversations.save("memory", "m1", state, now, now + timedelta(hours=24))
    assert await pending_draft(services, "memory", "m1") == chat_draft

    done = await submit_by_link(
        services, await _link(services, member), [_sent(services, "a.pdf", b"")], ""
    )
    assert isinstance(done, NothingAccepted)  # an empty file: the chat's draft stays
    assert await pending_draft(services, "memory", "m1") == chat_draft

    done = await submit_by_link(
        services, await _link(services, member), [_sent(services, "a.pdf", pdf_bytes(1))], ""
    )
    assert isinstance(done, Submitted)
    assert await pending_draft(services, "memory", "m1") is None
    receipt = (await _outbox(services))[f"receipt:{done.submission.id}"]
    assert receipt.startswith("BIÊN NHẬN") and "Lần nộp: 1" in receipt


async def test_an_upload_leaves_the_chat_draft_of_another_report(services: Services) -> None:
    _chair, member = await _people(services)
    now = services.clock.now()
    other = new_draft("bc-nam")
    state = ConversationState(ReportDraft.FLOW, "files", other.to_json())
    await services.conversations.save("memory", "m1", state, now, now + timedelta(hours=24))
    done = await submit_by_link(
        services, await _link(services, member), [_sent(services, "a.pdf", pdf_bytes(1))], ""
    )
    assert isinstance(done, Submitted)
    assert await pending_draft(services, "memory", "m1") == other


async def test_both_doors_make_the_same_submission_and_receipt(services: Services) -> None:
    _chair, member = await _people(services)
    pdf = pdf_bytes(3)
    by_chat = await submit(
        services, member, "memory", "m1", await _draft(services, ("bc.pdf", pdf))
    )
    upload = await _link(services, member)
    by_link = await submit_by_link(services, upload, [_sent(services, "bc.pdf", pdf)], "")
    assert isinstance(by_chat, Submitted) and isinstance(by_link, Submitted)
    first, second = by_chat.submission, by_link.submission
    assert second.version == first.version + 1
    assert replace(second, id=first.id, version=first.version) == first
    cluster, deliverable = by_chat.cluster, by_chat.deliverable
    assert (by_link.cluster, by_link.deliverable) == (cluster, deliverable)

    def receipt(submission: Submission) -> str:
        return receipt_text(cluster, deliverable, submission, lambda s: s, "vi")

    assert receipt(replace(second, version=first.version)) == receipt(first)


async def test_a_link_unknown_or_for_a_report_the_unit_does_not_owe_is_refused(
    services: Services,
) -> None:
    chair, member = await _people(services)
    assert await open_upload(services, "khong-phai-ma") is LinkProblem.UNKNOWN
    assert await open_upload(services, await _token(services, member, "khong-co")) is (
        LinkProblem.UNKNOWN
    )
    assert await open_upload(services, await _token(services, chair)) is LinkProblem.UNKNOWN


async def test_an_upload_that_dies_before_its_submission_is_stored_leaves_its_link_usable(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 29: the link used to be spent in a transaction of its own, so a crash before the
    submission was stored left a spent link, no submission and no receipt."""
    _chair, member = await _people(services)
    token = await _token(services, member)
    upload = await open_upload(services, token)
    assert isinstance(upload, UploadLink)
    select = SubmissionRepository._select

    def dies(self: SubmissionRepository, *args: object) -> list[Submission]:
        """After the submission's rows are written, inside its transaction."""
        monkeypatch.setattr(SubmissionRepository, "_select", select)
        raise OSError("the process died here")

    monkeypatch.setattr(SubmissionRepository, "_select", dies)
    files = [Sent("bc.pdf", pdf_bytes(1))]
    with pytest.raises(OSError):
        await submit_by_link(services, upload, files, "")
    assert await services.submissions.history() == []
    assert await open_upload(services, token) == upload  # not spent: the form can be sent again
    assert not any(key.startswith("receipt:") for key in await _outbox(services))

    done = await submit_by_link(services, upload, files, "")
    assert isinstance(done, Submitted) and done.submission.version == 1
    assert f"receipt:{done.submission.id}" in await _outbox(services)
    assert len(await services.submissions.history()) == 1
