"""Scheduling: creating, editing, scheduling and cancelling meetings, and their agenda."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from members.models import Organization, User
from notifications.models import Mailing

from .. import emails
from ..models import AgendaItem, Meeting
from .errors import MeetingStateError
from .sending import mailing_send

# Changing these on a scheduled meeting makes the invitations out of date.
CALENDAR_FIELDS = ("start", "end", "venue", "title")


def _status_on_save(status: str, end: datetime.datetime) -> str:
    """A meeting scheduled with a past date is recorded as held: no invitations go out for it."""
    if status == Meeting.Status.SCHEDULED and end < timezone.now():
        return Meeting.Status.HELD
    return status


@transaction.atomic
def meeting_create(
    *, by: User | None, title: str, number: int, start: datetime.datetime, end: datetime.datetime,
    venue: str = "", host: Organization | None = None, description: str = "", status: str = Meeting.Status.DRAFT,
    audience_all: bool = True, audience_organizations: Iterable[Organization] = (), extra_addresses: str = "",
) -> Meeting:
    """A new meeting: a draft, or scheduled (held when its date is past)."""
    meeting = Meeting.objects.create(
        created_by=by, title=title, number=number, start=start, end=end, venue=venue, host=host,
        description=description, status=_status_on_save(status, end), audience_all=audience_all,
        extra_addresses=extra_addresses,
    )
    meeting.audience_organizations.set(list(audience_organizations))
    return meeting


@transaction.atomic
def meeting_update(
    *, meeting: Meeting, by: User | None, audience_organizations: Iterable[Organization] | None = None, **fields
) -> Meeting:
    """Save changed fields; a change of time or place after the invitations went
    out marks the meeting as needing an update."""
    stored = Meeting.objects.select_for_update().get(pk=meeting.pk)
    changed = {name for name, value in fields.items() if getattr(stored, name) != value}
    for name, value in fields.items():
        setattr(meeting, name, value)
    meeting.invitations_sent_at, meeting.status = stored.invitations_sent_at, stored.status
    meeting.update_pending = stored.update_pending
    if changed & set(CALENDAR_FIELDS):
        _mark_update_pending(meeting)
    meeting.save(update_fields=[*fields, "update_pending", "updated_at"])
    if audience_organizations is not None:
        meeting.audience_organizations.set(list(audience_organizations))
    return meeting


def _mark_update_pending(meeting: Meeting) -> None:
    if meeting.status == Meeting.Status.SCHEDULED and meeting.invitations_sent_at:
        meeting.update_pending = True


@transaction.atomic
def meeting_schedule(*, meeting: Meeting, by: User | None) -> Meeting:
    """Publish a draft: scheduled, or held when its date is past."""
    if meeting.status != Meeting.Status.DRAFT:
        raise MeetingStateError("Only a draft can be scheduled.")
    meeting.status = _status_on_save(Meeting.Status.SCHEDULED, meeting.end)
    meeting.save(update_fields=["status", "updated_at"])
    return meeting


@transaction.atomic
def meeting_cancel(*, meeting: Meeting, by: User | None) -> Mailing | None:
    """Cancel the meeting; everyone invited receives METHOD:CANCEL."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status in (Meeting.Status.CANCELLED, Meeting.Status.HELD):
        raise MeetingStateError(f"This meeting is {meeting.get_status_display().lower()}; it cannot be cancelled.")
    was_sent = meeting.invitations_sent_at is not None
    meeting.status = Meeting.Status.CANCELLED
    meeting.cancelled_at = timezone.now()
    meeting.sequence += 1
    meeting.update_pending = False
    meeting.save(update_fields=["status", "cancelled_at", "sequence", "update_pending", "updated_at"])
    invited = list(meeting.rsvps.exclude(sent_at=None))
    if not (was_sent and invited):
        return None
    return mailing_send(meeting, emails.cancellation(meeting, invited), by=by)


# Agenda -----------------------------------------------------------------------


def _agenda_changed(meeting: Meeting) -> None:
    if meeting.status == Meeting.Status.SCHEDULED and meeting.invitations_sent_at and not meeting.update_pending:
        meeting.update_pending = True
        meeting.save(update_fields=["update_pending", "updated_at"])


@transaction.atomic
def agenda_item_add(*, meeting: Meeting, title: str, presenter: Organization | None = None,
                    minutes: int = 15) -> AgendaItem:
    order = (meeting.agenda_items.aggregate(n=Max("order"))["n"] or 0) + 1
    item = AgendaItem.objects.create(meeting=meeting, title=title, presenter=presenter, minutes=minutes, order=order)
    _agenda_changed(meeting)
    return item


@transaction.atomic
def agenda_item_update(*, item: AgendaItem, title: str, presenter: Organization | None, minutes: int) -> AgendaItem:
    item.title, item.presenter, item.minutes = title, presenter, minutes
    item.save()
    _agenda_changed(item.meeting)
    return item


@transaction.atomic
def agenda_item_delete(*, item: AgendaItem) -> None:
    meeting = item.meeting
    item.delete()
    _renumber(list(meeting.agenda_items.all()))
    _agenda_changed(meeting)


@transaction.atomic
def agenda_item_move(*, item: AgendaItem, direction: str) -> None:
    """Swap an item with its neighbour (``direction`` "up" or "down")."""
    items = list(item.meeting.agenda_items.select_for_update().all())
    index = next(i for i, other in enumerate(items) if other.pk == item.pk)
    target = index - 1 if direction == "up" else index + 1
    if 0 <= target < len(items):
        items[index], items[target] = items[target], items[index]
        _renumber(items)
        _agenda_changed(item.meeting)


def _renumber(items: list[AgendaItem]) -> None:
    for order, item in enumerate(items, 1):
        item.order = order
    AgendaItem.objects.bulk_update(items, ["order"])
