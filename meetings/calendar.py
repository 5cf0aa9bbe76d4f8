"""iCalendar files for meetings, made with the ``icalendar`` library.

Times are written in UTC, which every calendar application reads without a
VTIMEZONE. The UID is the meeting's ``calendar_uid`` and never changes; the
SEQUENCE is the meeting's ``sequence``, so that an update or a cancellation
replaces the event already in the recipient's calendar.
"""

from __future__ import annotations

import datetime
from email.utils import parseaddr

from django.conf import settings
from django.urls import reverse
from icalendar import Calendar, Event, vCalAddress, vText

PRODID = "-//TIP working group//wgportal//EN"


def _utc(value: datetime.datetime) -> datetime.datetime:
    return value.astimezone(datetime.UTC)


def _organizer() -> vCalAddress:
    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    organizer = vCalAddress(f"mailto:{address}")
    organizer.params["cn"] = vText(name or address)
    return organizer


def _description(meeting, agenda) -> str:
    lines = [meeting.description.strip()] if meeting.description.strip() else []
    items = list(meeting.agenda_items.all()) if agenda is None else agenda
    if items:
        lines.append("Agenda:")
        for number, item in enumerate(items, 1):
            presenter = f" ({item.presenter.acronym or item.presenter.name})" if item.presenter else ""
            lines.append(f"{number}. {item.title}{presenter}, {item.minutes} min")
    lines.append(settings.SITE_URL + reverse("meetings:detail", args=[meeting.pk]))
    return "\n".join(lines)


def _event(meeting, *, cancelled: bool = False, attendee: tuple[str, str] | None = None, agenda=None) -> Event:
    event = Event()
    event.add("uid", meeting.calendar_uid)
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", _utc(datetime.datetime.now(datetime.UTC)))
    event.add("dtstart", _utc(meeting.start))
    event.add("dtend", _utc(meeting.end))
    event.add("summary", f"TIP working group: {meeting.title}")
    if meeting.venue:
        event.add("location", meeting.venue)
    event.add("description", _description(meeting, agenda))
    event.add("url", settings.SITE_URL + reverse("meetings:detail", args=[meeting.pk]))
    event.add("organizer", _organizer())
    event.add("status", "CANCELLED" if cancelled or meeting.status == "cancelled" else "CONFIRMED")
    if attendee is not None:
        email, name = attendee
        address = vCalAddress(f"mailto:{email}")
        address.params["cn"] = vText(name or email)
        address.params["role"] = vText("REQ-PARTICIPANT")
        address.params["partstat"] = vText("NEEDS-ACTION")
        address.params["rsvp"] = vText("TRUE")
        event.add("attendee", address, encode=0)
    return event


def _calendar(method: str | None) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if method:
        cal.add("method", method)
    return cal


def meeting_ics(meeting, *, method: str = "REQUEST", attendee: tuple[str, str] | None = None, agenda=None) -> str:
    """One meeting as an iCalendar text: REQUEST (invitation, update), CANCEL, or PUBLISH (download).
    ``agenda``: the meeting's agenda items when the caller has them already."""
    cal = _calendar(method)
    cal.add_component(_event(meeting, cancelled=method == "CANCEL", attendee=attendee, agenda=agenda))
    return cal.to_ical().decode("utf-8")


def feed_ics(meetings, *, name: str) -> str:
    """A subscription feed of several meetings."""
    cal = _calendar("PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    for meeting in meetings:
        cal.add_component(_event(meeting))
    return cal.to_ical().decode("utf-8")
