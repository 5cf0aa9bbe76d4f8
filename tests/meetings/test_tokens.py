"""Signed reply links (meetings.tokens and the reply_link page): valid, tampered, for another meeting,
reused after a change of mind."""

import pytest

from meetings import services, tokens
from meetings.models import Rsvp
from tests.meetings.factories import MeetingFactory, RsvpFactory, in_days

pytestmark = pytest.mark.django_db


@pytest.fixture
def invitation(db):
    return RsvpFactory(email="guest@solwodi.example", name="Guest of the group")


def _link(invitation, token=None, meeting_pk=None):
    return f"/meetings/{meeting_pk or invitation.meeting_id}/reply/{token or tokens.reply_token(invitation)}/"


def test_valid_link_works_without_sign_in(client, invitation):
    page = client.get(_link(invitation) + "?response=accepted")
    assert page.status_code == 200
    assert invitation.meeting.title.encode() in page.content
    assert Rsvp.objects.get(pk=invitation.pk).response == "none"  # opening the link records nothing
    response = client.post(_link(invitation), {"response": "accepted"})
    assert response.status_code == 200 and b"your reply is recorded as <strong>accepted" in response.content
    assert Rsvp.objects.get(pk=invitation.pk).response == "accepted"


def test_link_reused_after_a_change_of_mind(client, invitation):
    client.post(_link(invitation), {"response": "accepted"})
    client.post(_link(invitation), {"response": "declined"})
    assert Rsvp.objects.get(pk=invitation.pk).response == "declined"


def test_tampered_link_is_refused(client, invitation):
    token = tokens.reply_token(invitation)
    tampered = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    for method in (client.get, client.post):
        response = method(_link(invitation, tampered), {"response": "accepted"})
        assert response.status_code == 400
        assert b"This reply link cannot be used" in response.content
    assert Rsvp.objects.get(pk=invitation.pk).response == "none"


def test_link_for_another_meeting_is_refused(client, invitation):
    other = MeetingFactory()
    response = client.post(_link(invitation, meeting_pk=other.pk), {"response": "accepted"})
    assert response.status_code == 400 and b"another meeting" in response.content
    assert not other.rsvps.exists()
    assert Rsvp.objects.get(pk=invitation.pk).response == "none"


def test_link_of_another_recipient_changes_only_theirs(client, invitation):
    """A token names one invitation: forwarding a link cannot answer for somebody else."""
    colleague = RsvpFactory(meeting=invitation.meeting)
    client.post(_link(invitation), {"response": "declined"})
    assert Rsvp.objects.get(pk=colleague.pk).response == "none"


def test_link_to_missing_meeting_and_withdrawn_invitation(client, invitation):
    token = tokens.reply_token(invitation)
    assert client.get(f"/meetings/999999/reply/{token}/").status_code == 400
    invitation.delete()
    response = client.get(f"/meetings/{invitation.meeting_id}/reply/{token}/")
    assert response.status_code == 400 and b"withdrawn" in response.content


def test_bad_answer_and_closed_meetings(client, invitation, cochair):
    response = client.post(_link(invitation), {"response": "maybe"})
    assert response.status_code == 400 and b"Choose accept" in response.content
    services.meeting_cancel(meeting=invitation.meeting, by=cochair)
    response = client.post(_link(invitation), {"response": "accepted"})
    assert response.status_code == 400 and b"cancelled" in response.content
    past = RsvpFactory(meeting=MeetingFactory(start=in_days(-2), end=in_days(-2, 12), status="held"))
    response = client.post(_link(past), {"response": "accepted"})
    assert response.status_code == 400 and b"over" in response.content
    assert Rsvp.objects.get(pk=past.pk).response == "none"


def test_signed_in_invitee_who_is_not_a_member_replies_to_their_meeting_only(client, former_member):
    meeting = MeetingFactory()
    RsvpFactory(meeting=meeting, email=former_member.email, user=former_member)
    other = MeetingFactory()
    client.force_login(former_member)
    response = client.post(f"/meetings/{meeting.pk}/reply/", {"response": "accepted"}, follow=True)
    assert response.status_code == 200 and b"Accepted" in response.content
    assert meeting.rsvps.get(email=former_member.email).response == "accepted"
    # A meeting they were not invited to does not exist for them.
    assert client.post(f"/meetings/{other.pk}/reply/", {"response": "accepted"}).status_code == 404
    assert not other.rsvps.exists()
