"""meetings.services.scheduling: editing, scheduling, cancelling, the agenda."""

import datetime

import pytest

from meetings import services
from meetings.models import Meeting
from notifications.models import Message
from tests.meetings.factories import MeetingFactory, in_days

pytestmark = pytest.mark.django_db


def test_change_of_time_after_sending_asks_for_an_update(group, cochair):
    meeting = MeetingFactory()
    services.meeting_update(meeting=meeting, by=cochair, venue="Elsewhere")
    assert not meeting.update_pending  # nothing was sent yet
    services.rsvps_send(meeting=meeting, by=cochair)
    meeting.refresh_from_db()
    services.meeting_update(meeting=meeting, by=cochair, description="Only the text changed")
    assert not meeting.update_pending
    services.meeting_update(meeting=meeting, by=cochair, start=meeting.start + datetime.timedelta(hours=1),
                            end=meeting.end + datetime.timedelta(hours=1))
    assert Meeting.objects.get(pk=meeting.pk).update_pending
    mailing = services.update_send(meeting=meeting, by=cochair)
    meeting.refresh_from_db()
    assert meeting.sequence == 1 and not meeting.update_pending
    assert mailing.messages.count() == 4 and mailing.kind == "meeting_update"


def test_agenda_change_after_sending_asks_for_an_update(group, cochair):
    meeting = MeetingFactory()
    services.rsvps_send(meeting=meeting, by=cochair)
    services.agenda_item_add(meeting=Meeting.objects.get(pk=meeting.pk), title="New point")
    assert Meeting.objects.get(pk=meeting.pk).update_pending


def test_agenda_reorder_and_remove(cochair):
    meeting = MeetingFactory(status="draft")
    first = services.agenda_item_add(meeting=meeting, title="First")
    second = services.agenda_item_add(meeting=meeting, title="Second")
    third = services.agenda_item_add(meeting=meeting, title="Third")
    services.agenda_item_move(item=third, direction="up")
    assert [i.title for i in meeting.agenda_items.all()] == ["First", "Third", "Second"]
    services.agenda_item_move(item=first, direction="up")  # already first: nothing moves
    services.agenda_item_delete(item=first)
    assert [(i.title, i.order) for i in meeting.agenda_items.all()] == [("Third", 1), ("Second", 2)]
    assert second.pk in meeting.agenda_items.values_list("pk", flat=True)


def test_cancel_sends_to_everyone_invited(group, cochair, mailoutbox, django_capture_on_commit_callbacks):
    meeting = MeetingFactory()
    with django_capture_on_commit_callbacks(execute=True):
        services.rsvps_send(meeting=meeting, by=cochair)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        mailing = services.meeting_cancel(meeting=meeting, by=cochair)
    meeting.refresh_from_db()
    assert meeting.status == "cancelled" and meeting.sequence == 1 and meeting.cancelled_at is not None
    assert mailing.kind == "meeting_cancellation" and len(mailoutbox) == 4
    assert all(m.subject.startswith("Cancelled:") for m in mailoutbox)
    with pytest.raises(services.MeetingStateError):
        services.meeting_cancel(meeting=meeting, by=cochair)


def test_cancelling_a_draft_sends_nothing(cochair):
    meeting = MeetingFactory(status="draft")
    assert services.meeting_cancel(meeting=meeting, by=cochair) is None
    assert not Message.objects.exists()


def _create(status, start, end, cochair):
    return services.meeting_create(by=cochair, title="Fourth meeting", number=4, start=start, end=end, status=status)


def test_meeting_scheduled_with_a_future_date_is_scheduled(cochair):
    assert _create("scheduled", in_days(20), in_days(20, 12), cochair).status == "scheduled"


def test_meeting_scheduled_with_a_past_date_is_recorded_held(cochair):
    assert _create("scheduled", in_days(-20), in_days(-20, 12), cochair).status == "held"


def test_draft_with_a_past_date_stays_a_draft(cochair):
    assert _create("draft", in_days(-20), in_days(-20, 12), cochair).status == "draft"


def test_scheduling_a_draft_with_a_future_date_makes_it_scheduled(cochair):
    draft = MeetingFactory(status="draft")
    assert services.meeting_schedule(meeting=draft, by=cochair).status == "scheduled"


def test_scheduling_a_draft_with_a_past_date_records_it_held(cochair):
    draft = MeetingFactory(status="draft", start=in_days(-3), end=in_days(-3, 12))
    assert services.meeting_schedule(meeting=draft, by=cochair).status == "held"


def test_scheduling_anything_but_a_draft_is_refused(cochair):
    with pytest.raises(services.MeetingStateError, match="Only a draft"):
        services.meeting_schedule(meeting=MeetingFactory(status="scheduled"), by=cochair)
