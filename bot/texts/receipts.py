"""The words of a submitted report: the list of its files, the receipt, the chair's notice."""

from __future__ import annotations

from collections.abc import Iterable

from bot.domain.cluster import Cluster, Deliverable
from bot.domain.file_names import display_name
from bot.domain.formatting import file_size, local_datetime, short_date
from bot.domain.messages import Reply
from bot.domain.submissions import Submission, SubmissionFile
from bot.i18n import Translator
from bot.texts.roles import unit_label

__all__ = ["file_lines", "receipt_text", "submitted_notice"]


def file_lines(
    files: Iterable[SubmissionFile], _: Translator, language: str, with_hash: bool
) -> list[str]:
    lines = []
    for i, f in enumerate(files, start=1):
        parts = [file_size(f.size, language)]
        if f.pages:
            parts.append(_("{pages} page(s)").format(pages=f.pages))
        if with_hash:
            parts.append(f"SHA-256 {f.sha256[:8]}")
        lines.append(f"{i}. {display_name(f.name)} — " + ", ".join(parts))
    return lines


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
        *file_lines(submission.files, _, language, with_hash=True),
        _("Status: {timing}").format(timing=timing),
    ]
    return "\n".join(lines)


def submitted_notice(
    cluster: Cluster, deliverable: Deliverable, submission: Submission, _: Translator
) -> Reply:
    """What the chair's officers are told of a new version."""
    late = submission.days_late
    timing = _("on time") if late == 0 else _("{days} day(s) late").format(days=late)
    return Reply(
        _("📥 {unit} sent {title} (version {version}, {count} file(s)): {timing}.").format(
            unit=unit_label(cluster, submission.unit_code, _),
            title=deliverable.title,
            version=submission.version,
            count=len(submission.files),
            timing=timing,
        ),
        gathered=True,
    )
