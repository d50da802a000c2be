"""Submitting a report (or inspection minutes), through either door: the chat's report flow or an
upload link's page. The one road: each file is checked by its content and stored once, kept once
per draft, and the draft is submitted as the unit's next version of the report; the chair is
told and the sender gets a receipt. An upload finishes the chat's own draft of the same report.
"""

from __future__ import annotations

import secrets
import sqlite3
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import BinaryIO, Protocol, TypeVar

from bot.domain.access import Actor
from bot.domain.cluster import Cluster, Deliverable
from bot.domain.file_names import unique_names
from bot.domain.messages import Reply
from bot.domain.report_draft import NOTE_CHARS, ReportDraft
from bot.domain.report_status import cell, days_late, owed_by, owed_report
from bot.domain.submissions import Submission, SubmissionFile
from bot.i18n import N_, translator
from bot.services.container import Services
from bot.services.intake import CheckedFile, Refusal, check_file, store_file
from bot.services.notices import Recipient, notify_on, recipients
from bot.texts.receipts import receipt_text, submitted_notice
from bot.usecases.cross_inspection import InspectedChats, inspected_chats, tell_inspected_on
from bot.usecases.one_time_links import Link, LinkKind, LinkProblem, check_link
from bot.usecases.report_progress import today
from storage.database import Writes

__all__ = [
    "FileHeld",
    "FileSource",
    "FileTaken",
    "LinkProblem",
    "NothingAccepted",
    "Refusal",
    "ReportChoice",
    "ReportDraft",
    "Submitted",
    "UploadLink",
    "begin_upload",
    "new_draft",
    "open_upload",
    "pending_draft",
    "report_choices",
    "submit",
    "submit_by_link",
    "submit_from_page",
    "take_file",
    "upload_spool",
]

T = TypeVar("T")

NOT_OWED = N_("Your unit does not owe this report. Please start again with /nopbaocao.")


@dataclass(frozen=True, slots=True)
class ReportChoice:
    deliverable: Deliverable
    done: bool
    """Sent already (or excused): sending again makes a new version."""


@dataclass(frozen=True, slots=True)
class FileTaken:
    draft: ReportDraft
    """The draft with the file added."""
    file: SubmissionFile


@dataclass(frozen=True, slots=True)
class FileHeld:
    """The draft holds a file of the same content already; it is kept once."""

    name: str


@dataclass(frozen=True, slots=True)
class Submitted:
    cluster: Cluster
    deliverable: Deliverable
    submission: Submission
    refused: tuple[Refusal, ...] = ()
    """The files of an upload that were refused (the others were submitted)."""


@dataclass(frozen=True, slots=True)
class NothingAccepted:
    """No file of the upload passed the checks: nothing is stored and the link is not spent."""

    refused: tuple[Refusal, ...]


@dataclass(frozen=True, slots=True)
class UploadLink:
    """An upload link not used yet: who sends which report, and from which chat."""

    link: Link
    actor: Actor
    deliverable: Deliverable


class FileSource(Protocol):
    """A file received by the web server: streamed to an incoming file of the file store
    (see :func:`upload_spool`), checked there and moved into the store if accepted."""

    name: str
    path: Path


def new_draft(deliverable: str | None = None) -> ReportDraft:
    return ReportDraft(key=secrets.token_hex(8), deliverable=deliverable)


def _owed(services: Services, actor: Actor, code: str | None) -> Deliverable | None:
    """The report of this code if the actor's unit owes it in the services' year."""
    if actor.unit_code is None:
        return None
    return owed_report(services.cluster_year, actor.unit_code, code)


# Queries ------------------------------------------------------------------------------------


async def report_choices(services: Services, actor: Actor) -> list[ReportChoice]:
    """The reports the actor's unit owes, open ones first, nearest due first."""
    if actor.unit_code is None:
        return []
    year = services.cluster_year
    as_of = today(services)
    latest = await services.submissions.latest()
    marks = await services.submissions.marks()
    key = actor.unit_code
    choices = [
        ReportChoice(
            d, cell(d.due, as_of, latest.get((d.code, key)), marks.get((d.code, key))).done
        )
        for d in owed_by(year, key)
    ]
    return sorted(choices, key=lambda c: (c.done, c.deliverable.due))


async def pending_draft(services: Services, channel: str, chat_id: str) -> ReportDraft | None:
    """The report draft this private chat has under way, if any."""
    state = await services.conversations.get(channel, chat_id)
    if state is None or state.flow != ReportDraft.FLOW:
        return None
    return ReportDraft.from_json(state.data)


