"""Who a meeting's mailing reaches, shown before it goes (selectors.send_audience and
the confirmation page), with the same eligibility rule as circulations."""

import pytest
from django.urls import reverse

from meetings import selectors, services
from meetings.forms import MeetingForm
from tests.meetings.factories import MeetingFactory, RsvpFactory
from tests.members.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def group(member, cochair, secretariat):
    """Germany (the member), UNICEF (the co-chair), the secretariat, and two active
    members with nobody to write to; an invited embassy with a contact."""
    silent = [OrganizationFactory(name="Embassy of Austria"), OrganizationFactory(name="Embassy of Belgium")]
    invited = OrganizationFactory(name="Embassy of India", status="invited", joined_on=None)
    UserFactory(email="contact@india.example", organization=invited)
    return {"silent": silent, "invited": invited}


def test_invitations_reach_the_active_members_and_name_those_left_out(group):
    meeting = MeetingFactory()
    summary = selectors.send_audience(meeting, "invitations")
    # The member, the co-chair and the secretariat: three people at two organizations.
    assert (summary.people, summary.organizations) == (3, 2)
    assert [o.name for o in summary.unreached] == ["Embassy of Austria", "Embassy of Belgium"]


def test_a_chosen_organization_that_has_not_joined_reaches_nobody(group, member):
    meeting = MeetingFactory(audience_all=False)
    meeting.audience_organizations.set([member.organization, group["invited"]])
    assert {r.email for r in selectors.audience_recipients(meeting)} == {member.email}
    summary = selectors.send_audience(meeting, "invitations")
    assert (summary.people, summary.organizations) == (1, 1)
    assert summary.unreached == [group["invited"]]


def test_the_meeting_form_offers_the_organizations_circulations_offer(group, member):
    offered = set(MeetingForm().fields["audience_organizations"].queryset)
    assert group["invited"] not in offered and member.organization in offered


def test_after_sending_only_newcomers_are_counted_and_updates_count_those_invited(group, cochair):
    meeting = MeetingFactory()
    services.rsvps_send(meeting=meeting, by=cochair)
    assert selectors.send_audience(meeting, "invitations").people == 0
    UserFactory(email="new@austria.example", organization=group["silent"][0])
    later = selectors.send_audience(meeting, "invitations")
    assert (later.people, later.organizations) == (1, 1) and [o.name for o in later.unreached] == [
        "Embassy of Belgium"]
    assert selectors.send_audience(meeting, "update").people == 3
    RsvpFactory(meeting=meeting, sent_at=None)  # on the list, never sent: the minutes go to every invitee
    assert selectors.send_audience(meeting, "minutes").people == 4


def test_an_unknown_sending_is_refused():
    with pytest.raises(ValueError):
        selectors.send_audience(MeetingFactory(), "everything")


def test_confirmation_page_shows_the_count_the_left_out_and_one_button(client, cochair, group):
    meeting = MeetingFactory()
    client.force_login(cochair)
    page = client.get(reverse("meetings:send_confirm", args=[meeting.pk, "invitations"])).content.decode()
    assert "<strong>3 people</strong> at <strong>2 organizations</strong>" in page
    austria = group["silent"][0]
    assert f"/members/people/new/?organization={austria.pk}" in page
    assert f'action="{reverse("meetings:invitations_send", args=[meeting.pk])}"' in page
    assert page.count("Send the invitation to 3 people") == 1
    assert not meeting.rsvps.exists()  # looking sends nothing


def test_send_to_new_invitees_says_how_many(client, cochair, group):
    meeting = MeetingFactory()
    services.rsvps_send(meeting=meeting, by=cochair)
    UserFactory(email="new@austria.example", organization=group["silent"][0])
    client.force_login(cochair)
    assert "Send to new invitees" in client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    page = client.get(reverse("meetings:send_confirm", args=[meeting.pk, "invitations"])).content.decode()
    assert "only to those added to the audience since" in page
    assert "<strong>1 person</strong> at <strong>1 organization</strong>" in page
    assert "Send the invitation to 1 person" in page


def test_nothing_new_to_send_offers_no_button_but_minutes_can_still_be_published(client, cochair, group):
    meeting = MeetingFactory(audience_all=False)
    meeting.audience_organizations.set(group["silent"])
    meeting.minutes_markdown = "Notes"
    meeting.save()
    client.force_login(cochair)
    page = client.get(reverse("meetings:send_confirm", args=[meeting.pk, "invitations"])).content.decode()
    assert "<strong>Nobody</strong> will receive" in page and "Send the invitation to" not in page
    page = client.get(reverse("meetings:send_confirm", args=[meeting.pk, "minutes"])).content.decode()
    assert "Publish the minutes (nobody to send them to)" in page


def test_confirmation_page_keeps_a_fixed_number_of_queries(client, cochair, group, django_assert_max_num_queries):
    meeting = MeetingFactory()
    for n in range(12):
        organization = OrganizationFactory(name=f"Embassy {n}")
        UserFactory.create_batch(3, organization=organization)
        OrganizationFactory(name=f"Silent embassy {n}")
    client.force_login(cochair)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("meetings:send_confirm", args=[meeting.pk, "invitations"]))
    assert response.context["summary"].people == 39 and len(response.context["summary"].unreached) == 14
