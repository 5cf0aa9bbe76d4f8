"""Every write of the meetings app: scheduling, the agenda, invitations and replies,
updates, cancellations, reminders, attendance, minutes, action items, date polls.

Emails are rows of the outbox (notifications.services), written in the same
transaction as the change that causes them; Celery sends them after commit.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Iterable

import markdown
import nh3
from django.conf import settings
from django.db import transaction
from django.db.models import Max, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from members.models import Organization, User
from notifications import services as outbox
from notifications.models import Mailing

from . import calendar, tokens
from .models import ActionItem, AgendaItem, CalendarFeed, DatePoll, Invitation, Meeting, PollAnswer, PollSlot

# Changing these on a scheduled meeting makes the invitations out of date.
CALENDAR_FIELDS = ("start", "end", "venue", "title")

KIND_INVITATION = "meeting_invitation"
KIND_UPDATE = "meeting_update"
KIND_CANCELLATION = "meeting_cancellation"
KIND_REMINDER = "meeting_reminder"
KIND_MINUTES = "meeting_minutes"


def subject_ref(meeting: Meeting) -> str:
    return f"meetings.meeting:{meeting.pk}"


def meeting_url(meeting: Meeting) -> str:
    return settings.SITE_URL + reverse("meetings:detail", args=[meeting.pk])


def render_markdown(text: str) -> str:
    """Markdown to HTML that is safe to show: rendered, then cleaned with nh3."""
    return nh3.clean(markdown.markdown(text or "", extensions=["extra", "sane_lists"]))


def meeting_number_next() -> int:
    return (Meeting.objects.aggregate(n=Max("number"))["n"] or 0) + 1


# Scheduling -----------------------------------------------------------------


@transaction.atomic
def meeting_create(
    *, by: User | None, title: str, number: int, start: datetime.datetime, end: datetime.datetime,
    venue: str = "", host: Organization | None = None, description: str = "", status: str = Meeting.Status.DRAFT,
    audience_all: bool = True, audience_organizations: Iterable[Organization] = (), extra_addresses: str = "",
) -> Meeting:
    meeting = Meeting.objects.create(
        created_by=by, title=title, number=number, start=start, end=end, venue=venue, host=host,
        description=description, status=status, audience_all=audience_all, extra_addresses=extra_addresses,
    )
    meeting.audience_organizations.set(list(audience_organizations))
    return meeting


@transaction.atomic
def meeting_update(
    *, meeting: Meeting, by: User | None, audience_organizations: Iterable[Organization] | None = None, **fields
) -> Meeting:
    """Save changed fields; a change of time or place after the invitations went
    out marks the meeting as needing an update."""
    stored = Meeting.objects.select_for_update().get(pk=meeting.pk)
    changed = {name for name, value in fields.items() if getattr(stored, name) != value}
    for name, value in fields.items():
        setattr(meeting, name, value)
    meeting.invitations_sent_at, meeting.status = stored.invitations_sent_at, stored.status
    meeting.update_pending = stored.update_pending
    if changed & set(CALENDAR_FIELDS):
        _mark_update_pending(meeting)
    meeting.save(update_fields=[*fields, "update_pending", "updated_at"])
    if audience_organizations is not None:
        meeting.audience_organizations.set(list(audience_organizations))
    return meeting


def _mark_update_pending(meeting: Meeting) -> None:
    if meeting.status == Meeting.Status.SCHEDULED and meeting.invitations_sent_at:
        meeting.update_pending = True


def _agenda_changed(meeting: Meeting) -> None:
    if meeting.status == Meeting.Status.SCHEDULED and meeting.invitations_sent_at and not meeting.update_pending:
        meeting.update_pending = True
        meeting.save(update_fields=["update_pending", "updated_at"])


@transaction.atomic
def agenda_item_add(*, meeting: Meeting, title: str, presenter: Organization | None = None, minutes: int = 15) -> AgendaItem:
    order = (meeting.agenda_items.aggregate(n=Max("order"))["n"] or 0) + 1
    item = AgendaItem.objects.create(meeting=meeting, title=title, presenter=presenter, minutes=minutes, order=order)
    _agenda_changed(meeting)
    return item


@transaction.atomic
def agenda_item_update(*, item: AgendaItem, title: str, presenter: Organization | None, minutes: int) -> AgendaItem:
    item.title, item.presenter, item.minutes = title, presenter, minutes
    item.save()
    _agenda_changed(item.meeting)
    return item


@transaction.atomic
def agenda_item_delete(*, item: AgendaItem) -> None:
    meeting = item.meeting
    item.delete()
    _renumber(meeting, list(meeting.agenda_items.all()))
    _agenda_changed(meeting)


@transaction.atomic
def agenda_item_move(*, item: AgendaItem, direction: str) -> None:
    """Swap an item with its neighbour (``direction`` "up" or "down")."""
    items = list(item.meeting.agenda_items.select_for_update().all())
    index = next(i for i, other in enumerate(items) if other.pk == item.pk)
    target = index - 1 if direction == "up" else index + 1
    if 0 <= target < len(items):
        items[index], items[target] = items[target], items[index]
        _renumber(item.meeting, items)
        _agenda_changed(item.meeting)


def _renumber(meeting: Meeting, items: list[AgendaItem]) -> None:
    for order, item in enumerate(items, 1):
        item.order = order
    AgendaItem.objects.bulk_update(items, ["order"])


# Audience and invitations -----------------------------------------------------


@dataclass(frozen=True)
class Recipient:
    email: str
    name: str = ""
    user: User | None = None
    organization: Organization | None = None


def audience_recipients(meeting: Meeting) -> list[Recipient]:
    """Everyone the meeting's audience names, once per address."""
    people = User.objects.filter(is_active=True).select_related("organization")
    if meeting.audience_all:
        # The secretariat belongs to no member organization but runs the group's meetings.
        people = people.filter(Q(organization__status=Organization.Status.ACTIVE) | Q(role=User.Role.SECRETARIAT))
    else:
        people = people.filter(organization__in=meeting.audience_organizations.all())
    found: dict[str, Recipient] = {}
    for person in people.order_by("organization__name", "full_name", "email"):
        found.setdefault(person.email.lower(), Recipient(person.email, person.full_name, person, person.organization))
    extras = [line.strip().lower() for line in meeting.extra_addresses.splitlines() if line.strip()]
    if extras:
        known = {u.email.lower(): u for u in User.objects.filter(email__in=extras).select_related("organization")}
        for address in extras:
            user = known.get(address)
            found.setdefault(address, Recipient(
                address, user.full_name if user else "", user, user.organization if user else None
            ))
    return list(found.values())


