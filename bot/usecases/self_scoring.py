"""Self-scoring: a unit scores itself against the year's scoring table, keeps notes and evidence
per criterion, and sends the sheet as its next version (until the chair locks the scores).

The sheet being filled in is a :class:`SheetEntries`; a chat keeps it in its draft in the same
JSON form as a sent sheet (:func:`draft_entries`, :func:`draft_fields`), so a draft saved by an
older release resumes unchanged.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import timedelta
from enum import StrEnum
from typing import Any

from bot.delivery.outbox_keys import score_form_read_key, score_sent_key
from bot.domain.access import Actor
from bot.domain.file_types import XLSX, UnsafeFile
from bot.domain.messages import Attachment
from bot.domain.score_form_reading import UNSAFE, FormProblem, FormRefused
from bot.domain.score_sheet import (
    Evidence,
    ScoreSheet,
    SheetEntries,
    entries_from_json,
    entries_to_json,
)
from bot.domain.scoring import unit_score
from bot.domain.scoring_table import ScoringTable
from bot.i18n import N_, translator
from bot.services.container import Services
from bot.services.file_checks import read_score_form_file
from bot.services.intake import Refusal, accept_file
from bot.services.notices import notify_on, recipients, reviewers_of
from bot.texts.score_form_summary import FORM_READ_STEP, SCORE_FLOW_NAME, form_read_reply
from bot.texts.score_notices import score_sent_notice
from bot.usecases.one_time_links import Link, LinkKind, LinkProblem, check_link, spend_link
from storage.conversations import ConversationState
from storage.database import Writes

__all__ = [
    "FORM_FIRST_ABOVE",
    "FormRead",
    "FormRefused",
    "FormUpload",
    "Incomplete",
    "LinkProblem",
    "Refusal",
    "ScoringClosed",
    "ScoringOpen",
    "Sent",
    "draft_entries",
    "draft_fields",
    "draft_problems",
    "form_attachment",
    "form_first",
    "keep_evidence",
    "last_entries",
    "open_form_upload",
    "open_scoring",
    "read_form",
    "send",
    "subtotals_of",
    "take_form_from_page",
    "take_form_upload",
    "total_of",
]

FORM_FIRST_ABOVE = 15
"""A table of more criteria is offered as a score form first (the chat walk stays available)."""
FORM_PROBLEMS = "form_problems"
"""The draft's field holding the rows of the last form that were not taken."""


class ScoringClosed(StrEnum):
    """Why a unit cannot score now; the value is the msgid of the answer (``{chair}``: the
    cluster's chair title)."""

    NO_SCORING = N_("There is no scoring for you in this cluster-year.")
    LOCKED = N_("The {chair} has locked the scores; they can no longer change.")


@dataclass(frozen=True, slots=True)
class ScoringOpen:
    table: ScoringTable
    last: ScoreSheet | None
    """The unit's last sent sheet, to start from."""


@dataclass(frozen=True, slots=True)
class Incomplete:
    missing: tuple[str, ...]
    """The criteria not scored yet, in the table's order."""


@dataclass(frozen=True, slots=True)
class Sent:
    version: int
    total: float


@dataclass(frozen=True, slots=True)
class FormRead:
    entries: SheetEntries
    """The draft with the form's answers."""
    problems: tuple[FormProblem, ...]


@dataclass(frozen=True, slots=True)
class FormUpload:
    """A score form upload link not used yet: whose unit, in which cluster-year."""

    link: Link
    actor: Actor
    services: Services
    """The services of the cluster-year the link was made in."""


async def open_scoring(services: Services, actor: Actor) -> ScoringOpen | ScoringClosed:
    """Whether the actor's unit may score now, and what it sent last."""
    table = services.cluster_year.scoring
    if actor.unit_code is None or table is None:
        return ScoringClosed.NO_SCORING
    if await services.scores.locked():
        return ScoringClosed.LOCKED
    return ScoringOpen(table, (await services.scores.latest()).get(actor.unit_code))


