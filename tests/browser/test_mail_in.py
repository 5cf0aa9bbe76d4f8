"""A co-chair sends the invitations; the member presses Accept in their calendar
application, whose reply lands in the portal's mailbox (a real Dovecot); the
beat task reads it; the meeting page shows the member accepted "from calendar"."""

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone
from icalendar import Calendar

from notifications import tasks
from tests.fixtures.browser import sign_in
from tests.fixtures.mail import mail_fixture

pytestmark = pytest.mark.browser


def _calendar_file(message) -> Calendar:
    for attachment in message.attachments:
        if hasattr(attachment, "get_content_type") and attachment.get_content_type() == "text/calendar":
            return Calendar.from_ical(attachment.get_payload(decode=True))
        if not hasattr(attachment, "get_content_type") and attachment[0].endswith(".ics"):
            return Calendar.from_ical(attachment[1])
    raise AssertionError("the invitation carries no calendar file")


def test_member_accepts_in_their_calendar_and_the_page_shows_it(
        page, live_server, transactional_db, imap_mailbox, settings, cochair, member, password):
    settings.REPLY_EMAIL_DOMAIN = "replies.wgportal.example"
    sign_in(page, cochair.email, password)
    page.goto("/meetings/")
    page.get_by_role("link", name="New meeting").click()
    day = (timezone.localtime() + datetime.timedelta(days=21)).strftime("%Y-%m-%d")
    page.get_by_label("Title").fill("Anti-TIP projects: who does what where")
    page.get_by_label("Start").fill(f"{day}T10:00")
    page.get_by_label("End").fill(f"{day}T12:00")
    page.get_by_role("button", name="Schedule").click()
    page.get_by_text("Meeting 1 scheduled").wait_for()
    page.get_by_role("link", name="Send invitations").click()
    page.locator("#confirm-modal").get_by_role("button", name=re.compile(r"^Send the invitation to")).click()
    page.locator(".mailing-progress[data-done=true]").wait_for()
    assert "No messages yet" in page.locator("#invitee-messages").inner_text()

    # What the member's calendar application receives, and answers.
    invitation = next(m for m in mail.outbox if member.email in m.to[0])
    reply_to = invitation.extra_headers["Reply-To"]
    assert "rsvp+" in reply_to and "TIP working group" in reply_to
    event = _calendar_file(invitation).walk("VEVENT")[0]
    organizer = str(event["organizer"])
    assert organizer.lower().startswith("mailto:rsvp+") and organizer[7:] in reply_to
    answer = mail_fixture(
        "outlook_accept", ATTENDEE=member.email, ATTENDEE_NAME=member.full_name, REPLY_ADDRESS=organizer[7:],
        UID=str(event["uid"]), SEQUENCE=int(event["sequence"]), TITLE="Anti-TIP projects: who does what where",
        DTSTAMP=timezone.now().astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ"),
    )
    imap_mailbox.deliver(answer)
    assert tasks.mail_in.delay().get() == {"handled": 1}

    page.reload()
    replies = page.locator("#replies")
    assert "1 accepted" in replies.inner_text()
    member_row = replies.locator("li", has_text=member.full_name)
    assert "Accepted" in member_row.inner_text() and "from calendar" in member_row.inner_text()
    assert imap_mailbox.count("INBOX") == 0
