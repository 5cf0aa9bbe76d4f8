"""A new member arrives: the invitation of every upcoming meeting already sent goes
to them once, through the outbox; the co-chairs and the inviter are told."""

import pytest
from django.urls import reverse

from meetings import services
from meetings.models import Meeting
from members import services as member_services
from notifications.models import Message
from tests.meetings.factories import MeetingFactory, in_days
from tests.members.factories import UserFactory
from tests.members.invitation_helpers import invite

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent_meeting(member, cochair):
    meeting = MeetingFactory(title="Sent meeting", start=in_days(10), end=in_days(10, 12))
    services.rsvps_send(meeting=meeting, by=cochair)
    return meeting


def _accept(invitation, email="contact@india.example"):
    person = UserFactory.build(email=email, full_name="Anjali Sharma", organization=None)
    return member_services.invitation_accept(invitation_id=invitation.pk, user=person)


def _invitations_to(email):
    return Message.objects.filter(recipient_email=email, kind="meeting_invitation")


def test_newcomer_gets_the_invitation_of_each_upcoming_meeting_already_sent(secretariat, cochair, sent_meeting):
    not_sent = MeetingFactory(title="Not sent yet", start=in_days(20), end=in_days(20, 12))
    MeetingFactory(title="A draft", status=Meeting.Status.DRAFT, start=in_days(30), end=in_days(30, 12))
    past = MeetingFactory(title="Past", start=in_days(-30), end=in_days(-30, 12))
    past.invitations_sent_at = past.start
    past.save()
    invitation, _ = invite(by=secretariat)
    user = _accept(invitation)
    assert [r.subject.split(",")[0] for r in _invitations_to(user.email)] == ["Invitation: Sent meeting"]
    rsvp = sent_meeting.rsvps.get(email=user.email)
    assert rsvp.sent_at is not None and rsvp.user == user and rsvp.organization == user.organization
    assert not not_sent.rsvps.filter(email=user.email).exists()  # its first sending includes them
    # "Send to new invitees" has nobody left to send to.
    assert services.rsvps_send(meeting=sent_meeting, by=cochair) is None


def test_a_meeting_for_chosen_organizations_is_not_sent_to_other_newcomers(secretariat, member, cochair):
    meeting = MeetingFactory(audience_all=False, start=in_days(10), end=in_days(10, 12))
    meeting.audience_organizations.set([member.organization])
    services.rsvps_send(meeting=meeting, by=cochair)
    invitation, _ = invite(by=secretariat)
    user = _accept(invitation)
    assert not _invitations_to(user.email).exists()


def test_a_second_run_sends_nothing_more(secretariat, sent_meeting):
    invitation, _ = invite(by=secretariat)
    user = _accept(invitation)
    assert services.newcomer_invite(user=user) == []
    assert _invitations_to(user.email).count() == 1


def test_cochairs_and_the_inviter_are_told_once(secretariat, cochair, member):
    colleague = UserFactory(email="second@unicef.example", organization=cochair.organization)
    invitation, _ = invite(by=member)  # a member who invited (as the focal point would)
    user = _accept(invitation)
    told = Message.objects.filter(kind="invitation-accepted")
    assert sorted(told.values_list("recipient_email", flat=True)) == sorted(
        [member.email, cochair.email, colleague.email])
    assert all(user.get_full_name() in subject for subject in told.values_list("subject", flat=True))


def test_a_second_acceptance_path_sends_nothing_twice(client, secretariat, cochair, sent_meeting):
    """The invitee accepts through the link while signed in, then signs in again with the
    invitation still remembered (the post-login path): one welcome, one of each message."""
    invitation, token = invite(by=secretariat)
    person = UserFactory(email="contact@india.example", organization=None, password="a-long-test-password-2007")
    client.force_login(person)
    response = client.post(reverse("members:invitation_accept", args=[token]))
    assert response["Location"] == reverse("members:welcome")
    before = Message.objects.count()
    # The same acceptance again, by the service and by the view: refused, nothing queued.
    with pytest.raises(member_services.InvitationUnusable):
        member_services.invitation_accept(invitation_id=invitation.pk, user=person)
    client.post(reverse("members:invitation_accept", args=[token]))
    assert Message.objects.count() == before
    assert _invitations_to(person.email).count() == 1
    assert Message.objects.filter(kind="invitation-accepted", recipient_email=cochair.email).count() == 1


def test_welcome_page_tells_the_newcomer_where_things_are(client, secretariat, sent_meeting):
    invitation, _ = invite(by=secretariat)
    user = _accept(invitation)
    client.force_login(user)
    page = client.get(reverse("members:welcome")).content.decode()
    assert "Welcome to the" in page and "High Commission of India" in page
    assert "Next meeting" in page  # the group's facts, through members.hooks
    for name in ("meetings:list", "briefings:documents", "meetings:calendar"):
        assert f'href="{reverse(name)}"' in page
