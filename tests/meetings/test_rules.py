"""Who may know which meetings exist, and what hangs on them (meetings/rules.py)."""

import pytest

from meetings import services
from meetings.models import (
    ActionItem,
    AgendaItem,
    CalendarFeed,
    DatePoll,
    Meeting,
    PollAnswer,
    PollSlot,
    Rsvp,
)
from members import permissions as p
from tests.meetings.factories import (
    ActionItemFactory,
    AgendaItemFactory,
    MeetingFactory,
    RsvpFactory,
    in_days,
)

pytestmark = pytest.mark.django_db

ROLES = ["outsider", "member", "secretariat", "cochair"]


@pytest.fixture
def draft(db):
    meeting = MeetingFactory(status="draft", title="Draft agenda for March")
    AgendaItemFactory(meeting=meeting, title="Draft item")
    ActionItemFactory(meeting=meeting, description="Draft action")
    return meeting


@pytest.mark.parametrize("role, sees",
                         [("outsider", False), ("member", False), ("secretariat", True), ("cochair", True)])
def test_draft_meeting_is_known_to_coordinators_only(users_by_role, draft, role, sees):
    user = users_by_role[role]
    assert p.can(user, p.VIEW, draft) is sees
    assert p.visible_to(user, Meeting.objects.all()).filter(pk=draft.pk).exists() is sees


@pytest.mark.parametrize("model", [AgendaItem, ActionItem])
@pytest.mark.parametrize("role, sees", [("outsider", False), ("member", False), ("cochair", True)])
def test_items_of_a_draft_are_known_to_coordinators_only(users_by_role, draft, model, role, sees):
    assert p.visible_to(users_by_role[role], model.objects.filter(meeting=draft)).exists() is sees


def test_invited_outsider_sees_the_meetings_they_were_invited_to_only(outsider):
    invited = MeetingFactory()
    MeetingFactory()
    RsvpFactory(meeting=invited, email=outsider.email.upper())
    assert list(p.visible_to(outsider, Meeting.objects.all())) == [invited]


def test_invited_outsider_does_not_see_their_meeting_while_it_is_a_draft(outsider):
    draft = MeetingFactory(status="draft")
    RsvpFactory(meeting=draft, email=outsider.email, user=outsider)
    assert not p.can(outsider, p.VIEW, draft)


def test_anonymous_sees_no_meeting():
    MeetingFactory()
    from django.contrib.auth.models import AnonymousUser

    assert not p.visible_to(AnonymousUser(), Meeting.objects.all()).exists()


def test_rsvps_of_others_are_the_coordinators(member, cochair):
    own = RsvpFactory(email=member.email, user=member)
    other = RsvpFactory(meeting=own.meeting)
    assert list(p.visible_to(member, Rsvp.objects.all())) == [own]
    assert set(p.visible_to(cochair, Rsvp.objects.all())) == {own, other}


@pytest.mark.parametrize("model", [DatePoll, PollSlot, PollAnswer])
@pytest.mark.parametrize("role, sees", [("outsider", False), ("member", True), ("cochair", True)])
def test_date_polls_are_the_members(users_by_role, member, model, role, sees):
    start = in_days(20)
    poll = services.poll_create(by=None, title="Fifth meeting",
                                slots=[(start, in_days(20, 12)), (in_days(21), in_days(21, 12))])
    services.poll_answer(poll=poll, user=member, answers={poll.slots.first().pk: "yes"})
    assert p.visible_to(users_by_role[role], model.objects.all()).exists() is sees


def test_calendar_feed_is_its_owners_alone(member, cochair):
    services.feed_create(user=member)
    assert p.visible_to(member, CalendarFeed.objects.all()).count() == 1
    assert not p.visible_to(cochair, CalendarFeed.objects.all()).exists()


@pytest.mark.parametrize("role, may", [("outsider", False), ("member", True), ("cochair", True)])
def test_reply_to_a_meeting(users_by_role, role, may):
    assert p.can(users_by_role[role], p.REPLY_MEETING, MeetingFactory()) is may


def test_invited_outsider_may_reply(outsider):
    meeting = MeetingFactory()
    RsvpFactory(meeting=meeting, email=outsider.email, user=outsider)
    assert p.can(outsider, p.REPLY_MEETING, meeting)