async def open_upload(services: Services, token: str) -> UploadLink | LinkProblem:
    """The upload link behind ``token``, if it can still be used by its officer."""
    link = await check_link(services, token, LinkKind.UPLOAD)
    if isinstance(link, LinkProblem):
        return link
    if link.attempts >= services.settings.upload_link_attempts:
        return LinkProblem.TRIED
    year = _year_of(services, link)
    officer = await year.officers.get(link.officer_id) if link.officer_id else None
    if officer is None:
        return LinkProblem.UNKNOWN
    actor = Actor(officer.id, officer.name, officer.unit_code, officer.role)
    deliverable = _owed(year, actor, link.deliverable)
    if deliverable is None:
        return LinkProblem.UNKNOWN
    return UploadLink(link, actor, deliverable)


async def begin_upload(services: Services, upload: UploadLink) -> LinkProblem | None:
    """Spend one of the link's attempts on an upload about to be received (junk files, cut off
    and refused uploads spend theirs too); the problem when none is left or it was used."""
    year = _year_of(services, upload.link)
    return await year.links.attempt(upload.link, services.settings.upload_link_attempts)


def upload_spool(services: Services) -> AbstractContextManager[BinaryIO]:
    """A new incoming file of the file store to stream one uploaded file into (nothing of it is
    held in memory); removed when the block ends unless :func:`submit_by_link` stored it."""
    return services.files.incoming()


def _year_of(services: Services, link: Link) -> Services:
    """The services of the cluster-year the link was made in."""
    return services if link.cluster_year_id is None else services.scoped(link.cluster_year_id)


# The chat's door ----------------------------------------------------------------------------


async def take_file(
    services: Services, draft: ReportDraft, name: str, data: bytes, caption: str = ""
) -> FileTaken | FileHeld | Refusal:
    """Check one file sent in chat and store it; the draft keeps each content once."""
    checked = await check_file(services, name, data, caption)
    if isinstance(checked, Refusal):
        return checked
    stored = await store_file(services, checked, data)
    if draft.holds(stored.sha256):
        return FileHeld(stored.name)
    return FileTaken(draft.with_file(stored), stored)


async def submit(
    services: Services, actor: Actor, channel: str, chat_id: str, draft: ReportDraft
) -> Submitted | Refusal:
    """Submit the chat's confirmed draft (once, however often it is confirmed)."""
    deliverable = _owed(services, actor, draft.deliverable)
    if deliverable is None:
        return Refusal(NOT_OWED)
    told = await _told(services, actor, deliverable)

    def record(conn: sqlite3.Connection, writes: Writes) -> Submitted:
        return _record_on(conn, writes, services, told, channel, draft, f"{channel}:{chat_id}:")

    return await _atomically(services, record)


# The upload link's door ---------------------------------------------------------------------


async def _check_all(
    year: Services, files: Sequence[FileSource]
) -> tuple[list[tuple[FileSource, CheckedFile]], tuple[Refusal, ...]]:
    """Every file checked before anything is stored: (those accepted, why the others were not)."""
    checked: list[tuple[FileSource, CheckedFile]] = []
    refused: list[Refusal] = []
    for source in files:
        result = await check_file(year, source.name, source.path)
        if isinstance(result, Refusal):
            refused.append(result)
        else:
            checked.append((source, result))
    return checked, tuple(refused)


async def _stored_draft(
    year: Services,
    key: str,
    code: str,
    checked: list[tuple[FileSource, CheckedFile]],
    note: str,
) -> ReportDraft:
    draft = ReportDraft(key=key, deliverable=code)
    for source, result in checked:
        draft = draft.with_file(await store_file(year, result, source.path))
    return replace(draft, note=note[:NOTE_CHARS])


async def submit_by_link(
    services: Services, upload: UploadLink, files: Sequence[FileSource], note: str
) -> Submitted | NothingAccepted | LinkProblem:
    """Submit the files of an upload page. Every file is checked before anything is stored;
    the link is spent in the transaction that stores the submission and queues its receipt,
    so two posts of one form store once and a crash leaves either all of it or a usable link."""
    year = _year_of(services, upload.link)
    checked, refused = await _check_all(year, files)
    if not checked:
        return NothingAccepted(refused)
    link = upload.link  # the bytes are kept once by content, before the transaction
    draft = await _stored_draft(year, link.token_hash, upload.deliverable.code, checked, note)
    told = await _told(year, upload.actor, upload.deliverable)
    receipt = await _receipt_chat(year, link.channel, link.chat_id, upload.deliverable)
    now = year.clock.now()

    def record(conn: sqlite3.Connection, writes: Writes) -> Submitted | None:
        if not year.links.use_on(conn, link, now):
            return None
        submitted = _record_on(conn, writes, year, told, link.channel, draft, "link:")
        receipt.queue_on(conn, writes, year, submitted)
        return submitted

    submitted = await _atomically(year, record)
    if submitted is None:
        return LinkProblem.USED
    return replace(submitted, refused=refused)


# The web pages' door ------------------------------------------------------------------------


