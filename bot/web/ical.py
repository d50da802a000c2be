"""A person's deadlines in words, and as an iCalendar feed (RFC 5545, by ``icalendar``):
all-day events on the day shown, with UIDs that stay the same from one fetch to the next."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.domain.formatting import short_date
from bot.i18n import Translator, translator
from bot.texts.voting import TITLE_NAMES
from bot.usecases.calendar_feed import CalendarFeed, Deadline, DeadlineKind

__all__ = ["deadline_note", "deadline_summary", "feed_bytes"]

PRODUCT = "-//cumthidua//deadlines//VI"


def deadline_summary(deadline: Deadline, _: Translator) -> str:
    if deadline.kind is DeadlineKind.VOTE:
        assert deadline.ballot is not None
        return _("Vote on {title}, round {round}: voting closes").format(
            title=_(TITLE_NAMES[deadline.ballot]), round=deadline.round
        )
    if deadline.kind is DeadlineKind.PACT:
        return _("Emulation pact: the day to sign it by")
    return _("Due: {title}").format(title=deadline.title)


def deadline_note(deadline: Deadline, _: Translator) -> str:
    """Why the day shown is not the date set, when it is not."""
    if deadline.day == deadline.planned:
        return ""
    return _(
        "The date set is {planned}, a day off; the reminders treat {day}, the working day "
        "before, as the deadline."
    ).format(planned=short_date(deadline.planned), day=short_date(deadline.day))


def feed_bytes(feed: CalendarFeed, now: datetime) -> bytes:
    from icalendar import Calendar, Event  # loaded on the first feed, not at start

    _ = translator(feed.language)
    calendar = Calendar()
    calendar.add("prodid", PRODUCT)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add(
        "x-wr-calname",
        _("Deadlines: {cluster} {year}").format(cluster=feed.cluster, year=feed.year),
    )
    calendar.add("x-wr-timezone", feed.timezone)
    for deadline in feed.deadlines:
        event = Event()
        event.add("uid", deadline.uid)
        event.add("dtstamp", now)
        event.add("dtstart", deadline.day)
        event.add("dtend", deadline.day + timedelta(days=1))
        event.add("summary", deadline_summary(deadline, _))
        note = deadline_note(deadline, _)
        if note:
            event.add("description", note)
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return calendar.to_ical()
