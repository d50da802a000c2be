"""The plan as a readable Vietnamese table and as JSON (``cumthidua plan show``)."""

from __future__ import annotations

import textwrap
from datetime import timedelta
from typing import Any

from bot.domain.cluster import ClusterYear, Window
from bot.domain.formatting import short_date
from bot.domain.time_frames import Recurrence, recurrence_of
from bot.i18n import N_, Translator
from bot.texts.roles import Leader, title_of

__all__ = ["RECURRENCES", "plan_json", "plan_table", "window_text"]

RECURRENCES = {
    Recurrence.WEEKLY: N_("every week"),
    Recurrence.MONTHLY: N_("every month"),
    Recurrence.QUARTERLY: N_("every quarter"),
    Recurrence.HALF_YEARLY: N_("every six months"),
    Recurrence.YEARLY: N_("every year"),
    Recurrence.PERIODIC: N_("periodically"),
    Recurrence.CONTINUOUS: N_("throughout the year"),
}


def window_text(window: Window, _: Translator, recurrence: Recurrence | None = None) -> str:
    """ "hạn chót 14/7/2023", "từ 1/10 đến 15/11/2026", "ngày 26/3/2024", "hằng quý"."""
    end = short_date(window.end)
    if window.recurring:
        return _(RECURRENCES[recurrence or recurrence_of(window) or Recurrence.CONTINUOUS])
    if window.start is None:
        return _("deadline {end}").format(end=end)
    if window.start == window.end:
        return _("on {day}").format(day=end)
    start = window.start
    one_month = (start.year, start.month) == (window.end.year, window.end.month)
    if one_month and start.day == 1 and (window.end + timedelta(days=1)).day == 1:
        return _("month {month}").format(month=f"{start.month}/{start.year}")
    written = f"{start.day}/{start.month}" if start.year == window.end.year else short_date(start)
    return _("from {start} to {end}").format(start=written, end=end)


def plan_table(year: ClusterYear, _: Translator) -> str:
    cluster, plan = year.cluster, year.plan
    chair = cluster.unit(cluster.chair)
    lines = [
        plan.title,
        _("{cluster} — {province} — {year}").format(
            cluster=cluster.name, province=cluster.province, year=cluster.year
        ),
        _("{title}: {unit} ({code})").format(
            title=title_of(cluster, Leader.CHAIR, _),
            unit=chair.full_name if chair else _("to be chosen"),
            code=chair.code if chair else "—",
        ),
        _("Members: {units}").format(
            units=", ".join(f"{u.full_name} ({u.code})" for u in cluster.members)
        ),
        "",
    ]
    number, frame, responsible, task_title = _("No."), _("Time frame"), _("Responsible"), _("Task")
    lines.append(f"{number:<4}{frame:<30}{responsible:<14}{task_title}")
    for task in plan.tasks:
        body = textwrap.wrap(task.title, 60) or [""]
        lines.append(
            f"{task.number:<4}{window_text(task.window, _):<30}{task.responsible:<14}{body[0]}"
        )
        lines.extend(" " * 48 + rest for rest in body[1:])
        if task.notes:
            lines.append(" " * 48 + f"({task.notes})")
    if plan.deliverables:
        lines += [
            "",
            _("Reports members owe the {title}:").format(title=title_of(cluster, Leader.CHAIR, _)),
        ]
        for item in plan.deliverables:
            lines.append(
                _("- {title}: due {due} (task {task})").format(
                    title=item.title, due=short_date(item.due), task=item.task
                )
            )
    return "\n".join(lines)


def plan_json(year: ClusterYear) -> dict[str, Any]:
    cluster = year.cluster
    return {
        "cluster": {
            "name": cluster.name,
            "province": cluster.province,
            "year": cluster.year,
            "timezone": cluster.timezone,
            "chair": cluster.chair,
        },
        "units": [
            {"code": u.code, "name": u.name, "kind": u.kind.value, "chair": u.code == cluster.chair}
            for u in cluster.units
        ],
        "title": year.plan.title,
        "tasks": [
            {
                "number": t.number,
                "title": t.title,
                "responsible": t.responsible,
                "coordinating": t.coordinating,
                "start": t.window.start.isoformat() if t.window.start else None,
                "end": t.window.end.isoformat(),
                "recurring": t.window.recurring,
                "time_frame": t.window.text,
                "notes": t.notes,
            }
            for t in year.plan.tasks
        ],
        "deliverables": [
            {
                "code": d.code,
                "title": d.title,
                "task": d.task,
                "due": d.due.isoformat(),
                "owed_by": [u.code for u in year.owers(d)],
                "with_score": d.with_score,
            }
            for d in year.plan.deliverables
        ],
    }
