"""Meeting emails composed for the outbox: a meeting (or a date poll) and its
recipients become ``OutgoingEmail``s with their .ics. Nothing here changes state;
the services decide who gets what and hand these messages to the outbox.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from members.markup import markdown_to_html
from notifications.services import Attachment, OutgoingEmail

from . import calendar, selectors
from .models import DatePoll, Meeting, Rsvp

KIND_INVITATION = "meeting_invitation"
KIND_UPDATE = "meeting_update"
KIND_CANCELLATION = "meeting_cancellation"
KIND_REMINDER = "meeting_reminder"
KIND_MINUTES = "meeting_minutes"
KIND_POLL = "meeting_poll"

REPLY_CHOICES = ((Rsvp.Response.ACCEPTED, "Accept"), (Rsvp.Response.TENTATIVE, "Tentative"),
                 (Rsvp.Response.DECLINED, "Decline"))


@dataclass(frozen=True)
class Composed:
    """One kind of message for many recipients: its outbox kind, subject and emails."""

    kind: str
    subject: str
    emails: list[OutgoingEmail]


def _when(meeting: Meeting) -> str:
    start = timezone.localtime(meeting.start)
    return f"{start:%-d %B %Y}, {start:%H:%M}"


class _MeetingMail:
    """One kind of meeting email for many recipients.

    What is the same for everyone (the meeting's details, its agenda) is
    rendered once; only the greeting, the signed reply links and the calendar
    file's ATTENDEE differ per recipient.
    """

    def __init__(self, meeting: Meeting, *, template: str, subject: str, method: str | None, extra: dict | None = None):
        self.template, self.subject, self.method = template, subject, method
        self.agenda = selectors.agenda(meeting)
        self.meeting = meeting
        base = {"meeting": meeting, "agenda": self.agenda, "meeting_url": selectors.meeting_url(meeting),
                "site_url": settings.SITE_URL, **(extra or {})}
        self.context = {
            **base,
            "details_text": render_to_string("meetings/email/_details.txt", base),
            "details_html": render_to_string("meetings/email/_details.html", base),
        }

    def email(self, rsvp: Rsvp, *, dedupe_key: str | None = None) -> OutgoingEmail:
        context = {**self.context, "invitation": rsvp}
        if self.method != "CANCEL":
            url = selectors.reply_url(rsvp)
            context["reply_links"] = [(label, f"{url}?response={value}") for value, label in REPLY_CHOICES]
        attachments = ()
        if self.method:
            ics = calendar.meeting_ics(self.meeting, method=self.method, attendee=(rsvp.email, rsvp.name),
                                       agenda=self.agenda)
            attachments = (Attachment("invite.ics" if self.method == "REQUEST" else "cancel.ics", ics,
                                      f"text/calendar; method={self.method}"),)
        return OutgoingEmail(
            to_email=rsvp.email, to_name=rsvp.name, user_id=rsvp.user_id, subject=self.subject,
            text=render_to_string(f"meetings/email/{self.template}.txt", context),
            html=render_to_string(f"meetings/email/{self.template}.html", context),
            attachments=attachments, dedupe_key=dedupe_key,
        )


def _compose(meeting, rsvps, *, kind, template, subject, method, extra=None) -> Composed:
    mail = _MeetingMail(meeting, template=template, subject=subject, method=method, extra=extra)
    return Composed(kind, subject, [mail.email(rsvp) for rsvp in rsvps])


def invitation(meeting: Meeting, rsvps) -> Composed:
    return _compose(meeting, rsvps, kind=KIND_INVITATION, template="invitation", method="REQUEST",
                    subject=f"Invitation: {meeting.title}, {_when(meeting)}")


def update(meeting: Meeting, rsvps) -> Composed:
    return _compose(meeting, rsvps, kind=KIND_UPDATE, template="update", method="REQUEST",
                    subject=f"Updated: {meeting.title}, {_when(meeting)}")


def cancellation(meeting: Meeting, rsvps) -> Composed:
    return _compose(meeting, rsvps, kind=KIND_CANCELLATION, template="cancellation", method="CANCEL",
                    subject=f"Cancelled: {meeting.title}, {_when(meeting)}")


def minutes(meeting: Meeting, rsvps) -> Composed:
    return _compose(
        meeting, rsvps, kind=KIND_MINUTES, template="minutes", method=None,
        subject=f"Minutes: {meeting.title} ({timezone.localtime(meeting.start):%-d %B %Y})",
        extra={"minutes_html": markdown_to_html(meeting.minutes_markdown), "minutes_text": meeting.minutes_markdown},
    )


def reminder(meeting: Meeting, rsvps) -> Composed:
    """Reminders carry a dedupe key per person and meeting: a second run queues nothing."""
    subject = f"Reminder: {meeting.title}, {_when(meeting)}"
    mail = _MeetingMail(meeting, template="reminder", subject=subject, method=None)
    return Composed(KIND_REMINDER, subject, [
        mail.email(rsvp, dedupe_key=f"meeting-reminder:{meeting.pk}:{rsvp.email.lower()}") for rsvp in rsvps
    ])


def date_poll(poll: DatePoll, people) -> Composed:
    """The link to a date poll, for each of ``people`` (users)."""
    subject = f"Help us find a date: {poll.title}"
    context = {"poll": poll, "slots": list(poll.slots.all()), "poll_url": selectors.poll_url(poll)}
    emails = []
    for person in people:
        # Rendered per person: every email of the portal opens "Dear <full name>".
        personal = {**context, "name": person.full_name}
        emails.append(OutgoingEmail(
            to_email=person.email, to_name=person.full_name, user_id=person.pk, subject=subject,
            text=render_to_string("meetings/email/poll.txt", personal),
            html=render_to_string("meetings/email/poll.html", personal)))
    return Composed(KIND_POLL, subject, emails)