def _invitations_sync(meeting: Meeting) -> None:
    existing = set(meeting.invitations.values_list("email", flat=True))
    Invitation.objects.bulk_create([
        Invitation(meeting=meeting, email=r.email, name=r.name, user=r.user, organization=r.organization)
        for r in audience_recipients(meeting) if r.email not in existing
    ], ignore_conflicts=True)


def reply_url(invitation: Invitation, response: str | None = None) -> str:
    url = settings.SITE_URL + reverse("meetings:reply_link", args=[invitation.meeting_id, tokens.reply_token(invitation)])
    return f"{url}?response={response}" if response else url


class _MeetingMail:
    """One kind of meeting email (invitation, update...) for many recipients.

    What is the same for everyone (the meeting's details, its agenda) is
    rendered once; only the greeting, the signed reply links and the calendar
    file's ATTENDEE differ per recipient.
    """

    def __init__(self, meeting: Meeting, *, template: str, subject: str, method: str | None, extra: dict | None = None):
        self.template, self.subject, self.method = template, subject, method
        self.agenda = list(meeting.agenda_items.select_related("presenter"))
        self.meeting = meeting
        base = {"meeting": meeting, "agenda": self.agenda, "meeting_url": meeting_url(meeting),
                "site_url": settings.SITE_URL, **(extra or {})}
        self.context = {
            **base,
            "details_text": render_to_string("meetings/email/_details.txt", base),
            "details_html": render_to_string("meetings/email/_details.html", base),
        }

    def email(self, invitation: Invitation, *, dedupe_key: str | None = None) -> outbox.OutgoingEmail:
        context = {**self.context, "invitation": invitation}
        if self.method != "CANCEL":
            url = reply_url(invitation)
            context["reply_links"] = [
                (label, f"{url}?response={value}") for value, label in
                ((Invitation.Response.ACCEPTED, "Accept"), (Invitation.Response.TENTATIVE, "Tentative"),
                 (Invitation.Response.DECLINED, "Decline"))
            ]
        attachments = ()
        if self.method:
            ics = calendar.meeting_ics(self.meeting, method=self.method, attendee=(invitation.email, invitation.name),
                                       agenda=self.agenda)
            attachments = (outbox.Attachment("invite.ics" if self.method == "REQUEST" else "cancel.ics", ics,
                                             f"text/calendar; method={self.method}"),)
        return outbox.OutgoingEmail(
            to_email=invitation.email, to_name=invitation.name, user_id=invitation.user_id, subject=self.subject,
            text=render_to_string(f"meetings/email/{self.template}.txt", context),
            html=render_to_string(f"meetings/email/{self.template}.html", context),
            attachments=attachments, dedupe_key=dedupe_key,
        )


