"""Finding a date: date polls, their answers, and the meeting scheduled from one."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from members.models import Organization, User
from members.selectors import people_of_active_members
from notifications.models import Mailing

from .. import emails, selectors
from ..models import DatePoll, Meeting, PollAnswer, PollSlot
from .errors import MeetingStateError
from .scheduling import meeting_create
from .sending import mailing_send


@transaction.atomic
def poll_create(*, by: User | None, title: str, slots: list[tuple[datetime.datetime, datetime.datetime]],
                description: str = "", venue: str = "", host: Organization | None = None,
                notify: bool = False, deadline: datetime.date | None = None) -> DatePoll:
    """Open a date poll; with ``notify``, every member receives a link to answer it."""
    if not 2 <= len(slots) <= 8:
        raise ValueError("A date poll offers 2 to 8 slots.")
    poll = DatePoll.objects.create(created_by=by, title=title, description=description, venue=venue, host=host,
                                   deadline=deadline)
    PollSlot.objects.bulk_create([PollSlot(poll=poll, start=start, end=end) for start, end in sorted(slots)])
    if notify:
        _poll_notify(poll, by=by)
    return poll


def _poll_notify(poll: DatePoll, *, by: User | None) -> Mailing | None:
    people = list(people_of_active_members().order_by("email"))
    if not people:
        return None
    return mailing_send(poll, emails.date_poll(poll, people), by=by)


@transaction.atomic
def poll_answer(*, poll: DatePoll, user: User, answers: dict[int, str]) -> None:
    """``answers``: slot id -> yes / maybe / no; replaces the user's earlier answers."""
    if poll.status != DatePoll.Status.OPEN:
        raise MeetingStateError("This poll is closed.")
    if poll.deadline and timezone.localdate() > poll.deadline:
        raise MeetingStateError("The deadline of this poll has passed; answers are closed.")
    slots = {slot.pk: slot for slot in poll.slots.all()}
    for slot_id, answer in answers.items():
        if slot_id in slots and answer in PollAnswer.Answer.values:
            PollAnswer.objects.update_or_create(slot=slots[slot_id], user=user, defaults={"answer": answer})


@transaction.atomic
def poll_schedule(*, poll: DatePoll, slot: PollSlot, by: User | None) -> Meeting:
    """Turn the chosen slot into a scheduled meeting and close the poll."""
    poll = DatePoll.objects.select_for_update().get(pk=poll.pk)
    if poll.status != DatePoll.Status.OPEN:
        raise MeetingStateError("This poll is closed already.")
    meeting = meeting_create(
        by=by, title=poll.title, number=selectors.meeting_number_next(), start=slot.start, end=slot.end,
        venue=poll.venue, host=poll.host, description=poll.description, status=Meeting.Status.SCHEDULED,
    )
    poll.status, poll.meeting = DatePoll.Status.CLOSED, meeting
    poll.save(update_fields=["status", "meeting"])
    # Those who answered are told the date chosen (the invitation follows when the agenda is ready).
    participants = list(User.objects.filter(
        is_active=True, pk__in=PollAnswer.objects.filter(slot__poll=poll).values("user")).order_by("email"))
    if participants:
        mailing_send(poll, emails.poll_result(poll, meeting, participants), by=by)
    return meeting


@transaction.atomic
def poll_close(*, poll: DatePoll, by: User | None) -> DatePoll:
    """Close the poll without scheduling a meeting (no date suited, or the plan changed)."""
    poll = DatePoll.objects.select_for_update().get(pk=poll.pk)
    if poll.status != DatePoll.Status.OPEN:
        raise MeetingStateError("This poll is closed already.")
    poll.status = DatePoll.Status.CLOSED
    poll.save(update_fields=["status"])
    return poll
