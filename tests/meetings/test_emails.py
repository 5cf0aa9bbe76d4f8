"""Meeting emails composed for the outbox (meetings/emails.py): no state changes, one message per recipient."""

import pytest

from meetings import emails
from meetings.models import Meeting, Rsvp
from notifications.models import Mailing, Message
from tests.meetings.factories import AgendaItemFactory, MeetingFactory, RsvpFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(db):
    meeting = MeetingFactory(title="Anti-TIP projects")
    AgendaItemFactory(meeting=meeting, title="Status of the anti-TIP bill")
    return meeting


def test_invitation_has_reply_links_and_a_request_ics_per_recipient(meeting):
    rsvps = RsvpFactory.create_batch(2, meeting=meeting)
    composed = emails.invitation(meeting, rsvps)
    assert composed.kind == "meeting_invitation" and composed.subject.startswith("Invitation: Anti-TIP projects")
    assert [e.to_email for e in composed.emails] == [r.email for r in rsvps]
    first = composed.emails[0]
    assert "response=accepted" in first.text and "Status of the anti-TIP bill" in first.text
    assert first.attachments[0].content_type == "text/calendar; method=REQUEST"
    assert f"mailto:{rsvps[0].email}" in first.attachments[0].content.replace("\r\n ", "")


def test_cancellation_carries_cancel_and_no_reply_links(meeting):
    composed = emails.cancellation(meeting, [RsvpFactory(meeting=meeting)])
    email = composed.emails[0]
    assert email.attachments[0].content_type == "text/calendar; method=CANCEL"
    assert "response=accepted" not in email.text


def test_reminder_has_a_dedupe_key_per_person_and_meeting(meeting):
    rsvp = RsvpFactory(meeting=meeting, email="Guest@Solwodi.example")
    expected = f"meeting-reminder:{meeting.pk}:guest@solwodi.example"
    assert emails.reminder(meeting, [rsvp]).emails[0].dedupe_key == expected


def test_minutes_are_rendered_safe(meeting):
    meeting.minutes_markdown = "<script>alert(1)</script>**Agreed**"
    html = emails.minutes(meeting, [RsvpFactory(meeting=meeting)]).emails[0].html
    assert "<strong>Agreed</strong>" in html and "<script>" not in html


def test_composing_changes_nothing(meeting):
    rsvp = RsvpFactory(meeting=meeting, sent_at=None)
    emails.invitation(meeting, [rsvp])
    assert Rsvp.objects.get(pk=rsvp.pk).sent_at is None
    assert Meeting.objects.get(pk=meeting.pk).invitations_sent_at is None
    assert not Mailing.objects.exists() and not Message.objects.exists()


def test_a_deferred_invitation_is_composed_by_the_worker_as_the_meeting_stands(db, django_capture_on_commit_callbacks):
    from notifications import renderers

    meeting = MeetingFactory(title="Anti-TIP projects", status="scheduled")
    rsvp = RsvpFactory(meeting=meeting, email="guest@solwodi.example")
    composed = emails.invitation_deferred(meeting, [rsvp])
    deferred = composed.emails[0]
    assert composed.kind == "meeting_invitation" and deferred.subject.startswith("Invitation: Anti-TIP projects")
    assert (deferred.to_email, deferred.render_with) == ("guest@solwodi.example", emails.INVITATION_RENDERER)
    email = renderers.render(deferred.render_with, deferred.render_args)
    assert email.to_email == "guest@solwodi.example" and email.subject == deferred.subject
    assert email.attachments[0].content_type == "text/calendar; method=REQUEST"
    assert f"/meetings/{meeting.pk}/reply/" in email.text

    meeting.status = "cancelled"
    meeting.save()
    with pytest.raises(renderers.NothingToSend):  # the cancellation tells people instead
        renderers.render(deferred.render_with, deferred.render_args)
