"""meetings.services.polls: date polls."""

import datetime

import pytest
from django.utils import timezone

from meetings import services
from meetings.models import DatePoll
from tests.meetings.factories import MeetingFactory, in_days

pytestmark = pytest.mark.django_db


def test_poll_to_meeting(member, cochair):
    start = in_days(20)
    slots = [(start, start + datetime.timedelta(hours=2)), (start + datetime.timedelta(days=1),
                                                            start + datetime.timedelta(days=1, hours=2))]
    poll = services.poll_create(by=cochair, title="Fourth meeting", slots=slots, venue="IOM")
    first, second = poll.slots.all()
    services.poll_answer(poll=poll, user=member, answers={first.pk: "no", second.pk: "yes", 999999: "yes"})
    services.poll_answer(poll=poll, user=member, answers={first.pk: "maybe"})
    assert {a.answer for a in first.answers.all()} == {"maybe"}
    MeetingFactory(number=7, status="held", start=in_days(-40), end=in_days(-40, 12))
    meeting = services.poll_schedule(poll=poll, slot=second, by=cochair)
    assert meeting.status == "scheduled" and meeting.number == 8 and meeting.start == second.start
    assert meeting.venue == "IOM"
    poll.refresh_from_db()
    assert poll.status == DatePoll.Status.CLOSED and poll.meeting == meeting
    with pytest.raises(services.MeetingStateError):
        services.poll_answer(poll=poll, user=member, answers={first.pk: "yes"})
    with pytest.raises(ValueError):
        services.poll_create(by=cochair, title="Too few", slots=slots[:1])


def _two_slots():
    start = in_days(20)
    return [(start, start + datetime.timedelta(hours=2)),
            (start + datetime.timedelta(days=1), start + datetime.timedelta(days=1, hours=2))]


def test_answers_close_after_the_deadline(member, cochair):
    poll = services.poll_create(by=cochair, title="Fifth meeting", slots=_two_slots(),
                                deadline=timezone.localdate() - datetime.timedelta(days=1))
    first = poll.slots.first()
    with pytest.raises(services.MeetingStateError, match="deadline"):
        services.poll_answer(poll=poll, user=member, answers={first.pk: "yes"})
    DatePoll.objects.filter(pk=poll.pk).update(deadline=timezone.localdate())
    poll.refresh_from_db()
    services.poll_answer(poll=poll, user=member, answers={first.pk: "yes"})  # the deadline day itself counts
    assert first.answers.get().answer == "yes"


def test_poll_closed_without_scheduling(member, cochair):
    poll = services.poll_create(by=cochair, title="Fifth meeting", slots=_two_slots())
    services.poll_close(poll=poll, by=cochair)
    poll.refresh_from_db()
    assert poll.status == DatePoll.Status.CLOSED and poll.meeting is None
    with pytest.raises(services.MeetingStateError):
        services.poll_close(poll=poll, by=cochair)
    with pytest.raises(services.MeetingStateError):
        services.poll_answer(poll=poll, user=member, answers={poll.slots.first().pk: "yes"})


def test_those_who_answered_are_told_the_chosen_date(member, cochair, mailoutbox,
                                                     django_capture_on_commit_callbacks):
    poll = services.poll_create(by=cochair, title="Fifth meeting", slots=_two_slots())
    first, second = poll.slots.all()
    services.poll_answer(poll=poll, user=member, answers={second.pk: "yes"})
    with django_capture_on_commit_callbacks(execute=True):
        meeting = services.poll_schedule(poll=poll, slot=second, by=cochair)
    assert [m.to[0] for m in mailoutbox] == [f"{member.full_name} <{member.email}>"]
    assert mailoutbox[0].subject.startswith("Date chosen: Fifth meeting")
    assert f"/meetings/{meeting.pk}/" in mailoutbox[0].body
