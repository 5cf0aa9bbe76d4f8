"""Meeting emails through a real Celery worker consuming from Redis, to a real SMTP server."""

import datetime
import time
from email.utils import parseaddr

import pytest
from django.utils import timezone
from icalendar import Calendar

from meetings import services
from notifications import services as outbox
from notifications.models import Message
from tests.fixtures.services import wait_until
from tests.meetings.factories import AgendaItemFactory, MeetingFactory
from tests.members.factories import UserFactory

pytestmark = pytest.mark.worker


def _settle():
    """Wait until the outbox is empty, then a little longer, so that a duplicate would have arrived."""
    wait_until(lambda: not Message.objects.filter(status="queued").exists())
    time.sleep(1)


def _calendar_part(message):
    parts = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    assert len(parts) == 1
    return parts[0], Calendar.from_ical(parts[0].get_content())


def test_invitations_delivered_and_parsed(celery_worker, smtp_sink, member, cochair):
    meeting = MeetingFactory(title="Anti-TIP projects: who does what where")
    AgendaItemFactory(meeting=meeting, title="Status of the anti-TIP bill")
    mailing = services.rsvps_send(meeting=meeting, by=cochair)
    received = smtp_sink.wait_for(2)
    assert sorted(parseaddr(str(m["To"]))[1] for m in received) == ["cochair@unicef.example", "member@germany.example"]
    message = smtp_sink.to(member.email)[0]
    assert message["Subject"].startswith("Invitation: Anti-TIP projects")
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    assert "Status of the anti-TIP bill" in text and "Status of the anti-TIP bill" in html
    assert f"/meetings/{meeting.pk}/reply/" in text
    part, calendar = _calendar_part(message)
    assert part.get_param("method") == "REQUEST"
    event = calendar.walk("VEVENT")[0]
    assert str(calendar["METHOD"]) == "REQUEST"
    assert str(event["UID"]) == meeting.calendar_uid and int(event["SEQUENCE"]) == 0
    assert event.decoded("DTSTART") == meeting.start.astimezone(datetime.UTC)
    assert str(event["ATTENDEE"]) == f"mailto:{member.email}"
    wait_until(lambda: outbox.mailing_progress(mailing)["sent"] == 2)


def test_second_send_delivers_nothing_new(celery_worker, smtp_sink, member, cochair):
    meeting = MeetingFactory()
    services.rsvps_send(meeting=meeting, by=cochair)
    smtp_sink.wait_for(2)
    assert services.rsvps_send(meeting=meeting, by=cochair) is None
    UserFactory(email="newcomer@germany.example", organization=member.organization)
    services.rsvps_send(meeting=meeting, by=cochair)
    smtp_sink.wait_for(3)
    wait_until(lambda: meeting.rsvps.count() == 3)
    _settle()
    assert len(smtp_sink.messages) == 3
    assert [parseaddr(str(m["To"]))[1] for m in smtp_sink.messages].count(member.email) == 1


def test_refusing_server_leaves_rows_failed_and_retry_sends(celery_worker, smtp_sink, member, cochair):
    smtp_sink.refuse = True
    meeting = MeetingFactory()
    mailing = services.rsvps_send(meeting=meeting, by=cochair)
    wait_until(lambda: outbox.mailing_progress(mailing)["failed"] == 2, timeout=90)
    row = mailing.messages.first()
    assert "554" in row.last_error and row.attempts == 3
    smtp_sink.refuse = False
    assert outbox.messages_retry(mailing=mailing) == 2
    received = smtp_sink.wait_for(2)
    wait_until(lambda: outbox.mailing_progress(mailing)["sent"] == 2)
    assert len(received) == 2 and all(_calendar_part(m)[1].walk("VEVENT") for m in received)


def test_update_and_cancellation_through_the_worker(celery_worker, smtp_sink, member, cochair):
    meeting = MeetingFactory()
    services.rsvps_send(meeting=meeting, by=cochair)
    smtp_sink.wait_for(2)
    new_start = meeting.start + datetime.timedelta(hours=2)
    services.meeting_update(meeting=meeting, by=cochair, start=new_start, end=meeting.end + datetime.timedelta(hours=2))
    services.update_send(meeting=meeting, by=cochair)
    services.meeting_cancel(meeting=meeting, by=cochair)
    smtp_sink.wait_for(6)
    mine = smtp_sink.to(member.email)
    calendars = sorted((_calendar_part(m)[1] for m in mine), key=lambda c: int(c.walk("VEVENT")[0]["SEQUENCE"]))
    assert [str(c["METHOD"]) for c in calendars] == ["REQUEST", "REQUEST", "CANCEL"]
    assert {str(c.walk("VEVENT")[0]["UID"]) for c in calendars} == {meeting.calendar_uid}
    assert calendars[1].walk("VEVENT")[0].decoded("DTSTART") == new_start.astimezone(datetime.UTC)


def test_reminders_through_the_worker_once(celery_worker, smtp_sink, member, cochair):
    soon = timezone.now() + datetime.timedelta(hours=3)
    meeting = MeetingFactory(start=soon, end=soon + datetime.timedelta(hours=2))
    services.rsvps_send(meeting=meeting, by=cochair)
    smtp_sink.wait_for(2)
    assert services.reminders_send() == 2
    assert services.reminders_send() == 0
    smtp_sink.wait_for(4)
    _settle()
    reminders = [m for m in smtp_sink.messages if m["Subject"].startswith("Reminder:")]
    assert len(reminders) == 2
