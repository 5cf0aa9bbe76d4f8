"""meetings.services.after: attendance, minutes, action items."""


import datetime

import pytest
from django.core.exceptions import PermissionDenied
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


def test_attendance_refused_before_the_meeting_starts_and_for_a_cancelled_one(member):
    ahead = MeetingFactory()
    with pytest.raises(services.MeetingStateError, match="once the meeting has started"):
        services.attendance_record(meeting=ahead, organizations=[], people=[member])
    cancelled = MeetingFactory(start=in_days(-3), end=in_days(-3, hour=12), status="cancelled")
    with pytest.raises(services.MeetingStateError, match="cancelled"):
        services.attendance_record(meeting=cancelled, organizations=[], people=[member])
    assert not ahead.attending_organizations.exists() and not cancelled.attendees.exists()


def test_minutes_refused_before_the_meeting_starts(cochair):
    meeting = MeetingFactory()
    services.minutes_save(meeting=meeting, text="Written ahead")
    with pytest.raises(services.MeetingStateError, match="once the meeting has started"):
        services.minutes_publish(meeting=meeting, by=cochair)
    meeting.refresh_from_db()
    assert meeting.minutes_published_at is None


def test_edit_after_publishing_is_sent_once_as_a_correction(group, cochair, mailoutbox,
                                                            django_capture_on_commit_callbacks):
    meeting = MeetingFactory()
    services.rsvps_send(meeting=meeting, by=cochair)
    meeting = _started(meeting)
    services.minutes_save(meeting=meeting, text="First text")
    with django_capture_on_commit_callbacks(execute=True):
        services.minutes_publish(meeting=meeting, by=cochair)
    mailoutbox.clear()
    services.minutes_save(meeting=meeting, text="First text")  # saved unchanged: nothing to correct
    meeting.refresh_from_db()
    assert not meeting.minutes_correction_pending
    services.minutes_save(meeting=meeting, text="Corrected text")
    meeting.refresh_from_db()
    assert meeting.minutes_correction_pending
    with django_capture_on_commit_callbacks(execute=True):
        mailing = services.minutes_publish(meeting=meeting, by=cochair)
    assert mailing is not None and len(mailoutbox) == 4
    assert mailoutbox[0].subject.startswith("Corrected minutes:") and "Corrected text" in mailoutbox[0].body
    meeting.refresh_from_db()
    assert not meeting.minutes_correction_pending
    with django_capture_on_commit_callbacks(execute=True):
        assert services.minutes_publish(meeting=meeting, by=cochair) is None
    assert len(mailoutbox) == 4


def test_owner_organization_marks_its_action_item_done(member, cochair):
    from tests.meetings.factories import ActionItemFactory
    from tests.members.factories import UserFactory

    own = ActionItemFactory(owner=member.organization)
    other = ActionItemFactory(owner=OrganizationFactory(name="Embassy of Sweden"))
    assert services.action_item_done(item=own, by=member).status == "done"
    with pytest.raises(PermissionDenied):
        services.action_item_done(item=other, by=member)
    outsider = UserFactory(organization=other.owner)
    outsider.organization.status = "withdrawn"
    outsider.organization.save()
    with pytest.raises(PermissionDenied):
        services.action_item_done(item=other, by=outsider)  # a withdrawn organization is no longer a member
    assert services.action_item_done(item=other, by=cochair).status == "done"
    with pytest.raises(services.MeetingStateError):
        services.action_item_done(item=other, by=cochair)


def test_action_item_reminders_go_once_before_the_due_date_and_once_overdue(member, mailoutbox, settings,
                                                                           django_capture_on_commit_callbacks):
    from tests.meetings.factories import ActionItemFactory
    from tests.members.factories import UserFactory

    settings.ACTION_ITEM_REMINDER_DAYS = 3
    colleague = UserFactory(email="colleague@germany.example", organization=member.organization)
    today = timezone.localdate()
    item = ActionItemFactory(owner=member.organization, due_on=today + datetime.timedelta(days=2))
    ActionItemFactory(owner=member.organization, due_on=today + datetime.timedelta(days=20))  # not yet
    ActionItemFactory(owner=member.organization, due_on=today - datetime.timedelta(days=1), status="done")
    ActionItemFactory(owner=None, due_on=today)  # nobody to tell
    with django_capture_on_commit_callbacks(execute=True):
        assert services.action_item_reminders_send(today=today) == 2
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        [f"{member.full_name} <{member.email}>", f"{colleague.full_name} <{colleague.email}>"])
    assert all(m.subject.startswith("Due soon:") for m in mailoutbox)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.action_item_reminders_send(today=today + datetime.timedelta(days=1)) == 0
    overdue_day = item.due_on + datetime.timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.action_item_reminders_send(today=overdue_day) == 2
        assert services.action_item_reminders_send(today=overdue_day + datetime.timedelta(days=5)) == 0
    assert len(mailoutbox) == 4 and mailoutbox[-1].subject.startswith("Overdue:")
