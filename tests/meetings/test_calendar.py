"""Calendar attachments parsed back with icalendar: UID, SEQUENCE, METHOD, times."""

import datetime

import pytest
from django.utils import timezone
from icalendar import Calendar

from meetings import services
from notifications.models import Message
from tests.meetings.factories import AgendaItemFactory, MeetingFactory

pytestmark = pytest.mark.django_db


def _event(message: Message):
    (attachment,) = message.attachments
    calendar = Calendar.from_ical(attachment["content"])
    (event,) = calendar.walk("VEVENT")
    return attachment, calendar, event


def test_uid_stable_sequence_grows_method_right(member, cochair, django_capture_on_commit_callbacks):
    meeting = MeetingFactory(title="Fourth meeting")
    AgendaItemFactory(meeting=meeting, title="Anti-TIP projects: who does what where")
    with django_capture_on_commit_callbacks(execute=True):  # invitations are composed as they are sent
        services.rsvps_send(meeting=meeting, by=cochair)
    services.meeting_update(meeting=meeting, by=cochair, venue="IOM Regional Office, Westlands",
                            start=meeting.start + datetime.timedelta(hours=1),
                            end=meeting.end + datetime.timedelta(hours=1))
    services.update_send(meeting=meeting, by=cochair)
    services.meeting_cancel(meeting=meeting, by=cochair)
    meeting.refresh_from_db()

    rows = {kind: Message.objects.get(kind=kind, recipient_email=member.email)
            for kind in ("meeting_invitation", "meeting_update", "meeting_cancellation")}
    parsed = {kind: _event(row) for kind, row in rows.items()}
    uids = {str(event["UID"]) for _, _, event in parsed.values()}
    assert uids == {meeting.calendar_uid}
    assert [int(parsed[k][2]["SEQUENCE"]) for k in rows] == [0, 1, 2]
    assert [str(parsed[k][1]["METHOD"]) for k in rows] == ["REQUEST", "REQUEST", "CANCEL"]
    assert [parsed[k][0]["content_type"] for k in rows] == [
        "text/calendar; method=REQUEST", "text/calendar; method=REQUEST", "text/calendar; method=CANCEL"]

    invitation_event = parsed["meeting_invitation"][2]
    original_start = meeting.start - datetime.timedelta(hours=1)
    assert invitation_event.decoded("DTSTART") == original_start.astimezone(datetime.UTC)
    assert invitation_event.decoded("DTSTART").utcoffset() == datetime.timedelta(0)
    update_event = parsed["meeting_update"][2]
    assert update_event.decoded("DTSTART") == meeting.start.astimezone(datetime.UTC)
    assert str(update_event["LOCATION"]) == "IOM Regional Office, Westlands"
    assert "Anti-TIP projects: who does what where" in str(update_event["DESCRIPTION"])
    assert str(update_event["ORGANIZER"]).startswith("mailto:")
    assert str(update_event["ATTENDEE"]) == f"mailto:{member.email}"
    assert update_event["ATTENDEE"].params["RSVP"] == "TRUE"
    assert str(parsed["meeting_cancellation"][2]["STATUS"]) == "CANCELLED"


def _upcoming():
    return MeetingFactory(start=timezone.now() + datetime.timedelta(days=3),
                          end=timezone.now() + datetime.timedelta(days=3, hours=2))


def test_ics_download_carries_the_meetings_uid_and_time(client, member):
    meeting = _upcoming()
    client.force_login(member)
    response = client.get(f"/meetings/{meeting.pk}/meeting.ics")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    event = Calendar.from_ical(response.content).walk("VEVENT")[0]
    assert str(event["UID"]) == meeting.calendar_uid
    assert event.decoded("DTSTART") == meeting.start.replace(microsecond=0).astimezone(datetime.UTC)


def test_feed_works_without_sign_in_and_leaves_drafts_out(client, member):
    meeting = _upcoming()
    MeetingFactory(status="draft")
    feed = services.feed_create(user=member)
    response = client.get(f"/meetings/calendar/{feed.key}.ics")
    assert response.status_code == 200
    events = Calendar.from_ical(response.content).walk("VEVENT")
    assert [str(e["UID"]) for e in events] == [meeting.calendar_uid]


def test_replaced_feed_address_is_refused(client, member):
    feed = services.feed_create(user=member)
    services.feed_rotate(user=member)
    assert client.get(f"/meetings/calendar/{feed.key}.ics").status_code == 404
