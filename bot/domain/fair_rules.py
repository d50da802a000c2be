"""The year's fair rules as data of the cluster-year where provinces differ (``rules:`` in
``cluster.yaml``): who reviews the chair unit, when the scores may be locked, which
deliverables a unit must have sent to be proposed for an award. Applied by
:mod:`bot.domain.fair_rule_checks`."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["ChairReviewer", "FairRules"]


class ChairReviewer(StrEnum):
    """Who reviews the chair unit's own self-score and answers, never the chair itself."""

    DEPUTY = "deputy"
    """The deputy unit (Cụm phó); the province board where the year has no deputy."""
    PROVINCE = "province"
    """Always the provincial emulation board."""


class FairRules(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    chair_reviewed_by: ChairReviewer = ChairReviewer.DEPUTY
    lock_after_score_due: bool = True
    """The scores are locked only after the due day of the last deliverable that carries the
    self-score (``with_score``), unless the chair gives a reason (audited)."""
    award_requires: tuple[str, ...] | None = Field(default=None)
    """Codes of the deliverables a unit must have sent (or been excused from) to be proposed
    for an award; None: the deliverables with ``with_score``. A unit is held only to those it
    owes; a code the plan does not have names nothing."""
