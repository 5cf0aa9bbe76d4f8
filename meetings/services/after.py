"""After the meeting: attendance, minutes and action items."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from members import permissions
from members.models import Organization, User
from notifications import services as outbox
from notifications.models import Mailing

from .. import emails
from ..models import ActionItem, Meeting
from .errors import MeetingStateError
from .sending import mailing_send


@transaction.atomic
def attendance_record(*, meeting: Meeting, organizations: Iterable[Organization], people: Iterable[User]) -> Meeting:
    """Who attended. People imply their organization.

    Attendance is a record of what happened: it opens once the meeting has
    started, and never for a draft or a cancelled meeting.
    """
    attendance_check_open(meeting)
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


def attendance_check_open(meeting: Meeting) -> None:
    """Raise MeetingStateError unless attendance may be recorded for ``meeting`` now."""
    if meeting.status in (Meeting.Status.DRAFT, Meeting.Status.CANCELLED):
        raise MeetingStateError(
            f"This meeting is {meeting.get_status_display().lower()}; there is no attendance to record.")
    if not meeting.has_started:
        raise MeetingStateError("Attendance opens once the meeting has started.")


def minutes_check_open(meeting: Meeting) -> None:
    """Minutes are the record of a meeting that took place: not before it starts, not for a cancelled one."""
    if meeting.status in (Meeting.Status.DRAFT, Meeting.Status.CANCELLED):
        raise MeetingStateError(f"This meeting is {meeting.get_status_display().lower()}; it has no minutes.")
    if not meeting.has_started:
        raise MeetingStateError("Minutes can be published once the meeting has started.")


@transaction.atomic
def minutes_save(*, meeting: Meeting, text: str) -> Meeting:
    """Save the text; a change to minutes already sent waits to be sent as a correction."""
    stored = Meeting.objects.select_for_update().get(pk=meeting.pk)
    meeting.minutes_correction_pending = stored.minutes_correction_pending or bool(
        stored.minutes_published_at and text != stored.minutes_markdown)
    meeting.minutes_markdown = text
    meeting.save(update_fields=["minutes_markdown", "minutes_correction_pending", "updated_at"])
    return meeting


@transaction.atomic
def minutes_publish(*, meeting: Meeting, by: User | None) -> Mailing | None:
    """Publish the minutes and send them (with a link) to everyone invited; published
    minutes edited since are sent again as a correction. Nothing is sent twice for
    the same text."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    minutes_check_open(meeting)
    if not meeting.minutes_markdown.strip():
        raise MeetingStateError("Write the minutes before publishing them.")
    first_time = meeting.minutes_published_at is None
    correction = not first_time and meeting.minutes_correction_pending
    if not (first_time or correction):
        return None
    meeting.minutes_published_at = meeting.minutes_published_at or timezone.now()
    meeting.minutes_correction_pending = False
    meeting.save(update_fields=["minutes_published_at", "minutes_correction_pending", "updated_at"])
    recipients = list(meeting.rsvps.all())
    if not recipients:
        return None
    return mailing_send(meeting, emails.minutes(meeting, recipients, correction=correction), by=by)


@transaction.atomic
def action_item_add(*, meeting: Meeting, description: str, owner: Organization | None,
                    due_on: datetime.date | None) -> ActionItem:
    return ActionItem.objects.create(meeting=meeting, description=description, owner=owner, due_on=due_on)


def action_item_may_complete(user: User, item: ActionItem) -> bool:
    """Co-chairs and the secretariat, and the people of the owner organization."""
    if permissions.is_coordinator(user):
        return True
    return (permissions.is_member(user) and item.owner_id is not None
            and item.owner_id == user.organization_id)


@transaction.atomic
def action_item_done(*, item: ActionItem, by: User) -> ActionItem:
    """Mark an open action item done, by its owner organization's people or a coordinator."""
    if not action_item_may_complete(by, item):
        raise PermissionDenied("Only the owner organization or the co-chairs mark this item done.")
    item = ActionItem.objects.select_for_update().get(pk=item.pk)
    if item.status != ActionItem.Status.OPEN:
        raise MeetingStateError(f"This action item is {item.get_status_display().lower()} already.")
    item.status = ActionItem.Status.DONE
    item.save(update_fields=["status", "updated_at"])
    return item


@transaction.atomic
def action_item_reminders_send(*, today: datetime.date | None = None) -> int:
    """Remind the owner organization's people of each open action item: once when it
    is due within ACTION_ITEM_REMINDER_DAYS, once when it is overdue. The dedupe key
    (item, stage, address) makes every later run send nothing more."""
    today = today or timezone.localdate()
    soon = today + datetime.timedelta(days=settings.ACTION_ITEM_REMINDER_DAYS)
    items = (ActionItem.objects.filter(status=ActionItem.Status.OPEN, due_on__isnull=False, due_on__lte=soon)
             .exclude(owner=None).exclude(meeting__status=Meeting.Status.CANCELLED)
             .select_related("meeting", "owner").order_by("due_on", "id"))
    people_of: dict[int, list[User]] = {}
    for person in User.objects.filter(is_active=True, organization__in={i.owner_id for i in items}).order_by("email"):
        people_of.setdefault(person.organization_id, []).append(person)
    queued = 0
    for item in items:
        people = people_of.get(item.owner_id, [])
        if not people:
            continue
        composed = emails.action_item_reminder(item, people, stage="overdue" if item.due_on < today else "due")
        queued += len(outbox.messages_queue(kind=composed.kind, emails=composed.emails))
    return queued


@transaction.atomic
def action_item_update(*, item: ActionItem, description: str, owner: Organization | None,
                       due_on: datetime.date | None, status: str) -> ActionItem:
    item.description, item.owner, item.due_on, item.status = description, owner, due_on, status
    item.save()
    return item