async def last_entries(services: Services, unit_code: str) -> SheetEntries:
    """The unit's last sent sheet (empty before its first)."""
    last = (await services.scores.latest()).get(unit_code)
    return SheetEntries() if last is None else last.entries


def draft_entries(draft: Mapping[str, Any]) -> SheetEntries:
    """The sheet a chat draft holds."""
    return entries_from_json(draft)


def draft_fields(
    entries: SheetEntries, problems: Sequence[FormProblem] | None = None
) -> dict[str, Any]:
    """The fields a chat draft keeps the sheet in (and the rows of a form not taken)."""
    fields = entries_to_json(entries)
    if problems is not None:
        fields[FORM_PROBLEMS] = [asdict(p) for p in problems]
    return fields


def draft_problems(draft: Mapping[str, Any]) -> tuple[FormProblem, ...]:
    """The rows of the last form read into a chat draft that were not taken."""
    return tuple(FormProblem(**p) for p in draft.get(FORM_PROBLEMS, []))


def form_first(table: ScoringTable) -> bool:
    """Whether /chamdiem offers the score form before the criterion-by-criterion walk."""
    return len(table.criteria()) > FORM_FIRST_ABOVE


async def form_attachment(
    services: Services, unit_code: str, entries: SheetEntries, language: str
) -> Attachment:
    """The unit's score form, prefilled with ``entries``, as a workbook to send."""
    from bot.outputs.score_form_copies import filled_form  # openpyxl only when a form is made

    table = services.cluster_year.scoring
    assert table is not None
    cluster = services.cluster_year.cluster
    unit = cluster.unit(unit_code)
    name = unit.full_name if unit else unit_code
    data = await asyncio.to_thread(  # the first of a table is built: tens of milliseconds
        filled_form, table, cluster.name, name, cluster.year, entries, language
    )
    return Attachment(f"phieu-tu-cham-{unit_code}-{cluster.year}.xlsx", data, XLSX.mime)


async def read_form(services: Services, data: bytes, draft: SheetEntries) -> FormRead | FormRefused:
    """A filled form read in the capped worker and merged into the unit's draft; nothing is
    stored (the draft is the chat's)."""
    table = services.cluster_year.scoring
    assert table is not None
    try:
        form = await read_score_form_file(services.settings, data, table)
    except FormRefused as refused:
        return refused
    except UnsafeFile:
        return FormRefused(UNSAFE)
    return FormRead(form.entries(draft), form.problems)


async def keep_evidence(services: Services, name: str, data: bytes) -> Evidence | Refusal:
    """Check and store one evidence file (the sheet records it when it is sent)."""
    taken = await accept_file(services, name, data)
    if isinstance(taken, Refusal):
        return taken
    return Evidence(taken["sha256"], taken["name"])


def total_of(table: ScoringTable, entries: SheetEntries) -> float:
    """The sheet's total as the unit scored it."""
    return unit_score("", entries.scored_points(), dict(entries.bonuses), False).total(table)


def subtotals_of(table: ScoringTable, entries: SheetEntries) -> dict[str, float]:
    """Each top-level group's subtotal as the unit scored it."""
    score = unit_score("", entries.scored_points(), dict(entries.bonuses), False)
    return {g.code: score.subtotal(table, g.code) for g in table.groups}


async def send(
    services: Services, actor: Actor, entries: SheetEntries
) -> Sent | Incomplete | ScoringClosed:
    """Store the sheet as the unit's next version and tell the chair."""
    table = services.cluster_year.scoring
    if actor.unit_code is None or table is None:
        return ScoringClosed.NO_SCORING
    missing = entries.missing(c.code for c in table.criteria())
    if missing:
        return Incomplete(tuple(missing))
    unit, cluster, total = actor.unit_code, services.cluster_year.cluster, total_of(table, entries)
    told = [o for o in await services.officers.managers() if o.id != actor.officer_id]
    if unit == cluster.chair:  # and its reviewers, never the chair
        told += await reviewers_of(services, unit)
    chats = await recipients(services, told)

    def tell(conn: sqlite3.Connection, writes: Writes, version: int) -> None:
        key = services.year_key(score_sent_key(unit, version))
        notify_on(
            conn, writes, services, chats, key, score_sent_notice(cluster, unit, version, total)
        )

    version = await services.scores.submit(
        unit, actor.officer_id, entries, services.clock.now(), told=tell
    )
    if version is None:
        return ScoringClosed.LOCKED
    return Sent(version, total)


