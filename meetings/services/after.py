"""After the meeting: attendance, minutes and action items."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from members.models import Organization, User
from notifications.models import Mailing

from .. import emails
from ..models import ActionItem, Meeting
from .errors import MeetingStateError
from .sending import mailing_send


@transaction.atomic
def attendance_record(*, meeting: Meeting, organizations: Iterable[Organization], people: Iterable[User]) -> Meeting:
    """Who attended. People imply their organization."""
    people = list(people)
    organizations = {org.pk: org for org in organizations}
    for person in people:
        if person.organization_id:
            organizations.setdefault(person.organization_id, person.organization)
    meeting.attending_organizations.set(list(organizations.values()))
    meeting.attendees.set(people)
    meeting.attendance_recorded_at = timezone.now()
    if meeting.status == Meeting.Status.SCHEDULED and meeting.end < timezone.now():
        meeting.status = Meeting.Status.HELD
    meeting.save(update_fields=["attendance_recorded_at", "status", "updated_at"])
    return meeting


@transaction.atomic
def minutes_save(*, meeting: Meeting, text: str) -> Meeting:
    meeting.minutes_markdown = text
    meeting.save(update_fields=["minutes_markdown", "updated_at"])
    return meeting


@transaction.atomic
def minutes_publish(*, meeting: Meeting, by: User | None) -> Mailing | None:
    """Publish the minutes and send them (with a link) to everyone invited, the first time."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if not meeting.minutes_markdown.strip():
        raise MeetingStateError("Write the minutes before publishing them.")
    first_time = meeting.minutes_published_at is None
    meeting.minutes_published_at = timezone.now()
    meeting.save(update_fields=["minutes_published_at", "updated_at"])
    recipients = list(meeting.rsvps.all())
    if not (first_time and recipients):
        return None
    return mailing_send(meeting, emails.minutes(meeting, recipients), by=by)


@transaction.atomic
def action_item_add(*, meeting: Meeting, description: str, owner: Organization | None,
                    due_on: datetime.date | None) -> ActionItem:
    return ActionItem.objects.create(meeting=meeting, description=description, owner=owner, due_on=due_on)


@transaction.atomic
def action_item_update(*, item: ActionItem, description: str, owner: Organization | None,
                       due_on: datetime.date | None, status: str) -> ActionItem:
    item.description, item.owner, item.due_on, item.status = description, owner, due_on, status
    item.save()
    return item
