"""meetings.services.after: attendance, minutes, action items."""


import datetime

import pytest
from django.utils import timezone

from meetings import services
from meetings.models import Meeting
from members.markup import markdown_to_html
from tests.meetings.factories import MeetingFactory, in_days
from tests.members.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def test_attendance_people_imply_their_organization(member, cochair):
    meeting = MeetingFactory(start=in_days(-3), end=in_days(-3, hour=12))
    unodc = OrganizationFactory(name="UNODC")
    services.attendance_record(meeting=meeting, organizations=[unodc], people=[member])
    assert set(meeting.attending_organizations.all()) == {unodc, member.organization}
    meeting.refresh_from_db()
    assert meeting.status == "held" and meeting.attendance_recorded_at


def _started(meeting):
    """The meeting, moved to have begun an hour ago (invitations go out only before it starts)."""
    Meeting.objects.filter(pk=meeting.pk).update(start=timezone.now() - datetime.timedelta(hours=1),
                                                 end=timezone.now() + datetime.timedelta(hours=1))
    meeting.refresh_from_db()
    return meeting


def test_minutes_are_sanitized_and_published_once(group, cochair, mailoutbox, django_capture_on_commit_callbacks):
    meeting = MeetingFactory()
    services.rsvps_send(meeting=meeting, by=cochair)
    meeting = _started(meeting)
    mailoutbox.clear()
    with pytest.raises(services.MeetingStateError):
        services.minutes_publish(meeting=meeting, by=cochair)
    services.minutes_save(meeting=meeting, text="## Decisions\n\n- **IOM** reports<script>alert(1)</script>")
    html = markdown_to_html(meeting.minutes_markdown)
    assert "<strong>IOM</strong>" in html and "<script" not in html
    with django_capture_on_commit_callbacks(execute=True):
        mailing = services.minutes_publish(meeting=meeting, by=cochair)
    assert mailing.kind == "meeting_minutes" and len(mailoutbox) == 4
    assert "Decisions" in mailoutbox[0].body
    with django_capture_on_commit_callbacks(execute=True):
        assert services.minutes_publish(meeting=meeting, by=cochair) is None
    assert len(mailoutbox) == 4
