"""Replies by email: calendar applications' replies, proposals of a new time,
written answers, out-of-office notes and bounces, each landing where it should,
and nothing recorded without the signed reply address."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone
from icalendar import Calendar

from meetings import services
from meetings.mail_in import addresses
from meetings.mail_in.models import InviteeMessage
from meetings.mail_in.services import NOTIFY_PER_HOUR
from meetings.models import Rsvp
from notifications import delivery, tasks
from notifications.inbound import services as inbound
from notifications.inbound.models import InboundMessage
from notifications.models import Message
from tests.fixtures.mail import mail_fixture
from tests.meetings.factories import MeetingFactory, RsvpFactory

pytestmark = pytest.mark.django_db

KIND = InviteeMessage.Kind


@pytest.fixture
def replies(settings):
    """Reply addresses are on: a domain for them and a mailbox that reads them."""
    settings.REPLY_EMAIL_DOMAIN = "replies.wgportal.example"
    settings.REPLY_EMAIL_ADDRESS = ""
    settings.INBOUND_IMAP_URL = settings.INBOUND_IMAP_URL or "imaps://portal:secret@imap.invalid/INBOX"


@pytest.fixture
def invitation(replies, member):
    meeting = MeetingFactory(title="Third meeting of the group")
    return RsvpFactory(meeting=meeting, email=member.email, name=member.full_name, user=member,
                             organization=member.organization)


def stamp(moment: datetime.datetime | None = None) -> str:
    return (moment or timezone.now()).astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def reply(name: str, invitation: Rsvp, **values) -> bytes:
    meeting = invitation.meeting
    data = {
        "ATTENDEE": invitation.email, "ATTENDEE_NAME": invitation.name or "Invitee",
        "REPLY_ADDRESS": addresses.reply_address(invitation), "UID": meeting.calendar_uid,
        "SEQUENCE": meeting.sequence, "DTSTAMP": stamp(), "TITLE": meeting.title,
    }
    return mail_fixture(name, **{**data, **values})


def process(raw: bytes) -> InboundMessage:
    return inbound.message_process(raw=raw)


def fresh(invitation: Rsvp) -> Rsvp:
    return Rsvp.objects.get(pk=invitation.pk)


# Reply addresses ----------------------------------------------------------------


def test_reply_address_is_signed_per_invitation_and_survives_a_change_of_case(invitation):
    address = addresses.reply_address(invitation)
    local = address.split("@")[0]
    assert address.endswith("@replies.wgportal.example") and local.startswith("rsvp+") and len(local) <= 64
    assert addresses.invitation_id_in([address.upper()]) == invitation.pk
    other = RsvpFactory(meeting=invitation.meeting)
    assert addresses.reply_address(other) != address


def test_tampered_reply_address_is_an_error_not_a_miss(invitation):
    address = addresses.reply_address(invitation)
    forged = address.replace(f"rsvp+{invitation.pk}-", f"rsvp+{invitation.pk + 1}-")
    with pytest.raises(addresses.InvalidReplyToken):
        addresses.invitation_id_in([forged])
    assert addresses.invitation_id_in(["someone@replies.wgportal.example"]) is None


def test_no_reply_address_without_a_mailbox(invitation, settings):
    settings.INBOUND_IMAP_URL = ""
    assert addresses.reply_address(invitation) is None


def test_a_full_template_sets_the_reply_address(invitation, settings):
    settings.REPLY_EMAIL_ADDRESS = "tip-group+{token}@lists.example.org"
    address = addresses.reply_address(invitation)
    assert address.startswith("tip-group+") and address.endswith("@lists.example.org")
    assert addresses.invitation_id_in([address]) == invitation.pk


# Calendar replies through the real mailbox ----------------------------------------------


@pytest.mark.parametrize("shape, partstat, response", [
    ("outlook_accept", "ACCEPTED", "accepted"),
    ("google_tentative", "TENTATIVE", "tentative"),
    ("apple_declined", "DECLINED", "declined"),
])
def test_each_calendar_application_reply_is_recorded_once(imap_mailbox, invitation, shape, partstat, response):
    pressed = timezone.now().replace(microsecond=0) - datetime.timedelta(minutes=5)
    raw = reply(shape, invitation, PARTSTAT=partstat, DTSTAMP=stamp(pressed))
    imap_mailbox.deliver(raw)
    assert tasks.mail_in.delay().get() == {"handled": 1}
    answered = fresh(invitation)
    assert answered.response == response and answered.response_source == Rsvp.Source.CALENDAR
    assert answered.responded_at == pressed  # when the person answered, not when the mail was read
    logged = InviteeMessage.objects.get(rsvp=invitation, kind=KIND.CALENDAR_REPLY)
    assert logged.inbound == InboundMessage.objects.get() and logged.partstat == partstat

    imap_mailbox.deliver(raw)  # the same reply read again
    tasks.mail_in.delay().get()
    assert fresh(invitation).responded_at == answered.responded_at
    assert InviteeMessage.objects.filter(rsvp=invitation).count() == 1
    assert InboundMessage.objects.count() == 1
    assert imap_mailbox.count("INBOX") == 0 and imap_mailbox.count("Processed") == 2


# What must change nothing ---------------------------------------------------------------


def assert_refused(row: InboundMessage, invitation: Rsvp, reason: str) -> None:
    assert row.status == InboundMessage.Status.REFUSED, row.outcome
    assert reason in row.outcome
    assert fresh(invitation).response == Rsvp.Response.NONE
    assert not InviteeMessage.objects.exists()


def test_forged_token_records_nothing_whoever_the_sender_claims_to_be(invitation):
    address = addresses.reply_address(invitation)
    forged = address.replace("+", "+9", 1)
    row = process(reply("outlook_accept", invitation, REPLY_ADDRESS=forged))
    assert_refused(row, invitation, "not valid")


def test_calendar_reply_without_token_records_nothing(invitation):
    row = process(reply("google_tentative", invitation, PARTSTAT="TENTATIVE",
                        REPLY_ADDRESS="noreply@wgportal.example"))
    assert_refused(row, invitation, "without a valid reply address token")


def test_token_of_one_invitee_cannot_answer_for_another(invitation):
    colleague = RsvpFactory(meeting=invitation.meeting, email="colleague@germany.example")
    row = process(reply("outlook_accept", invitation, REPLY_ADDRESS=addresses.reply_address(colleague)))
    assert_refused(row, invitation, "names no attendee invited at this address")
    assert fresh(colleague).response == Rsvp.Response.NONE


def test_reply_address_of_a_removed_invitation_records_nothing(invitation):
    raw = reply("outlook_accept", invitation)
    Rsvp.objects.filter(pk=invitation.pk).delete()
    row = process(raw)
    assert row.status == InboundMessage.Status.REFUSED and "no longer exists" in row.outcome
    assert not InviteeMessage.objects.exists()


def test_reply_for_another_event_records_nothing(invitation):
    row = process(reply("outlook_accept", invitation, UID="040000008200E00074C5B7101A82E008@outlook"))
    assert_refused(row, invitation, "not this meeting's")


def test_reply_to_an_older_version_records_nothing(invitation):
    meeting = invitation.meeting
    meeting.sequence = 2
    meeting.save()
    row = process(reply("apple_declined", invitation, PARTSTAT="DECLINED", SEQUENCE=1))
    assert_refused(row, invitation, "older version (SEQUENCE 1, last sent 2)")
    process(reply("apple_declined", invitation, PARTSTAT="DECLINED", SEQUENCE=2))
    assert fresh(invitation).response == "declined"


def test_calendar_that_does_not_parse_is_refused_with_nothing_recorded(invitation):
    row = process(reply("bad_calendar", invitation))
    assert_refused(row, invitation, "calendar part")


def test_reply_to_a_cancelled_meeting_records_nothing(invitation):
    services.meeting_cancel(meeting=invitation.meeting, by=None)
    invitation.meeting.refresh_from_db()
    row = process(reply("outlook_accept", invitation))
    assert_refused(row, invitation, "cancelled")


def test_a_calendar_reply_older_than_the_web_reply_keeps_the_web_reply(invitation):
    services.reply_set(rsvp=invitation, response="declined")
    row = process(reply("outlook_accept", invitation, DTSTAMP=stamp(timezone.now() - datetime.timedelta(hours=1))))
    assert row.status == InboundMessage.Status.REFUSED and "kept the later one" in row.outcome
    assert fresh(invitation).response == "declined"


# Proposals, written replies, automatic replies, bounces ----------------------------------------


def test_a_proposed_new_time_is_shown_to_coordinators_not_applied(invitation, cochair, secretariat):
    meeting = invitation.meeting
    start = meeting.start
    row = process(reply("outlook_counter", invitation,
                        PROPOSED_START=stamp(start + datetime.timedelta(hours=4)),
                        PROPOSED_END=stamp(start + datetime.timedelta(hours=6))))
    assert row.status == InboundMessage.Status.HANDLED
    meeting.refresh_from_db()
    assert meeting.start == start
    assert fresh(invitation).response == Rsvp.Response.NONE
    counter = InviteeMessage.objects.get(kind=KIND.COUNTER)
    assert counter.rsvp == invitation and counter.proposed_start == start + datetime.timedelta(hours=4)
    assert "afternoon" in counter.text
    notified = Message.objects.filter(kind="meeting_invitee_message")
    assert sorted(notified.values_list("recipient_email", flat=True)) == [cochair.email, secretariat.email]
    assert "proposes a new time" in notified.first().subject


def test_written_reply_is_kept_sanitized_without_attachments_and_coordinators_are_told(
        invitation, cochair, secretariat, member, settings):
    row = process(reply("written_reply", invitation))
    assert row.status == InboundMessage.Status.HANDLED
    written = InviteeMessage.objects.get(kind=KIND.WRITTEN)
    assert written.meeting == invitation.meeting and written.rsvp == invitation
    assert "our deputy head of mission" in written.text
    for unsafe in ("<script", "onload", "onerror", "javascript:", "<img", "evil.example"):
        assert unsafe not in written.html
    assert "<b>Mr Jens Müller</b>" in written.html
    assert "cv-jens-mueller.pdf" in written.attachments_dropped
    media = settings.MEDIA_ROOT
    assert not media.exists() or not any(media.rglob("*"))
    notified = Message.objects.filter(kind="meeting_invitee_message")
    assert sorted(notified.values_list("recipient_email", flat=True)) == [cochair.email, secretariat.email]
    note = notified.first()
    assert note.headers == {"Reply-To": invitation.email}
    assert "our deputy head of mission" in note.body_text and "<script" not in note.body_html


def test_a_flood_of_messages_is_kept_but_announced_only_a_few_times(invitation, cochair):
    for number in range(6):
        process(reply("written_reply", invitation, MESSAGE_ID=f"flood{number}@mail.example"))
    assert InviteeMessage.objects.filter(kind=KIND.WRITTEN).count() == 6
    assert Message.objects.filter(kind="meeting_invitee_message").count() == NOTIFY_PER_HOUR


def test_out_of_office_is_recorded_and_notifies_nobody(invitation, cochair, secretariat):
    row = process(reply("out_of_office", invitation))
    assert row.status == InboundMessage.Status.HANDLED
    auto = InviteeMessage.objects.get()
    assert auto.kind == KIND.AUTOMATIC and "Auto-Submitted" in auto.detail
    assert not Message.objects.filter(kind="meeting_invitee_message").exists()
    assert fresh(invitation).response == Rsvp.Response.NONE


def test_bounce_marks_that_recipients_delivery_failed(invitation, cochair, client,
                                                      django_capture_on_commit_callbacks):
    meeting = invitation.meeting
    invitation.sent_at = None
    invitation.save()
    with django_capture_on_commit_callbacks(execute=True):
        mailing = services.rsvps_send(meeting=meeting, by=cochair)
    sent = Message.objects.get(mailing=mailing, recipient_email=invitation.email)
    assert sent.status == Message.Status.SENT
    others = list(Message.objects.filter(mailing=mailing).exclude(pk=sent.pk).values_list("status", flat=True))
    row = process(reply("bounce", invitation, ORIGINAL_SUBJECT=sent.subject))
    assert row.status == InboundMessage.Status.HANDLED, row.outcome
    sent.refresh_from_db()
    assert sent.status == Message.Status.FAILED
    assert "Bounced: 5.1.1" in sent.last_error and "User unknown" in sent.last_error
    assert list(Message.objects.filter(mailing=mailing).exclude(pk=sent.pk).values_list("status", flat=True)) == others
    assert InviteeMessage.objects.get().kind == KIND.BOUNCE
    client.force_login(cochair)
    page = client.get(f"/mailings/{mailing.pk}/").content.decode()
    assert "Bounced: 5.1.1" in page and invitation.email in page
    assert not Message.objects.filter(kind="meeting_invitee_message").exists()


def test_mail_without_a_reply_address_is_left_alone(invitation):
    raw = (b"From: someone@example.org\r\nTo: noreply@wgportal.example\r\nSubject: Hello\r\n"
           b"Message-ID: <hello@example.org>\r\n\r\nJust saying hello.\r\n")
    row = process(raw)
    assert row.status == InboundMessage.Status.IGNORED
    assert not InviteeMessage.objects.exists()


# The meeting page -----------------------------------------------------------------------


def test_coordinators_see_messages_from_invitees_sanitized(client, invitation, cochair, password):
    process(reply("written_reply", invitation))
    process(reply("outlook_counter", invitation, MESSAGE_ID="counter@mail.example"))
    process(reply("out_of_office", invitation, MESSAGE_ID="ooo@mail.example"))
    client.force_login(cochair)
    page = client.get(f"/meetings/{invitation.meeting_id}/")
    html = page.content.decode()
    assert page.status_code == 200 and "Messages from invitees" in html
    assert "<b>Mr Jens Müller</b>" in html and "Proposed new time" in html and "Automatic reply" in html
    assert "document.cookie" not in html and "javascript:alert" not in html and "onerror" not in html
    assert "Attachments not kept: cv-jens-mueller.pdf" in html
    assert "web links only" not in html


def test_members_do_not_see_messages_from_invitees(client, invitation, member):
    process(reply("written_reply", invitation))
    client.force_login(member)
    page = client.get(f"/meetings/{invitation.meeting_id}/")
    assert page.status_code == 200 and "Messages from invitees" not in page.content.decode()


def test_without_a_mailbox_the_page_says_replies_come_through_the_web_links(client, invitation, cochair, settings):
    settings.INBOUND_IMAP_URL = ""
    client.force_login(cochair)
    page = client.get(f"/meetings/{invitation.meeting_id}/")
    assert "Replies come through the web links only" in page.content.decode()


def test_messages_from_invitees_cost_one_query_however_many(client, invitation, cochair,
                                                           django_assert_max_num_queries):
    client.force_login(cochair)
    url = f"/meetings/{invitation.meeting_id}/"
    client.get(url)
    with django_assert_max_num_queries(60) as few:
        client.get(url)
    for number in range(25):
        other = RsvpFactory(meeting=invitation.meeting, organization=invitation.organization)
        process(reply("written_reply", other, MESSAGE_ID=f"w{number}@mail.example"))
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url)
    assert page.content.decode().count("Attachments not kept") == 25


# The invitation's reply address -------------------------------------------------------------


def _sent_to(email: str, kind: str) -> Message:
    return Message.objects.filter(recipient_email=email, kind=kind).latest("id")


def _organizer(email) -> str:
    """The ORGANIZER of the calendar file in a sent email."""
    part = next(a for a in email.attachments if not isinstance(a, tuple))
    return str(Calendar.from_ical(part.get_payload(decode=True)).walk("VEVENT")[0]["organizer"])


def _delivered(mailoutbox, address: str, subject: str):
    return next(m for m in mailoutbox if address in m.to[0] and m.subject.startswith(subject))


def test_invitation_update_and_cancellation_name_the_recipients_reply_address(
        invitation, cochair, mailoutbox, django_capture_on_commit_callbacks):
    meeting = invitation.meeting
    invitation.sent_at = None
    invitation.save()
    address = addresses.reply_address(invitation)
    with django_capture_on_commit_callbacks(execute=True):
        services.rsvps_send(meeting=meeting, by=cochair)
    with django_capture_on_commit_callbacks(execute=True):
        services.update_send(meeting=meeting, by=cochair)
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_cancel(meeting=meeting, by=cochair)
    for subject in ("Invitation:", "Updated:", "Cancelled:"):
        sent = _delivered(mailoutbox, invitation.email, subject)
        assert sent.extra_headers["Reply-To"] == f"TIP working group <{address}>", subject
        assert _organizer(sent) == f"mailto:{address}", subject
    colleague = _delivered(mailoutbox, cochair.email, "Invitation:")
    assert _organizer(colleague) != f"mailto:{address}"  # each recipient their own


def test_without_a_mailbox_invitations_keep_the_groups_address(invitation, cochair, settings, mailoutbox,
                                                              django_capture_on_commit_callbacks):
    settings.INBOUND_IMAP_URL = ""
    invitation.sent_at = None
    invitation.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.rsvps_send(meeting=invitation.meeting, by=cochair)
    sent = _delivered(mailoutbox, invitation.email, "Invitation:")
    assert "Reply-To" not in sent.extra_headers
    assert _organizer(sent) == "mailto:noreply@wgportal.example"


def test_the_reply_token_is_sealed_in_the_outbox_and_sent_whole(invitation, cochair, mailoutbox,
                                                                django_capture_on_commit_callbacks):
    """Like the reply link's token, the reply address's is not readable in the
    database, not even where the calendar file's line folding cut it."""
    invitation.sent_at = None
    invitation.save()
    token = addresses.reply_token(invitation.pk)
    with django_capture_on_commit_callbacks(execute=False):
        services.rsvps_send(meeting=invitation.meeting, by=cochair)
    queued = _sent_to(invitation.email, "meeting_invitation")
    stored = [queued.body_text, queued.body_html, str(queued.headers), str(queued.attachments)]
    assert not any(token in text for text in stored)
    assert not any(token in re.sub(r"\r?\n[ \t]", "", text) for text in stored)

    delivery.message_deliver(message_id=queued.pk)
    (sent,) = [m for m in mailoutbox if invitation.email in m.to[0]]
    assert token in sent.extra_headers["Reply-To"]
    assert _organizer(sent) == f"mailto:{addresses.reply_address(invitation)}"


