"""The drafts of the report conversations: a report being sent by chat (which report, the files
taken so far, the note) and the chair's mark on a unit's report waiting for its reason.

The conversation store keeps each as a JSON object with a ``version``. Version 1 is the first to
carry the field; a draft stored before (no ``version``) has the same fields and loads alike, so
a conversation left half-way over an upgrade resumes. A later change of the fields bumps the
version and teaches ``from_json`` to read the older ones.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, replace
from typing import Any, ClassVar

from bot.domain.report_status import MarkAction
from bot.domain.submissions import SubmissionFile

__all__ = ["NOTE_CHARS", "MarkDraft", "ReportDraft"]

NOTE_CHARS = 2000


@dataclass(frozen=True, slots=True)
class ReportDraft:
    FLOW: ClassVar[str] = "report"
    """The conversation flow whose drafts these are."""
    VERSION: ClassVar[int] = 1

    key: str
    """Random, made when the draft begins: the same draft submitted twice is stored once."""
    deliverable: str | None = None
    """The code of the chosen report; None until one is picked."""
    files: tuple[SubmissionFile, ...] = ()
    note: str = ""
    needs_link: bool = False
    """A file was too big for the chat app: the upload link is offered with the files step."""

    def holds(self, sha256: str) -> bool:
        return any(f.sha256 == sha256 for f in self.files)

    def with_file(self, file: SubmissionFile) -> ReportDraft:
        """The draft with ``file`` added, unless a file of the same content is held already."""
        return self if self.holds(file.sha256) else replace(self, files=(*self.files, file))

    def with_note(self, text: str) -> ReportDraft:
        """The draft with ``text`` added as a new line of the note (bounded)."""
        return replace(self, note="\n".join(filter(None, [self.note, text]))[:NOTE_CHARS])

    def to_json(self) -> dict[str, Any]:
        return {
            "version": self.VERSION,
            "key": self.key,
            "deliverable": self.deliverable,
            "files": [asdict(f) for f in self.files],
            "note": self.note,
            "needs_link": self.needs_link,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ReportDraft:
        """Read a stored draft of this version or an older one (version 0: no ``version``)."""
        _check_version(data, cls.VERSION)
        return cls(
            key=str(data["key"]),
            deliverable=data.get("deliverable"),
            files=tuple(_file(f) for f in data.get("files", ())),
            note=str(data.get("note", "")),
            needs_link=bool(data.get("needs_link", False)),
        )


def _file(data: Mapping[str, Any]) -> SubmissionFile:
    return SubmissionFile(
        sha256=data["sha256"],
        name=data["name"],
        size=data["size"],
        kind=data["kind"],
        pages=data.get("pages"),
        caption=data.get("caption", ""),
    )


@dataclass(frozen=True, slots=True)
class MarkDraft:
    """The chair chose to excuse, reopen or clear a unit's report; the reason is asked next."""

    FLOW: ClassVar[str] = "mark"
    VERSION: ClassVar[int] = 1

    action: MarkAction
    unit_code: str
    deliverable: str

    def to_json(self) -> dict[str, Any]:
        return {
            "version": self.VERSION,
            "status": self.action.value,
            "unit": self.unit_code,
            "deliverable": self.deliverable,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> MarkDraft:
        """Read a stored draft of this version or an older one (version 0: no ``version``)."""
        _check_version(data, cls.VERSION)
        return cls(MarkAction(data["status"]), str(data["unit"]), str(data["deliverable"]))


def _check_version(data: Mapping[str, Any], current: int) -> None:
    version = data.get("version", 0)
    if not isinstance(version, int) or not 0 <= version <= current:
        raise ValueError(f"a draft of unknown version {version!r}")