def _mailing_send(meeting: Meeting, invitations: list[Invitation], *, kind: str, template: str, subject: str,
                  method: str | None, by: User | None, extra: dict | None = None) -> Mailing:
    """One mailing about ``meeting`` to ``invitations``: its outbox rows, sent after commit."""
    mailing = outbox.mailing_create(kind=kind, subject=subject, by=by, subject_ref=subject_ref(meeting))
    mail = _MeetingMail(meeting, template=template, subject=subject, method=method, extra=extra)
    outbox.messages_queue(kind=kind, mailing=mailing, emails=[mail.email(i) for i in invitations])
    return mailing


def _when(meeting: Meeting) -> str:
    start = timezone.localtime(meeting.start)
    return f"{start:%-d %B %Y}, {start:%H:%M}"


class MeetingStateError(Exception):
    """The meeting is not in a state that allows the action; the message says why."""


@transaction.atomic
def invitations_send(*, meeting: Meeting, by: User | None) -> Mailing | None:
    """Invite everyone of the audience who has not been sent the invitation yet.

    Returns the mailing, or None when everyone was already invited.
    """
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status != Meeting.Status.SCHEDULED:
        raise MeetingStateError("Only a scheduled meeting can be sent; schedule it first.")
    if meeting.end < timezone.now():
        raise MeetingStateError("This meeting is over; no invitations are sent for past meetings.")
    _invitations_sync(meeting)
    pending = list(meeting.invitations.filter(sent_at=None).select_related("user"))
    if not pending:
        return None
    # Exactly once without dedupe keys: the meeting row is locked and each
    # invitation is marked in this transaction, so a second send finds none pending.
    mailing = _mailing_send(meeting, pending, kind=KIND_INVITATION, template="invitation", method="REQUEST", by=by,
                            subject=f"Invitation: {meeting.title}, {_when(meeting)}")
    now = timezone.now()
    Invitation.objects.filter(pk__in=[i.pk for i in pending]).update(sent_at=now)
    meeting.invitations_sent_at = meeting.invitations_sent_at or now
    meeting.save(update_fields=["invitations_sent_at", "updated_at"])
    return mailing


@transaction.atomic
def update_send(*, meeting: Meeting, by: User | None) -> Mailing | None:
    """Send the changed meeting (SEQUENCE + 1) to everyone already invited."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status != Meeting.Status.SCHEDULED or not meeting.invitations_sent_at:
        raise MeetingStateError("Updates go to people already invited; send the invitations first.")
    meeting.sequence += 1
    meeting.update_pending = False
    meeting.save(update_fields=["sequence", "update_pending", "updated_at"])
    return _mailing_send(meeting, list(meeting.invitations.exclude(sent_at=None)), kind=KIND_UPDATE, template="update",
                         method="REQUEST", by=by, subject=f"Updated: {meeting.title}, {_when(meeting)}")


@transaction.atomic
def meeting_cancel(*, meeting: Meeting, by: User | None) -> Mailing | None:
    """Cancel the meeting; everyone invited receives METHOD:CANCEL."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status in (Meeting.Status.CANCELLED, Meeting.Status.HELD):
        raise MeetingStateError(f"This meeting is {meeting.get_status_display().lower()}; it cannot be cancelled.")
    was_sent = meeting.invitations_sent_at is not None
    meeting.status = Meeting.Status.CANCELLED
    meeting.sequence += 1
    meeting.update_pending = False
    meeting.save(update_fields=["status", "sequence", "update_pending", "updated_at"])
    invited = list(meeting.invitations.exclude(sent_at=None))
    if not (was_sent and invited):
        return None
    return _mailing_send(meeting, invited, kind=KIND_CANCELLATION, template="cancellation", method="CANCEL", by=by,
                         subject=f"Cancelled: {meeting.title}, {_when(meeting)}")


@transaction.atomic
def meeting_schedule(*, meeting: Meeting, by: User | None) -> Meeting:
    if meeting.status != Meeting.Status.DRAFT:
        raise MeetingStateError("Only a draft can be scheduled.")
    meeting.status = Meeting.Status.HELD if meeting.end < timezone.now() else Meeting.Status.SCHEDULED
    meeting.save(update_fields=["status", "updated_at"])
    return meeting