def test_a_web_reply_after_a_calendar_reply_is_from_the_web(invitation):
    process(reply("outlook_accept", invitation, DTSTAMP=stamp(timezone.now() - datetime.timedelta(minutes=1))))
    assert fresh(invitation).response_source == Rsvp.Source.CALENDAR
    services.reply_set(rsvp=fresh(invitation), response="declined")
    answered = fresh(invitation)
    assert (answered.response, answered.response_source) == ("declined", Rsvp.Source.WEB)


def test_the_replies_list_shows_from_calendar_with_the_time(client, invitation, cochair):
    pressed = timezone.now().replace(second=0, microsecond=0) - datetime.timedelta(minutes=3)
    process(reply("google_tentative", invitation, PARTSTAT="TENTATIVE", DTSTAMP=stamp(pressed)))
    client.force_login(cochair)
    html = client.get(f"/meetings/{invitation.meeting_id}/").content.decode()
    assert f"from calendar, {timezone.localtime(pressed):%-d %b %H:%M}" in html


def test_a_token_cut_by_the_calendar_files_line_folding_is_found_for_sealing():
    from meetings.emails import _folded

    ics = "ORGANIZER;CN=\"TIP working group\":mailto:rsvp+55-sjbyt32m6cil7\r\n 47xsptuqtfpzm@replies.example\r\n"
    assert _folded(ics, "55-sjbyt32m6cil747xsptuqtfpzm") == ("55-sjbyt32m6cil7\r\n 47xsptuqtfpzm",)
    assert _folded("mailto:rsvp+55-abc@x\r\n", "55-abc") == ()  # whole: sealed as it is
