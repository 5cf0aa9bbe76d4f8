"""iTIP messages (RFC 5546) that calendar applications send back, read with icalendar.

Only what the portal acts on is kept: the method, the event's UID and
SEQUENCE, when the reply was made, each attendee's address and PARTSTAT, and
for a COUNTER the proposed times. Anything that does not parse, or parses into
values of the wrong kind, is an ``ItipError``: the caller refuses the message.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from icalendar import Calendar

METHODS = {"REPLY", "COUNTER"}


class ItipError(ValueError):
    """The calendar part cannot be read as an iTIP reply."""


@dataclass(frozen=True)
class Attendee:
    email: str
    partstat: str


@dataclass(frozen=True)
class ItipMessage:
    method: str
    uid: str
    sequence: int
    dtstamp: datetime.datetime | None
    attendees: tuple[Attendee, ...]
    start: datetime.datetime | None = None
    end: datetime.datetime | None = None
    comment: str = ""

    def attendee(self, *emails: str) -> Attendee | None:
        wanted = {e.lower() for e in emails if e}
        return next((a for a in self.attendees if a.email in wanted), None)


def _address(value) -> str:
    text = str(value).strip()
    if text.lower().startswith("mailto:"):
        text = text[7:]
    return text.strip().lower()[:254]


def _datetime(event, name: str) -> datetime.datetime | None:
    if event.get(name) is None:
        return None
    try:
        value = event.decoded(name)
    except Exception as exc:  # icalendar raises several kinds for a bad value
        raise ItipError(f"{name} does not parse") from exc
    if isinstance(value, datetime.datetime):
        return value if value.tzinfo else value.replace(tzinfo=datetime.UTC)
    if isinstance(value, datetime.date):
        return datetime.datetime.combine(value, datetime.time(), tzinfo=datetime.UTC)
    raise ItipError(f"{name} is not a date")


def itip_parse(text: str, *, method_hint: str = "") -> ItipMessage | None:
    """The iTIP reply in ``text``; None for other methods (REQUEST, PUBLISH...)."""
    try:
        calendar = Calendar.from_ical(text)
    except Exception as exc:  # ValueError mostly; a hostile file may find others
        raise ItipError(f"calendar does not parse ({type(exc).__name__})") from exc
    if not isinstance(calendar, Calendar) or calendar.name != "VCALENDAR":
        raise ItipError("not a VCALENDAR")
    method = str(calendar.get("method") or method_hint or "").strip().upper()
    if method not in METHODS:
        return None
    events = calendar.walk("VEVENT")
    if len(events) != 1:
        raise ItipError(f"{len(events)} events in a {method}; one expected")
    event = events[0]
    uid = str(event.get("uid") or "").strip()
    if not uid:
        raise ItipError("no UID")
    try:
        sequence = int(event.get("sequence", 0))
    except (TypeError, ValueError) as exc:
        raise ItipError("SEQUENCE is not a number") from exc
    raw_attendees = event.get("attendee") or []
    if not isinstance(raw_attendees, list):
        raw_attendees = [raw_attendees]
    attendees = tuple(
        Attendee(email=_address(a), partstat=str(getattr(a, "params", {}).get("PARTSTAT", "")).strip().upper())
        for a in raw_attendees
    )
    return ItipMessage(
        method=method, uid=uid[:255], sequence=sequence, dtstamp=_datetime(event, "dtstamp"),
        attendees=attendees,
        # Only a COUNTER's times matter (the proposal); a REPLY's are not read.
        start=_datetime(event, "dtstart") if method == "COUNTER" else None,
        end=_datetime(event, "dtend") if method == "COUNTER" else None,
        comment=str(event.get("comment") or "").strip()[:2000],
    )