# Replies --------------------------------------------------------------------


@transaction.atomic
def reply_set(*, invitation: Invitation, response: str) -> Invitation:
    if response not in {Invitation.Response.ACCEPTED, Invitation.Response.TENTATIVE, Invitation.Response.DECLINED}:
        raise ValueError(f"Not a reply: {response!r}")
    if invitation.meeting.status == Meeting.Status.CANCELLED:
        raise MeetingStateError("This meeting was cancelled; there is nothing to reply to.")
    if invitation.meeting.end < timezone.now():
        raise MeetingStateError("This meeting is over; replies are closed.")
    invitation.response = response
    invitation.responded_at = timezone.now()
    invitation.save(update_fields=["response", "responded_at"])
    return invitation


def invitation_for(meeting: Meeting, user: User) -> Invitation | None:
    return meeting.invitations.filter(Q(user=user) | Q(email__iexact=user.email)).order_by("-user_id").first()


@transaction.atomic
def reply_set_for_user(*, meeting: Meeting, user: User, response: str) -> Invitation:
    """A signed-in person's reply; members not on the list (joined later) are added to it."""
    invitation = invitation_for(meeting, user)
    if invitation is None:
        invitation, _ = Invitation.objects.get_or_create(
            meeting=meeting, email=user.email,
            defaults={"name": user.full_name, "user": user, "organization": user.organization},
        )
    return reply_set(invitation=invitation, response=response)


# Reminders ------------------------------------------------------------------


@transaction.atomic
def reminders_send(*, now: datetime.datetime | None = None) -> int:
    """One reminder per person per meeting starting within MEETING_REMINDER_HOURS,
    to those who accepted or have not replied. The outbox's dedupe key makes a
    second run (beat firing twice, two beat processes) send nothing more."""
    now = now or timezone.now()
    horizon = now + datetime.timedelta(hours=settings.MEETING_REMINDER_HOURS)
    meetings = Meeting.objects.filter(status=Meeting.Status.SCHEDULED, start__gt=now, start__lte=horizon)
    queued = 0
    for meeting in meetings:
        invitations = meeting.invitations.exclude(sent_at=None).filter(
            response__in=[Invitation.Response.ACCEPTED, Invitation.Response.NONE]
        )
        subject = f"Reminder: {meeting.title}, {_when(meeting)}"
        mail = _MeetingMail(meeting, template="reminder", subject=subject, method=None)
        emails = [mail.email(invitation, dedupe_key=f"meeting-reminder:{meeting.pk}:{invitation.email.lower()}")
                  for invitation in invitations]
        if not emails:
            continue
        mailing = Mailing.objects.filter(kind=KIND_REMINDER, subject_ref=subject_ref(meeting)).first()
        mailing = mailing or outbox.mailing_create(kind=KIND_REMINDER, subject=subject, subject_ref=subject_ref(meeting))
        queued += len(outbox.messages_queue(kind=KIND_REMINDER, emails=emails, mailing=mailing))
    return queued


# After the meeting ------------------------------------------------------------


@transaction.atomic
def attendance_record(*, meeting: Meeting, organizations: Iterable[Organization], people: Iterable[User]) -> Meeting:
    """Who attended. People imply their organization."""
    people = list(people)
    organizations = {org.pk: org for org in organizations}
    for person in people:
        if person.organization_id:
            organizations.setdefault(person.organization_id, person.organization)
    meeting.attending_organizations.set(list(organizations.values()))
    meeting.attendees.set(people)
    meeting.attendance_recorded_at = timezone.now()
    if meeting.status == Meeting.Status.SCHEDULED and meeting.end < timezone.now():
        meeting.status = Meeting.Status.HELD
    meeting.save(update_fields=["attendance_recorded_at", "status", "updated_at"])
    return meeting


@transaction.atomic
def minutes_save(*, meeting: Meeting, text: str) -> Meeting:
    meeting.minutes_markdown = text
    meeting.save(update_fields=["minutes_markdown", "updated_at"])
    return meeting


