"""The words of reminders, escalations, nudges and the weekly digest."""

from __future__ import annotations

from datetime import date

from bot.domain.cluster import Cluster, Deliverable, Task
from bot.domain.formatting import short_date
from bot.domain.messages import Option, Reply
from bot.i18n import Translator
from bot.texts.roles import Leader, title_of, unit_label

__all__ = ["chair_task_reply", "escalation_reply", "monthly_reply", "unit_reminder_reply"]


def _when(due: date, day: date, _: Translator) -> str:
    days = (due - day).days
    if days > 0:
        return _("{days} day(s) left").format(days=days)
    if days == 0:
        return _("due today")
    return _("{days} day(s) overdue").format(days=-days)


def unit_reminder_reply(
    cluster: Cluster, deliverable: Deliverable, unit_code: str, day: date, _: Translator
) -> Reply:
    overdue = day > deliverable.due
    template = (
        _(
            "⚠️ Overdue: {title} of {unit} was due on {due} ({when}). "
            "Please send it as soon as you can."
        )
        if overdue
        else _("⏰ Reminder: {title} of {unit} is due on {due} ({when}).")
    )
    text = template.format(
        title=deliverable.title,
        unit=unit_label(cluster, unit_code, _),
        due=short_date(deliverable.due),
        when=_when(deliverable.due, day, _),
    )
    options = [Option(_("Send the report now"), f"report:{deliverable.code}")]
    if day < deliverable.due:  # never put off past the deadline
        options.append(Option(_("Remind me later"), f"snooze:{deliverable.code}"))
    options.append(Option(_("Sent on paper"), f"paper:{deliverable.code}"))
    return Reply(text, tuple(options))


def escalation_reply(
    cluster: Cluster, deliverable: Deliverable, unit_code: str, day: date, _: Translator
) -> Reply:
    return Reply(
        _("⚠️ {unit} has not sent {title} (due {due}, {when}); the unit was reminded.").format(
            unit=unit_label(cluster, unit_code, _),
            title=deliverable.title,
            due=short_date(deliverable.due),
            when=_when(deliverable.due, day, _),
        )
    )


def chair_task_reply(cluster: Cluster, task: Task, day: date, _: Translator) -> Reply:
    text = _("⏰ Task {number} of the {chair}: {title} — {frame} (by {due}, {when}).").format(
        number=task.number,
        chair=title_of(cluster, Leader.CHAIR, _),
        title=task.title,
        frame=task.window.text or short_date(task.window.end),
        due=short_date(task.window.end),
        when=_when(task.window.end, day, _),
    )
    return Reply(text, (Option(_("Mark it done"), f"taskdone:{task.number}"),))


def monthly_reply(task: Task, day: date, _: Translator) -> Reply:
    return Reply(
        _("🔁 Ongoing task {number} ({month}/{year}): {title}").format(
            number=task.number, month=day.month, year=day.year, title=task.title
        )
    )
