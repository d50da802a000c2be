"""Taking in one file from outside (a report, an announcement's attachment, evidence, the
signed pact): judged by its content in a bounded worker process, then stored once by content.
Submitting a report is the use case ``bot.usecases.submit_report``."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from bot.domain.file_names import display_name, safe_file_name
from bot.domain.file_types import FileKind, UnsafeFile, has_accepted_magic
from bot.domain.submissions import SubmissionFile
from bot.i18n import N_, Translator
from bot.services.container import Services
from bot.services.file_checks import check_content

__all__ = ["Body", "CheckedFile", "Refusal", "accept_file", "check_file", "store_file"]

Body = bytes | Path
"""A file's bytes (from chat), or an ``.incoming-*`` file of the store holding them (an upload,
streamed to disk: the checks read it from there and storing it renames it into place)."""
_HEAD = 16
"""Bytes enough to tell the accepted kinds' magic."""


def _size(body: Body) -> int:
    return len(body) if isinstance(body, bytes) else body.stat().st_size


def _head(body: Body) -> bytes:
    if isinstance(body, bytes):
        return body[:_HEAD]
    with body.open("rb") as source:
        return source.read(_HEAD)


@dataclass(frozen=True, slots=True)
class Refusal:
    message: str
    """A msgid; format it with ``name`` and ``limit`` after translating."""
    name: str = ""
    limit: str = ""

    def text(self, _: Translator) -> str:
        return _(self.message).format(name=self.name, limit=self.limit)


EMPTY = N_("The file {name} is empty. Please check it and send it again.")
TOO_BIG = N_("The file {name} is larger than {limit} MB. Please compress or split it.")
NOT_ACCEPTED = N_(
    "The file {name} is not a document I accept, whatever its name says. Please send "
    "DOCX, DOC, PDF, XLSX, XLS, ODT, ODS, JPG or PNG."
)
UNSAFE = N_(
    "The file cannot be read safely: {name}. Please check it, save it again (for example as "
    "PDF) and send it again."
)


@dataclass(frozen=True, slots=True)
class CheckedFile:
    """What the checks found of a file not stored yet; ``name`` carries the detected extension."""

    name: str
    size: int
    kind: FileKind
    pages: int | None
    caption: str


async def check_file(
    services: Services, name: str, data: Body, caption: str = ""
) -> CheckedFile | Refusal:
    """Judge one file by its content, in a bounded worker process; nothing is stored."""
    shown = display_name(name)
    size = _size(data)
    if not size:
        return Refusal(EMPTY, shown)
    limit = services.settings.max_file_mb
    if size > limit * 1024 * 1024:
        return Refusal(TOO_BIG, shown, f"{limit:g}")
    if not has_accepted_magic(_head(data)):
        return Refusal(NOT_ACCEPTED, shown)
    try:
        found = await check_content(services.settings, data)
    except UnsafeFile:
        return Refusal(UNSAFE, shown)
    if found is None:
        return Refusal(NOT_ACCEPTED, shown)
    name = safe_file_name(name, found.kind.extension)
    return CheckedFile(name, size, found.kind, found.pages, caption[:1000])


async def store_file(services: Services, checked: CheckedFile, data: Body) -> SubmissionFile:
    """Store the bytes of a checked file (once, by content); an incoming file is moved in."""
    mime, now = checked.kind.mime, services.clock.now()
    if isinstance(data, bytes):
        sha = await services.files.put(data, mime, now)
    else:
        sha = await services.files.adopt(data, mime, now)
    kind = checked.kind.extension
    return SubmissionFile(sha, checked.name, checked.size, kind, checked.pages, checked.caption)


async def accept_file(
    services: Services, name: str, data: bytes, caption: str = ""
) -> dict[str, Any] | Refusal:
    """Check one file and store it; returns its record as a plain dict (as the announcement,
    scoring and pact flows keep it in their drafts), or why it was refused."""
    checked = await check_file(services, name, data, caption)
    if isinstance(checked, Refusal):
        return checked
    return asdict(await store_file(services, checked, data))