async def submit_from_page(
    services: Services,
    actor: Actor,
    chat: tuple[str, str],
    code: str,
    files: Sequence[FileSource],
    note: str,
    form_key: str,
) -> Submitted | NothingAccepted | Refusal:
    """Submit the files a signed-in officer uploaded on the web pages for their unit's report
    ``code``; ``chat`` is the (channel, chat id) that signed in, where the receipt also goes.
    ``form_key`` names the form (one version however often the same form is posted)."""
    deliverable = _owed(services, actor, code)
    if deliverable is None:
        return Refusal(NOT_OWED)
    checked, refused = await _check_all(services, files)
    if not checked:
        return NothingAccepted(refused)
    draft = await _stored_draft(services, form_key, deliverable.code, checked, note)
    channel, chat_id = chat
    told = await _told(services, actor, deliverable)
    receipt = await _receipt_chat(services, channel, chat_id, deliverable)

    def record(conn: sqlite3.Connection, writes: Writes) -> Submitted:
        submitted = _record_on(conn, writes, services, told, channel, draft, "web:")
        receipt.queue_on(conn, writes, services, submitted)
        return submitted

    submitted = await _atomically(services, record)
    return replace(submitted, refused=refused)


@dataclass(frozen=True, slots=True)
class _ReceiptChat:
    """The chat an upload came from, read before its transaction: its language, and whether
    its own draft of the same report is to be finished (an upload delivered it)."""

    channel: str
    chat_id: str
    language: str
    finishes_draft: bool

    def queue_on(
        self, conn: sqlite3.Connection, writes: Writes, services: Services, submitted: Submitted
    ) -> None:
        """The receipt also reaches the chat the upload came from, in that chat's language."""
        if self.finishes_draft:
            services.conversations.clear_into(writes, self.channel, self.chat_id)
        text = receipt_text(
            submitted.cluster,
            submitted.deliverable,
            submitted.submission,
            translator(self.language),
            self.language,
        )
        services.outbox.queue_on(
            conn,
            writes,
            f"receipt:{submitted.submission.id}",
            self.channel,
            self.chat_id,
            Reply(text),
            officer_id=submitted.submission.officer_id,
        )


async def _receipt_chat(
    services: Services, channel: str, chat_id: str, deliverable: Deliverable
) -> _ReceiptChat:
    language = (
        await services.preferences.language(channel, chat_id) or services.settings.default_language
    )
    pending = await pending_draft(services, channel, chat_id)
    finishes = pending is not None and pending.deliverable == deliverable.code
    return _ReceiptChat(channel, chat_id, language, finishes)


# Every door ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Told:
    """Who sends, what, and who hears of it: read before the submission's transaction."""

    actor: Actor
    deliverable: Deliverable
    managers: list[Recipient]
    """The chats of the chair's officers and the admins, but the sender's."""
    inspected: InspectedChats | None
    """The inspected unit's chats, when these are a cross-inspection's minutes."""


async def _told(services: Services, actor: Actor, deliverable: Deliverable) -> _Told:
    assert actor.unit_code is not None
    managers = [o for o in await services.officers.managers() if o.id != actor.officer_id]
    return _Told(
        actor,
        deliverable,
        await recipients(services, managers),
        await inspected_chats(services, deliverable.code, actor.unit_code),
    )


async def _atomically(services: Services, record: Callable[[sqlite3.Connection, Writes], T]) -> T:
    """``record`` on the database thread, in one transaction with the writes it adds."""
    writes = Writes()
    return await services.db.atomically(lambda conn: record(conn, writes), writes)


def _record_on(
    conn: sqlite3.Connection,
    writes: Writes,
    services: Services,
    told: _Told,
    channel: str,
    draft: ReportDraft,
    key_prefix: str,
) -> Submitted:
    """Store the draft as the next version (once per draft key) and tell the chair, inside the
    event's transaction (a body of ``Database.atomically``), whose ``writes`` the notices join."""
    if not draft.files:
        raise ValueError("a report draft without files cannot be submitted")
    actor, deliverable = told.actor, told.deliverable
    assert actor.unit_code is not None
    cluster = services.cluster_year.cluster
    now = services.clock.now()
    names = unique_names(f.name for f in draft.files)
    submission = services.submissions.create_on(
        conn,
        draft_key=key_prefix + draft.key,
        deliverable=deliverable.code,
        unit_code=actor.unit_code,
        officer_id=actor.officer_id,
        channel=channel,
        received_at=now,
        due=deliverable.due,
        days_late=days_late(now, deliverable.due, cluster.timezone),
        note=draft.note,
        files=[replace(f, name=n) for f, n in zip(draft.files, names, strict=True)],
    )
    key = services.year_key(f"submitted:{deliverable.code}:{actor.unit_code}:{submission.version}")
    notice = partial(submitted_notice, cluster, deliverable, submission)
    notify_on(conn, writes, services, told.managers, key, notice)
    if told.inspected is not None:
        tell_inspected_on(conn, writes, services, told.inspected, submission)
    return Submitted(cluster, deliverable, submission)
