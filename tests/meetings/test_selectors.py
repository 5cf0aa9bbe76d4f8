"""Reads of the meetings app (meetings/selectors.py): lists filtered by the visibility rules."""

import pytest

from meetings import selectors, services
from tests.meetings.factories import (
    ActionItemFactory,
    AgendaItemFactory,
    MeetingFactory,
    RsvpFactory,
    in_days,
)
from tests.members.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def meetings(db):
    published = MeetingFactory(title="Anti-TIP projects")
    draft = MeetingFactory(status="draft", title="Draft agenda for March")
    return {"published": published, "draft": draft,
            "published_item": AgendaItemFactory(meeting=published), "draft_item": AgendaItemFactory(meeting=draft)}


def test_meetings_for_choice_leave_drafts_out_for_a_member(member, meetings):
    assert list(selectors.meetings_for_choice(member)) == [meetings["published"]]


def test_meetings_for_choice_include_drafts_for_a_coordinator(cochair, meetings):
    assert set(selectors.meetings_for_choice(cochair)) == {meetings["published"], meetings["draft"]}


def test_agenda_items_for_choice_leave_drafts_items_out_for_a_member(member, meetings):
    assert list(selectors.agenda_items_for_choice(member)) == [meetings["published_item"]]


def test_agenda_items_for_choice_include_draft_items_for_a_coordinator(cochair, meetings):
    assert set(selectors.agenda_items_for_choice(cochair)) == {meetings["published_item"], meetings["draft_item"]}


def test_nothing_for_choice_to_an_outsider(outsider, meetings):
    assert not selectors.meetings_for_choice(outsider).exists()
    assert not selectors.agenda_items_for_choice(outsider).exists()


def test_feed_leaves_drafts_out_even_for_a_coordinator(cochair, meetings):
    assert list(selectors.meetings_for_feed(cochair)) == [meetings["published"]]


def test_feed_of_an_invited_outsider_holds_their_meeting_only(outsider, meetings):
    RsvpFactory(meeting=meetings["published"], email=outsider.email, user=outsider)
    MeetingFactory()
    assert list(selectors.meetings_for_feed(outsider)) == [meetings["published"]]


def test_open_action_items_leave_drafts_out_for_a_member(member, meetings):
    ActionItemFactory(meeting=meetings["draft"], description="Draft action")
    shown = ActionItemFactory(meeting=meetings["published"])
    assert list(selectors.open_action_items(member)) == [shown]


def test_rsvp_for_finds_the_invitation_by_address(member):
    rsvp = RsvpFactory(email=member.email.upper())
    assert selectors.rsvp_for(rsvp.meeting, member) == rsvp


def test_meeting_number_next_follows_the_highest(db):
    MeetingFactory(number=7)
    assert selectors.meeting_number_next() == 8


def test_audience_of_chosen_organizations_and_extra_addresses(member):
    ngo = OrganizationFactory(name="Save the Children Sweden")
    ingrid = UserFactory(email="ingrid@savethechildren.example", organization=ngo)
    meeting = MeetingFactory(audience_all=False, extra_addresses="guest@solwodi.example\nMEMBER@germany.example")
    meeting.audience_organizations.set([ngo])
    recipients = selectors.audience_recipients(meeting)
    assert [r.email for r in recipients] == [ingrid.email, "guest@solwodi.example", "member@germany.example"]
    assert recipients[2].user == member


def test_attendance_choices_offer_invited_organizations_and_their_people(member):
    invited = OrganizationFactory(name="High Commission of India", status="invited", joined_on=None)
    person = UserFactory(organization=invited)
    meeting = MeetingFactory(start=in_days(-2), end=in_days(-2, 12))
    RsvpFactory(meeting=meeting, email=person.email, user=person, organization=invited)
    organizations, people = selectors.attendance_choices(meeting)
    assert {member.organization, invited} <= set(organizations)
    assert {member, person} <= set(people)


def test_attendance_ticked_prefills_those_who_accepted(member):
    meeting = MeetingFactory(start=in_days(-1), end=in_days(-1, 12))
    RsvpFactory(meeting=meeting, email=member.email, user=member, organization=member.organization, response="accepted")
    assert selectors.attendance_ticked(meeting) == ({member.organization_id}, {member.pk}, True)


def test_attendance_ticked_shows_the_record_once_made(member, cochair):
    meeting = MeetingFactory(start=in_days(-1), end=in_days(-1, 12))
    RsvpFactory(meeting=meeting, email=member.email, user=member, organization=member.organization, response="accepted")
    services.attendance_record(meeting=meeting, organizations=[cochair.organization], people=[])
    assert selectors.attendance_ticked(meeting) == ({cochair.organization_id}, set(), False)
