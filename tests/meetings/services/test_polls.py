"""meetings.services.polls: date polls."""

import datetime

import pytest

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
