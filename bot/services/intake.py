"""The one path every report file takes, from chat or from an upload link: checked by content,
stored once, submitted as a new version, receipted, and the chair told."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from bot.domain.access import Actor
from bot.domain.cluster import Cluster, Deliverable
from bot.domain.file_names import display_name, safe_file_name, unique_names
from bot.domain.file_types import FileKind, UnsafeFile, has_accepted_magic
from bot.domain.formatting import file_size, local_datetime, short_date
from bot.domain.messages import Reply
from bot.i18n import N_, Translator
from bot.services.container import Services
from bot.services.file_checks import check_content
from bot.services.notices import notify_managers
from bot.services.report_status import days_late
from bot.texts.roles import unit_label
from bot.usecases.cross_inspection import tell_inspected
from storage.submissions import NewFile, Submission

__all__ = [
    "CheckedFile",
    "Refusal",
    "accept_file",
    "check_file",
    "file_lines",
    "receipt_text",
    "store_file",
    "submit",
]


@dataclass(frozen=True, slots=True)
class Refusal:
    message: str
    """A msgid; format it with ``name`` and ``limit`` after translating."""
    name: str
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
    services: Services, name: str, data: bytes, caption: str = ""
) -> CheckedFile | Refusal:
    """Judge one file by its content, in a bounded worker process; nothing is stored."""
    shown = display_name(name)
    if not data:
        return Refusal(EMPTY, shown)
    limit = services.settings.max_file_mb
    if len(data) > limit * 1024 * 1024:
        return Refusal(TOO_BIG, shown, f"{limit:g}")
    if not has_accepted_magic(data):
        return Refusal(NOT_ACCEPTED, shown)
    try:
        found = await check_content(services.settings, data)
    except UnsafeFile:
        return Refusal(UNSAFE, shown)
    if found is None:
        return Refusal(NOT_ACCEPTED, shown)
    name = safe_file_name(name, found.kind.extension)
    return CheckedFile(name, len(data), found.kind, found.pages, caption[:1000])


async def store_file(services: Services, checked: CheckedFile, data: bytes) -> dict[str, Any]:
    """Store the bytes of a checked file (once, by content); returns its draft record."""
    sha = await services.files.put(data, checked.kind.mime, services.clock.now())
    kind = checked.kind.extension
    return asdict(NewFile(sha, checked.name, checked.size, kind, checked.pages, checked.caption))


async def accept_file(
    services: Services, name: str, data: bytes, caption: str = ""
) -> dict[str, Any] | Refusal:
    """Check one file and store it; returns its draft record, or why it was refused."""
    checked = await check_file(services, name, data, caption)
    if isinstance(checked, Refusal):
        return checked
    return await store_file(services, checked, data)


def file_lines(files: list[NewFile], _: Translator, language: str, with_hash: bool) -> list[str]:
    lines = []
    for i, f in enumerate(files, start=1):
        parts = [file_size(f.size, language)]
        if f.pages:
            parts.append(_("{pages} page(s)").format(pages=f.pages))
        if with_hash:
            parts.append(f"SHA-256 {f.sha256[:8]}")
        lines.append(f"{i}. {display_name(f.name)} — " + ", ".join(parts))
    return lines


async def submit(
    services: Services,
    officer: Actor,
    channel: str,
    deliverable: Deliverable,
    files: list[dict[str, Any]],
    note: str,
    draft_key: str,
) -> Submission:
    """Store the submission as the next version (once per draft key) and tell the chair."""
    assert officer.unit_code is not None
    cluster = services.cluster_year.cluster
    now = services.clock.now()
    late = days_late(now, deliverable.due, cluster.timezone)
    submission_id = await services.submissions.create(
        draft_key=draft_key,
        deliverable=deliverable.code,
        unit_code=officer.unit_code,
        officer_id=officer.officer_id,
        channel=channel,
        received_at=now,
        due=deliverable.due,
        days_late=late,
        note=note,
        files=[
            NewFile(**(f | {"name": name}))
            for f, name in zip(files, unique_names(f["name"] for f in files), strict=True)
        ],
    )
    history = await services.submissions.history(deliverable.code, officer.unit_code)
    submission = next(s for s in history if s.id == submission_id)

    def build(_: Translator) -> Reply:
        timing = _("on time") if late == 0 else _("{days} day(s) late").format(days=late)
        return Reply(
            _("📥 {unit} sent {title} (version {version}, {count} file(s)): {timing}.").format(
                unit=unit_label(cluster, officer.unit_code, _),
                title=deliverable.title,
                version=submission.version,
                count=len(files),
                timing=timing,
            )
        )

    key = services.year_key(
        f"submitted:{deliverable.code}:{officer.unit_code}:{submission.version}"
    )
    await notify_managers(services, key, build, except_officer=officer.officer_id)
    await tell_inspected(services, submission)
    return submission


def receipt_text(
    cluster: Cluster, deliverable: Deliverable, submission: Submission, _: Translator, language: str
) -> str:
    late = submission.days_late
    timing = (
        _("on time (due {due})") if late == 0 else _("{days} day(s) late (due {due})")
    ).format(days=late, due=short_date(deliverable.due))
    lines = [
        _("RECEIPT"),
        _("Report: {title}").format(title=deliverable.title),
        _("Unit: {unit}").format(unit=unit_label(cluster, submission.unit_code, _)),
        _("Sent by: {name}").format(name=submission.officer_name),
        _("Received: {when}").format(when=local_datetime(submission.received_at, cluster.timezone)),
        _("Version: {version}").format(version=submission.version),
        _("Files:"),
        *file_lines(list(submission.files), _, language, with_hash=True),
        _("Status: {timing}").format(timing=timing),
    ]
    return "\n".join(lines)
