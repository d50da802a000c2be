"""An imported plan as the chair reviews it: the preview, the flagged rows, the differences from
the current plan (and the same as JSON for the command line)."""

from __future__ import annotations

from typing import Any

from bot.domain.cluster import ClusterYear
from bot.domain.plan_import import ImportedPlan, ImportedTask
from bot.domain.strings import fold, shorten
from bot.domain.time_frames import Recurrence
from bot.domain.unit_names import find_unit
from bot.i18n import Translator
from bot.texts.plan import window_text
from bot.texts.roles import Leader, title_of

__all__ = ["differences", "import_json", "preview_text"]


def _frame(task: ImportedTask, _: Translator) -> str:
    if task.flagged:
        if not task.frame:
            return _("⚠️ no time frame")
        return _("“{frame}” ⚠️ not understood").format(frame=task.frame)
    window = task.window()
    assert window is not None
    return window_text(window, _, Recurrence(task.recurrence) if task.recurrence else None)


def _cluster_notes(imported: ImportedPlan, year: ClusterYear, _: Translator) -> list[str]:
    cluster, notes = year.cluster, []
    if imported.year is None:
        notes.append(_("⚠️ The document does not say its year, so no row could be dated."))
    elif imported.year != cluster.year:
        notes.append(
            _("⚠️ The document is for {found}, the cluster data for {year}.").format(
                found=imported.year, year=cluster.year
            )
        )
    found = ([imported.chair] if imported.chair else []) + imported.members
    unknown = [f"{kind} {name}" for kind, name in found if not find_unit(kind, name, cluster.units)]
    if unknown:
        notes.append(_("⚠️ Units not in the cluster data: {units}").format(units=", ".join(unknown)))
    chair = cluster.unit(cluster.chair)
    if imported.chair is None:
        notes.append(_("⚠️ The document does not say which unit chairs the cluster."))
    elif chair and find_unit(*imported.chair, [chair]) is None:
        notes.append(
            _("⚠️ The document's chair is {found}, the cluster data's {chair}.").format(
                found=imported.chair[1], chair=chair.name
            )
        )
    return notes


def import_json(imported: ImportedPlan, year: ClusterYear) -> dict[str, Any]:
    """What the document gave, each unit with the code of the cluster's unit it is (or null)."""
    data = imported.as_json()
    for entry in [data["chair"], *data["members"]]:
        if entry is not None:
            unit = find_unit(entry["kind"], entry["name"], year.cluster.units)
            entry["unit"] = unit.code if unit else None
    return data


def differences(imported: ImportedPlan, year: ClusterYear, _: Translator) -> list[str]:
    current = {t.number: t for t in year.plan.tasks}
    lines = []
    for task in imported.tasks:
        old = current.pop(task.number, None)
        if old is None:
            lines.append(_("+ new task {number}").format(number=task.number))
        elif (
            old.window.start.isoformat() if old.window.start else None,
            old.window.end.isoformat(),
        ) != (task.start, task.end):
            lines.append(_("~ task {number}: the dates change").format(number=task.number))
        elif fold(old.title) != fold(task.title):
            lines.append(_("~ task {number}: the text changes").format(number=task.number))
    lines += [
        _("- task {number} is no longer in the plan").format(number=n) for n in sorted(current)
    ]
    return lines


def preview_text(imported: ImportedPlan, year: ClusterYear, _: Translator) -> str:
    lines = [
        _("Plan read from the document: {title}").format(title=imported.title),
        _("Year {year}; {title}: {chair}; members: {members}").format(
            year=imported.year or "?",
            title=title_of(year.cluster, Leader.CHAIR, _),
            chair=" ".join(imported.chair) if imported.chair else "?",
            members=", ".join(f"{k} {n}" for k, n in imported.members) or "?",
        ),
        "",
    ]
    for task in imported.tasks:
        lines.append(f"{task.number}. {_frame(task, _)} — {shorten(task.title, 90)}")
    lines += _cluster_notes(imported, year, _)
    if imported.flagged:
        lines.append(_("Rows to fix: {rows}").format(rows=", ".join(map(str, imported.flagged))))
    changes = differences(imported, year, _)
    lines.append(
        _("Changes from the current plan:") if changes else _("No change from the current plan.")
    )
    lines += changes
    return "\n".join(lines)
