"""Meeting emails composed for the outbox: a meeting (or a date poll) and its
recipients become ``OutgoingEmail``s with their .ics. Nothing here changes state;
the services decide who gets what and hand these messages to the outbox.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from email.utils import formataddr, parseaddr

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from members.markup import markdown_to_html
from notifications.services import Attachment, DeferredEmail, OutgoingEmail

from . import calendar, selectors
from .mail_in import addresses
from .models import ActionItem, DatePoll, Meeting, Rsvp

KIND_INVITATION = "meeting_invitation"
KIND_UPDATE = "meeting_update"
KIND_CANCELLATION = "meeting_cancellation"
KIND_REMINDER = "meeting_reminder"
KIND_MINUTES = "meeting_minutes"
KIND_POLL = "meeting_poll"
KIND_POLL_RESULT = "meeting_poll_result"
KIND_ACTION_REMINDER = "action_item_reminder"

REPLY_CHOICES = ((Rsvp.Response.ACCEPTED, "Accept"), (Rsvp.Response.TENTATIVE, "Tentative"),
                 (Rsvp.Response.DECLINED, "Decline"))


def _group_name() -> str:
    """The name the group signs with (the display name of DEFAULT_FROM_EMAIL)."""
    return parseaddr(settings.DEFAULT_FROM_EMAIL)[0] or settings.PORTAL_NAME


def _folded(ics: str, secret: str) -> tuple[str, ...]:
    """``secret`` as it stands in an iCalendar text whose line folding (every 75
    octets) may have cut it, so that the outbox seals it there too."""
    pattern = "(?:\r?\n[ \t])?".join(re.escape(char) for char in secret)
    return tuple({match.group(0) for match in re.finditer(pattern, ics)} - {secret})


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
        secrets = ()
        if self.method != "CANCEL":
            url = selectors.reply_url(rsvp)
            # The signed token answers for this person: sealed in the outbox, forgotten once sent.
            secrets = (url.rstrip("/").rsplit("/", 1)[-1],)
            context["reply_links"] = [(label, f"{url}?response={value}") for value, label in REPLY_CHOICES]
        # With replies by email on, the recipient's own signed address receives
        # what their calendar application or their Reply sends back.
        # Its token is sealed like the link's.
        reply_address = addresses.reply_address(rsvp)
        headers = {"Reply-To": formataddr((_group_name(), reply_address))} if reply_address else {}
        if reply_address:
            secrets += (addresses.reply_token(rsvp.pk),)
        attachments = ()
        if self.method:
            ics = calendar.meeting_ics(self.meeting, method=self.method, attendee=(rsvp.email, rsvp.name),
                                       agenda=self.agenda, organizer=reply_address)
            if reply_address:
                secrets += _folded(ics, addresses.reply_token(rsvp.pk))
            attachments = (Attachment("invite.ics" if self.method == "REQUEST" else "cancel.ics", ics,
                                      f"text/calendar; method={self.method}"),)
        return OutgoingEmail(
            to_email=rsvp.email, to_name=rsvp.name, user_id=rsvp.user_id, subject=self.subject,
            text=render_to_string(f"meetings/email/{self.template}.txt", context),
            html=render_to_string(f"meetings/email/{self.template}.html", context),
            attachments=attachments, headers=headers, dedupe_key=dedupe_key, secrets=secrets,
        )


def _compose(meeting, rsvps, *, kind, template, subject, method, extra=None) -> Composed:
    mail = _MeetingMail(meeting, template=template, subject=subject, method=method, extra=extra)
    return Composed(kind, subject, [mail.email(rsvp) for rsvp in rsvps])


def invitation(meeting: Meeting, rsvps) -> Composed:
    return _compose(meeting, rsvps, kind=KIND_INVITATION, template="invitation", method="REQUEST",
                    subject=_invitation_subject(meeting))


# Invitations go to the whole audience at once: the click only writes a row per
# person naming this renderer, and the workers compose each message as they send
# it (notifications.renderers), the shared part once per meeting and process.
INVITATION_RENDERER = "meetings.invitation"
_invitation_mails: dict[tuple, _MeetingMail] = {}


def invitation_deferred(meeting: Meeting, rsvps) -> Composed:
    """The invitations to ``rsvps``, to be composed by the worker (``invitation_render``)."""
    subject = _invitation_subject(meeting)
    return Composed(KIND_INVITATION, subject, [
        DeferredEmail(to_email=rsvp.email, to_name=rsvp.name, user_id=rsvp.user_id, subject=subject,
                      render_with=INVITATION_RENDERER, render_args={"rsvp": rsvp.pk})
        for rsvp in rsvps
    ])


def invitation_render(args: dict) -> OutgoingEmail | None:
    """The invitation of the rsvp ``args["rsvp"]`` as the meeting stands now; None when
    the meeting is no longer scheduled (its cancellation tells people instead)."""
    return invitations_render([args])[0]


def invitations_render(args_list: list[dict]) -> list[OutgoingEmail | None]:
    """``invitation_render`` for a batch, with one query for all its rsvps."""
    rsvps = Rsvp.objects.select_related("meeting", "user").in_bulk([args.get("rsvp") for args in args_list])
    return [_invitation_for(rsvps.get(args.get("rsvp"))) for args in args_list]


def _invitation_for(rsvp: Rsvp | None) -> OutgoingEmail | None:
    if rsvp is None or rsvp.meeting.status != Meeting.Status.SCHEDULED:
        return None
    meeting = rsvp.meeting
    key = (meeting.pk, meeting.sequence, meeting.updated_at)
    mail = _invitation_mails.get(key)
    if mail is None:
        if len(_invitation_mails) > 16:
            _invitation_mails.clear()
        mail = _invitation_mails[key] = _MeetingMail(
            meeting, template="invitation", subject=_invitation_subject(meeting), method="REQUEST")
    return mail.email(rsvp)


def _invitation_subject(meeting: Meeting) -> str:
    return f"Invitation: {meeting.title}, {_when(meeting)}"


def update(meeting: Meeting, rsvps) -> Composed:
    return _compose(meeting, rsvps, kind=KIND_UPDATE, template="update", method="REQUEST",
                    subject=f"Updated: {meeting.title}, {_when(meeting)}")


def cancellation(meeting: Meeting, rsvps) -> Composed:
    return _compose(meeting, rsvps, kind=KIND_CANCELLATION, template="cancellation", method="CANCEL",
                    subject=f"Cancelled: {meeting.title}, {_when(meeting)}")


def minutes(meeting: Meeting, rsvps, *, correction: bool = False) -> Composed:
    """The published minutes; with ``correction``, the corrected text of minutes sent before."""
    label = "Corrected minutes" if correction else "Minutes"
    return _compose(
        meeting, rsvps, kind=KIND_MINUTES, template="minutes", method=None,
        subject=f"{label}: {meeting.title} ({timezone.localtime(meeting.start):%-d %B %Y})",
        extra={"minutes_html": markdown_to_html(meeting.minutes_markdown), "minutes_text": meeting.minutes_markdown,
               "correction": correction},
    )


def reminder(meeting: Meeting, rsvps) -> Composed:
    """Reminders carry a dedupe key per person and meeting: a second run queues nothing."""
    subject = f"Reminder: {meeting.title}, {_when(meeting)}"
    mail = _MeetingMail(meeting, template="reminder", subject=subject, method=None)
    return Composed(KIND_REMINDER, subject, [
        mail.email(rsvp, dedupe_key=f"meeting-reminder:{meeting.pk}:{rsvp.email.lower()}") for rsvp in rsvps
    ])


def nudge(meeting: Meeting, rsvps, *, day: str) -> Composed:
    """A reminder sent by a co-chair from the meeting page: at most one per person, meeting and day."""
    subject = f"Reminder: {meeting.title}, {_when(meeting)}"
    mail = _MeetingMail(meeting, template="reminder", subject=subject, method=None)
    return Composed(KIND_REMINDER, subject, [
        mail.email(rsvp, dedupe_key=f"meeting-nudge:{meeting.pk}:{day}:{rsvp.email.lower()}") for rsvp in rsvps
    ])


def action_item_reminder(item: ActionItem, people, *, stage: str) -> Composed:
    """A reminder of an open action item to its owner organization's people; ``stage``
    ("due" a few days before, "overdue" after) is part of the dedupe key: once each."""
    overdue = stage == "overdue"
    subject = f"{'Overdue' if overdue else 'Due soon'}: {item.description[:80]}"
    context = {"item": item, "overdue": overdue, "meeting_url": selectors.meeting_url(item.meeting),
               "site_url": settings.SITE_URL}
    return Composed(KIND_ACTION_REMINDER, subject, [
        OutgoingEmail(
            to_email=person.email, to_name=person.full_name, user_id=person.pk, subject=subject,
            text=render_to_string("meetings/email/action_reminder.txt", {**context, "person": person}),
            html=render_to_string("meetings/email/action_reminder.html", {**context, "person": person}),
            dedupe_key=f"action-item-{stage}:{item.pk}:{person.email.lower()}",
        )
        for person in people
    ])


def poll_result(poll: DatePoll, meeting: Meeting, people) -> Composed:
    """Tell the people who answered a date poll which date was chosen."""
    subject = f"Date chosen: {meeting.title}, {_when(meeting)}"
    context = {"poll": poll, "meeting": meeting, "meeting_url": selectors.meeting_url(meeting)}
    text = render_to_string("meetings/email/poll_result.txt", context)
    html = render_to_string("meetings/email/poll_result.html", context)
    return Composed(KIND_POLL_RESULT, subject, [
        OutgoingEmail(to_email=person.email, to_name=person.full_name, user_id=person.pk, subject=subject,
                      text=text, html=html)
        for person in people
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
