"""A problem of a stored cluster-year (``check-config``), said with its cluster, year and field
and what to write instead."""

from __future__ import annotations

from bot.domain.cluster_checks import Problem, ProblemKind
from bot.i18n import N_, Translator

__all__ = ["problem_text"]

_PROBLEMS = {
    ProblemKind.TIME_ZONE: N_("“{value}” is not a time zone; write it as Asia/Ho_Chi_Minh."),
    ProblemKind.CHAIR: N_("the chair “{value}” is not one of its units."),
    ProblemKind.DEPUTY: N_("the deputy “{value}” must be another of its units."),
    ProblemKind.DATE: N_(
        "{value} is outside the cluster's year: a date of its plan falls in {other}."
    ),
    ProblemKind.TWO_CLUSTERS: N_(
        "the unit {value} is also in {other} that year; a unit belongs to one cluster a year."
    ),
}


def problem_text(problem: Problem, _: Translator) -> str:
    other = problem.other
    if problem.kind is ProblemKind.DATE:
        other = _("{first} or {last}").format(first=problem.year, last=problem.year + 1)
    if problem.kind is ProblemKind.INVALID:
        what = problem.value  # the model's own words
    else:
        what = _(_PROBLEMS[problem.kind]).format(value=problem.value, other=other)
    return _("{cluster} {year}, field {field}: {problem}").format(
        cluster=problem.cluster, year=problem.year, field=problem.field, problem=what
    )