@transaction.atomic
def minutes_publish(*, meeting: Meeting, by: User | None) -> Mailing | None:
    """Publish the minutes and send them (with a link) to everyone invited."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if not meeting.minutes_markdown.strip():
        raise MeetingStateError("Write the minutes before publishing them.")
    first_time = meeting.minutes_published_at is None
    meeting.minutes_published_at = timezone.now()
    meeting.save(update_fields=["minutes_published_at", "updated_at"])
    recipients = list(meeting.invitations.all())
    if not (first_time and recipients):
        return None
    return _mailing_send(
        meeting, recipients, kind=KIND_MINUTES, template="minutes", method=None, by=by,
        subject=f"Minutes: {meeting.title} ({timezone.localtime(meeting.start):%-d %B %Y})",
        extra={"minutes_html": render_markdown(meeting.minutes_markdown), "minutes_text": meeting.minutes_markdown},
    )


@transaction.atomic
def action_item_add(*, meeting: Meeting, description: str, owner: Organization | None,
                    due_on: datetime.date | None) -> ActionItem:
    return ActionItem.objects.create(meeting=meeting, description=description, owner=owner, due_on=due_on)


@transaction.atomic
def action_item_update(*, item: ActionItem, description: str, owner: Organization | None,
                       due_on: datetime.date | None, status: str) -> ActionItem:
    item.description, item.owner, item.due_on, item.status = description, owner, due_on, status
    item.save()
    return item


# Finding a date ---------------------------------------------------------------


@transaction.atomic
def poll_create(*, by: User | None, title: str, slots: list[tuple[datetime.datetime, datetime.datetime]],
                description: str = "", venue: str = "", host: Organization | None = None,
                notify: bool = False) -> DatePoll:
    """Open a date poll; with ``notify``, every member receives a link to answer it."""
    if not 2 <= len(slots) <= 8:
        raise ValueError("A date poll offers 2 to 8 slots.")
    poll = DatePoll.objects.create(created_by=by, title=title, description=description, venue=venue, host=host)
    PollSlot.objects.bulk_create([PollSlot(poll=poll, start=start, end=end) for start, end in sorted(slots)])
    if notify:
        _poll_notify(poll, by=by)
    return poll


def _poll_notify(poll: DatePoll, *, by: User | None) -> Mailing | None:
    people = list(User.objects.filter(is_active=True).filter(
        Q(organization__status=Organization.Status.ACTIVE) | Q(role=User.Role.SECRETARIAT)).order_by("email"))
    if not people:
        return None
    subject = f"Help us find a date: {poll.title}"
    context = {"poll": poll, "slots": list(poll.slots.all()),
               "poll_url": settings.SITE_URL + reverse("meetings:poll", args=[poll.pk])}
    text = render_to_string("meetings/email/poll.txt", context)
    html = render_to_string("meetings/email/poll.html", context)
    mailing = outbox.mailing_create(kind="meeting_poll", subject=subject, by=by, subject_ref=f"meetings.datepoll:{poll.pk}")
    outbox.messages_queue(kind="meeting_poll", mailing=mailing, emails=[
        outbox.OutgoingEmail(to_email=person.email, to_name=person.full_name, user_id=person.pk, subject=subject,
                             text=text, html=html)
        for person in people
    ])
    return mailing


@transaction.atomic
def poll_answer(*, poll: DatePoll, user: User, answers: dict[int, str]) -> None:
    """``answers``: slot id -> yes / maybe / no; replaces the user's earlier answers."""
    if poll.status != DatePoll.Status.OPEN:
        raise MeetingStateError("This poll is closed.")
    slots = {slot.pk: slot for slot in poll.slots.all()}
    for slot_id, answer in answers.items():
        if slot_id in slots and answer in PollAnswer.Answer.values:
            PollAnswer.objects.update_or_create(slot=slots[slot_id], user=user, defaults={"answer": answer})


@transaction.atomic
def poll_schedule(*, poll: DatePoll, slot: PollSlot, by: User | None) -> Meeting:
    """Turn the chosen slot into a scheduled meeting and close the poll."""
    poll = DatePoll.objects.select_for_update().get(pk=poll.pk)
    if poll.status != DatePoll.Status.OPEN:
        raise MeetingStateError("This poll is closed already.")
    meeting = meeting_create(
        by=by, title=poll.title, number=meeting_number_next(), start=slot.start, end=slot.end, venue=poll.venue,
        host=poll.host, description=poll.description, status=Meeting.Status.SCHEDULED,
    )
    poll.status, poll.meeting = DatePoll.Status.CLOSED, meeting
    poll.save(update_fields=["status", "meeting"])
    return meeting


# Calendar feed ----------------------------------------------------------------


def feed_for(user: User) -> CalendarFeed:
    feed, _ = CalendarFeed.objects.get_or_create(user=user)
    return feed


@transaction.atomic
def feed_rotate(*, user: User) -> CalendarFeed:
    """A new secret address; the old one stops working at once."""
    CalendarFeed.objects.filter(user=user).delete()
    return CalendarFeed.objects.create(user=user)