# The score form's upload link (Zalo carries no files) ----------------------------------------


async def open_form_upload(services: Services, token: str) -> FormUpload | LinkProblem:
    """The score form upload link behind ``token``, if its officer may still score."""
    link = await check_link(services, token, LinkKind.SCORE_FORM)
    if isinstance(link, LinkProblem):
        return link
    year = services if link.cluster_year_id is None else services.scoped(link.cluster_year_id)
    officer = await year.officers.get(link.officer_id) if link.officer_id else None
    if officer is None:
        return LinkProblem.UNKNOWN
    actor = Actor(officer.id, officer.name, officer.unit_code, officer.role)
    if not isinstance(await open_scoring(year, actor), ScoringOpen):
        return LinkProblem.UNKNOWN
    return FormUpload(link, actor, year)


async def take_form_upload(
    services: Services, upload: FormUpload, data: bytes
) -> FormRead | FormRefused | LinkProblem:
    """Read an uploaded form into the chat's score draft (or the unit's last sheet) and answer
    in that chat with the total and the confirmation. A refused form spends nothing and stores
    nothing."""
    year, link = upload.services, upload.link

    async def spend() -> bool:
        return await spend_link(year, link)

    read = await _read_into_chat(
        year, upload.actor, link.channel, link.chat_id, data, link.token_hash, spend
    )
    return LinkProblem.USED if read is None else read


async def take_form_from_page(
    services: Services, actor: Actor, chat: tuple[str, str], data: bytes, form_key: str
) -> FormRead | FormRefused | ScoringClosed:
    """The same for a signed-in officer's upload on the web pages: read into the draft of the
    chat that signed in, answered there; ``form_key`` names the posted form (answered once)."""
    opened = await open_scoring(services, actor)
    if isinstance(opened, ScoringClosed):
        return opened
    channel, chat_id = chat

    async def nothing_to_spend() -> bool:
        return True

    read = await _read_into_chat(
        services, actor, channel, chat_id, data, f"web{form_key}", nothing_to_spend
    )
    assert read is not None
    return read


async def _read_into_chat(
    year: Services,
    actor: Actor,
    channel: str,
    chat_id: str,
    data: bytes,
    answer_key: str,
    spend: Callable[[], Awaitable[bool]],
) -> FormRead | FormRefused | None:
    """Read the form against the chat's score draft, then (once ``spend`` agrees; None when
    it does not) keep it as the draft and queue the answer to that chat."""
    state = await year.conversations.get(channel, chat_id)
    if state is None or state.flow != SCORE_FLOW_NAME:
        last = (await year.scores.latest()).get(actor.unit_code or "")
        state = ConversationState(SCORE_FLOW_NAME, FORM_READ_STEP, {"i": 0})
        if last is not None:
            state.data |= draft_fields(last.entries) | {"version": last.version}
    read = await read_form(year, data, draft_entries(state.data))
    if isinstance(read, FormRefused):
        return read
    if not await spend():
        return None
    state.step = FORM_READ_STEP
    state.data |= draft_fields(read.entries, read.problems)
    now = year.clock.now()
    ttl = timedelta(hours=year.settings.conversation_ttl_hours)
    await year.conversations.save(channel, chat_id, state, now, now + ttl)
    language = await year.preferences.language(channel, chat_id) or year.settings.default_language
    table = year.cluster_year.scoring
    assert table is not None
    answer = form_read_reply(table, read.entries, read.problems, translator(language), language)
    key = year.year_key(score_form_read_key(answer_key))
    await year.outbox.enqueue(key, channel, chat_id, answer, officer_id=actor.officer_id)
    return read
