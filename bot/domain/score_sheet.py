"""A unit's self-score sheet as a typed record: per criterion the value typed, its points, a note
and the evidence files; per whole-table bonus whether it applies and the reason the unit gives.
Storage alone turns it into JSON and back; everyone else reads these fields."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from types import MappingProxyType
from typing import Any

__all__ = [
    "CriterionEntry",
    "Evidence",
    "Review",
    "ScoreSheet",
    "SheetEntries",
    "entries_from_json",
    "entries_to_json",
]


@dataclass(frozen=True, slots=True)
class Evidence:
    """A file kept as evidence: its content address in the file store and its shown name."""

    sha256: str
    name: str


@dataclass(frozen=True, slots=True)
class CriterionEntry:
    value: float | None = None
    """What the unit typed (1/0 for met/not met); None until it scores the criterion (a note or
    evidence may come first)."""
    points: float = 0.0
    note: str = ""
    evidence: tuple[Evidence, ...] = ()
    evidence_text: str = ""
    """The evidence in the officer's own words, from a score form (when it says more than the
    names of the files sent in chat)."""

    @property
    def scored(self) -> bool:
        return self.value is not None

    @property
    def evidence_shown(self) -> str:
        """The evidence as a form shows it: the officer's own words, else the files' names."""
        return self.evidence_text or ", ".join(f.name for f in self.evidence)


UNSCORED = CriterionEntry()
"""The entry of a criterion the unit has not touched."""


@dataclass(frozen=True, slots=True)
class SheetEntries:
    criteria: Mapping[str, CriterionEntry] = field(default_factory=lambda: MappingProxyType({}))
    bonuses: Mapping[str, bool] = field(default_factory=lambda: MappingProxyType({}))
    bonus_reasons: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    """Whole-table bonus code → the reason (căn cứ: a decision's number, an event) the unit
    gives for declaring it."""

    def entry(self, code: str) -> CriterionEntry:
        return self.criteria.get(code, UNSCORED)

    def scored_points(self) -> dict[str, float]:
        """Criterion code → points, of the criteria the unit has scored."""
        return {code: e.points for code, e in self.criteria.items() if e.scored}

    def missing(self, codes: Iterable[str]) -> list[str]:
        """Those of ``codes`` not scored yet, in their order."""
        return [code for code in codes if not self.entry(code).scored]

    def scored(self, code: str, value: float, points: float) -> SheetEntries:
        return self._with(code, replace(self.entry(code), value=value, points=points))

    def unscored(self, code: str) -> SheetEntries:
        """The criterion's value taken back (its note and evidence stay)."""
        return self._with(code, replace(self.entry(code), value=None, points=0.0))

    def noted(self, code: str, note: str) -> SheetEntries:
        return self._with(code, replace(self.entry(code), note=note))

    def with_evidence(self, code: str, evidence: Evidence) -> SheetEntries:
        entry = self.entry(code)
        return self._with(code, replace(entry, evidence=(*entry.evidence, evidence)))

    def with_bonus(self, code: str, applies: bool) -> SheetEntries:
        return replace(self, bonuses=MappingProxyType({**self.bonuses, code: applies}))

    def with_bonus_reason(self, code: str, reason: str) -> SheetEntries:
        reasons = MappingProxyType({**self.bonus_reasons, code: reason})
        return replace(self, bonus_reasons=reasons)

    def with_entries(self, changed: Mapping[str, CriterionEntry]) -> SheetEntries:
        """The sheet with these criteria's entries in place of theirs, in one step (a form's
        sixty rows would otherwise copy the sheet sixty times over)."""
        return replace(self, criteria=MappingProxyType({**self.criteria, **changed}))

    def _with(self, code: str, entry: CriterionEntry) -> SheetEntries:
        return self.with_entries({code: entry})


@dataclass(frozen=True, slots=True)
class ScoreSheet:
    """One submitted version of a unit's self-score."""

    unit_code: str
    version: int
    officer_id: int
    submitted_at: datetime
    entries: SheetEntries


@dataclass(frozen=True, slots=True)
class Review:
    """The chair's reviewed points of one criterion of a unit, with the reason."""

    unit_code: str
    criterion: str
    points: float
    reason: str
    at: datetime


def entries_to_json(entries: SheetEntries) -> dict[str, Any]:
    """The JSON form of a sheet, as stored since 0.1: ``{"criteria": {code: {"value", "points",
    "note", "evidence": [[sha, name]]}}, "bonuses": {code: bool}}``; ``"evidence_text"`` only
    where a score form gave one, ``"bonus_reasons": {code: text}`` where the unit gave any."""
    stored: dict[str, Any] = {
        "criteria": {
            code: {
                "value": e.value,
                "points": e.points,
                "note": e.note,
                "evidence": [[f.sha256, f.name] for f in e.evidence],
            }
            | ({"evidence_text": e.evidence_text} if e.evidence_text else {})
            for code, e in entries.criteria.items()
        },
        "bonuses": dict(entries.bonuses),
    }
    if entries.bonus_reasons:
        stored["bonus_reasons"] = dict(entries.bonus_reasons)
    return stored


def entries_from_json(data: Mapping[str, Any]) -> SheetEntries:
    """A sheet from its JSON form; a key an older version left out reads as its default."""
    criteria = {
        code: CriterionEntry(
            value=None if e.get("value") is None else float(e["value"]),
            points=float(e.get("points", 0.0)),
            note=e.get("note", ""),
            evidence=tuple(Evidence(sha, name) for sha, name in e.get("evidence", [])),
            evidence_text=e.get("evidence_text", ""),
        )
        for code, e in data.get("criteria", {}).items()
    }
    bonuses = {code: bool(applies) for code, applies in data.get("bonuses", {}).items()}
    reasons = {code: str(text) for code, text in data.get("bonus_reasons", {}).items()}
    return SheetEntries(
        MappingProxyType(criteria), MappingProxyType(bonuses), MappingProxyType(reasons)
    )
