"""The province's scoring table as data (``scoring.yaml`` in the cluster-year folder).

A tree of groups (I, I.1 …) whose leaves are criteria of four kinds seen in Vietnamese tables:
``quantitative`` (định lượng: an actual value against a target, by a named formula),
``qualitative`` (định tính: met or not), ``per_occurrence`` (chấm thẳng: points per occurrence,
capped at the maximum) and ``bonus_penalty`` (cộng/trừ: points within bounds). Plus whole-table
bonuses, classification thresholds, the award rules (how many Flags and Certificates of Merit to
propose, named ranks) and tie-breaks.
"""

from __future__ import annotations

from enum import StrEnum
from functools import cached_property
from typing import Annotated, Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

__all__ = [
    "AwardRules",
    "Bonus",
    "Classification",
    "Criterion",
    "CriterionKind",
    "Group",
    "ScoringTable",
]


class CriterionKind(StrEnum):
    QUANTITATIVE = "quantitative"
    QUALITATIVE = "qualitative"
    PER_OCCURRENCE = "per_occurrence"
    BONUS_PENALTY = "bonus_penalty"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Criterion(_Model):
    code: str
    name: str
    max: float = Field(ge=0)
    """Above 0, but for a deduction-only bonus_penalty criterion (from a negative ``min`` to 0)."""
    kind: CriterionKind
    target: float | None = Field(default=None, gt=0)
    """quantitative: the value that earns full marks."""
    unit: str = ""
    """quantitative: what the value counts (%, hộ, km…)."""
    formula: Literal["proportional", "full_at_target"] = "proportional"
    points_each: float | None = Field(default=None, gt=0)
    """per_occurrence: points for each occurrence."""
    min: float = 0
    """bonus_penalty: the lowest points (negative for deductions)."""

    @model_validator(mode="after")
    def _complete(self) -> Self:
        if self.kind is CriterionKind.QUANTITATIVE and self.target is None:
            raise ValueError(f"{self.code}: a quantitative criterion needs a target")
        if self.kind is CriterionKind.PER_OCCURRENCE and self.points_each is None:
            raise ValueError(f"{self.code}: a per_occurrence criterion needs points_each")
        if self.kind is not CriterionKind.BONUS_PENALTY and self.min != 0:
            raise ValueError(f"{self.code}: only bonus_penalty criteria may go below 0")
        if self.min >= self.max:
            raise ValueError(f"{self.code}: the maximum must be above 0 (or above a negative min)")
        return self


class Group(_Model):
    code: str
    name: str
    items: tuple[Annotated[Group | Criterion, Field(union_mode="left_to_right")], ...]

    def criteria(self) -> list[Criterion]:
        found: list[Criterion] = []
        for item in self.items:
            found += item.criteria() if isinstance(item, Group) else [item]
        return found


class Bonus(_Model):
    code: str
    name: str
    points: float


class Classification(_Model):
    name: str
    min_total: float
    min_share_each: float = Field(default=0, ge=0, le=1)
    """Every criterion (but bonus/penalty ones) must reach this share of its maximum."""
    award_eligible: bool = False


class AwardRules(_Model):
    """What the cluster proposes to the province, in ranking order of the award-eligible units
    (or as the year-end vote decided)."""

    flags: int = Field(default=1, ge=0)
    """Emulation Flags (Cờ thi đua): some clusters propose two."""
    merit_certificates: int = Field(default=1, ge=0)
    """Certificates of Merit (Bằng khen), for the units after the Flags."""
    named_ranks: tuple[str, ...] = ()
    """Names of the leading places, in order ("Nhất", "Nhì", "Ba"), where a province ranks so."""


class ScoringTable(_Model):
    title: str
    example: bool = False
    """True for an illustrative table that the province's official one must replace."""
    groups: tuple[Group, ...]
    bonuses: tuple[Bonus, ...] = ()
    classifications: tuple[Classification, ...]
    """From the highest to the lowest; the first whose conditions hold applies."""
    awards: AwardRules = AwardRules()
    tie_break: tuple[str, ...] = ()
    """Group codes whose subtotals decide ties, in order; then the unit code."""

    @model_validator(mode="before")
    @classmethod
    def _merit_certificates_at_the_top(cls, data: Any) -> Any:
        """Tables written before ``awards`` name ``merit_certificates`` at the top level."""
        if isinstance(data, dict) and "merit_certificates" in data:
            data = dict(data)
            awards = dict(data.get("awards") or {})
            awards.setdefault("merit_certificates", data.pop("merit_certificates"))
            data["awards"] = awards
        return data

    @model_validator(mode="after")
    def _unique_codes(self) -> Self:
        codes = [c.code for c in self.criteria()] + [b.code for b in self.bonuses]
        if len(set(codes)) != len(codes):
            raise ValueError("criterion and bonus codes must be unique")
        groups = {g.code for g in self.groups}
        unknown = set(self.tie_break) - groups
        if unknown:
            raise ValueError(f"tie_break names unknown groups {sorted(unknown)}")
        return self

    def criteria(self) -> list[Criterion]:
        return list(self._criteria)

    @cached_property
    def _criteria(self) -> tuple[Criterion, ...]:
        """Every criterion in order, found once (a ranking asks for them per unit)."""
        return tuple(c for group in self.groups for c in group.criteria())

    @cached_property
    def criterion_codes(self) -> tuple[str, ...]:
        """Every criterion's code, in order (a total reads them for each unit)."""
        return tuple(c.code for c in self._criteria)

    @cached_property
    def held_to_shares(self) -> tuple[tuple[str, ...], tuple[float, ...]]:
        """The codes and maxima of the criteria a classification's ``min_share_each`` applies
        to: all but bonus/penalty ones."""
        held = [c for c in self._criteria if c.kind is not CriterionKind.BONUS_PENALTY]
        return tuple(c.code for c in held), tuple(c.max for c in held)

    def group_criterion_codes(self, group_code: str) -> tuple[str, ...]:
        """The codes of a top-level group's criteria, in order (for its subtotal)."""
        return self._group_codes[group_code]

    @cached_property
    def _group_codes(self) -> dict[str, tuple[str, ...]]:
        return {g.code: tuple(c.code for c in g.criteria()) for g in reversed(self.groups)}

    def criterion(self, code: str) -> Criterion | None:
        return next((c for c in self.criteria() if c.code == code), None)

    def group_of(self, code: str) -> Group:
        return next(g for g in self.groups if any(c.code == code for c in g.criteria()))

    @property
    def max_total(self) -> float:
        return sum(c.max for c in self.criteria()) + sum(
            b.points for b in self.bonuses if b.points > 0
        )
