"""Invitations and replies: sending the invitations, updates and reminders, and
recording each person's reply (an ``Rsvp``)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from members.models import User
from notifications import services as outbox
from notifications.models import Mailing
from notifications.selectors import mailings_for, subject_ref

from .. import emails, selectors
from ..models import Meeting, Rsvp
from .errors import MeetingStateError
from .sending import mailing_send

REPLIES = (Rsvp.Response.ACCEPTED, Rsvp.Response.TENTATIVE, Rsvp.Response.DECLINED)


def _rsvps_sync(meeting: Meeting) -> None:
    existing = set(meeting.rsvps.values_list("email", flat=True))
    Rsvp.objects.bulk_create([
        Rsvp(meeting=meeting, email=r.email, name=r.name, user=r.user, organization=r.organization)
        for r in selectors.audience_recipients(meeting) if r.email not in existing
    ], ignore_conflicts=True)


@transaction.atomic
def rsvps_send(*, meeting: Meeting, by: User | None) -> Mailing | None:
    """Invite everyone of the audience who has not been sent the invitation yet.

    Returns the mailing, or None when everyone was already invited.
    """
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status != Meeting.Status.SCHEDULED:
        raise MeetingStateError("Only a scheduled meeting can be sent; schedule it first.")
    if meeting.end < timezone.now():
        raise MeetingStateError("This meeting is over; no invitations are sent for past meetings.")
    _rsvps_sync(meeting)
    pending = list(meeting.rsvps.filter(sent_at=None).select_related("user"))
    if not pending:
        return None
    # Exactly once without dedupe keys: the meeting row is locked and each
    # rsvp is marked in this transaction, so a second send finds none pending.
    mailing = mailing_send(meeting, emails.invitation_deferred(meeting, pending), by=by)
    now = timezone.now()
    Rsvp.objects.filter(pk__in=[r.pk for r in pending]).update(sent_at=now)
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
    return mailing_send(meeting, emails.update(meeting, list(meeting.rsvps.exclude(sent_at=None))), by=by)


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
        rsvps = meeting.rsvps.exclude(sent_at=None).filter(response__in=[Rsvp.Response.ACCEPTED, Rsvp.Response.NONE])
        composed = emails.reminder(meeting, rsvps)
        if not composed.emails:
            continue
        # One reminder mailing per meeting, however many runs add to it.
        mailing = mailings_for(meeting).filter(kind=composed.kind).first() or outbox.mailing_create(
            kind=composed.kind, subject=composed.subject, subject_ref=subject_ref(meeting))
        queued += len(outbox.messages_queue(kind=composed.kind, emails=composed.emails, mailing=mailing))
    return queued


NUDGE_AUDIENCES = {"none": Rsvp.Response.NONE, "tentative": Rsvp.Response.TENTATIVE}


@transaction.atomic
def reminders_nudge(*, meeting: Meeting, to: str, by: User | None) -> Mailing | None:
    """A co-chair's reminder from the meeting page, to those invited who have not replied
    (``to="none"``) or replied tentatively (``to="tentative"``); at most one a day per person."""
    if to not in NUDGE_AUDIENCES:
        raise ValueError(f"Not a reminder audience: {to!r}")
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if not meeting.accepts_replies or not meeting.invitations_sent_at:
        raise MeetingStateError("Reminders go to people invited to a meeting still ahead.")
    rsvps = list(meeting.rsvps.exclude(sent_at=None).filter(response=NUDGE_AUDIENCES[to]))
    composed = emails.nudge(meeting, rsvps, day=timezone.localdate().isoformat())
    if not composed.emails:
        return None
    mailing = outbox.mailing_create(kind=composed.kind, subject=composed.subject, by=by,
                                    subject_ref=subject_ref(meeting))
    outbox.messages_queue(kind=composed.kind, emails=composed.emails, mailing=mailing)
    return mailing


@transaction.atomic
def reply_set(*, rsvp: Rsvp, response: str, source: str = Rsvp.Source.WEB, at: datetime.datetime | None = None,
              comment: str | None = None, substitute: str | None = None) -> Rsvp:
    """Record ``rsvp``'s reply. ``source``: a web link or page, or a calendar application (``at`` is
    then when the person answered, the reply's DTSTAMP). ``comment`` and ``substitute`` (who comes
    instead) replace the earlier ones when given."""
    if response not in REPLIES:
        raise ValueError(f"Not a reply: {response!r}")
    if rsvp.meeting.status == Meeting.Status.DRAFT:
        raise MeetingStateError("This meeting is not announced yet; replies open when it is scheduled.")
    if rsvp.meeting.status == Meeting.Status.CANCELLED:
        raise MeetingStateError("This meeting was cancelled; there is nothing to reply to.")
    if rsvp.meeting.end < timezone.now():
        raise MeetingStateError("This meeting is over; replies are closed.")
    rsvp.response = response
    rsvp.responded_at = min(at, timezone.now()) if at else timezone.now()
    rsvp.response_source = source
    if comment is not None:
        rsvp.comment = comment.strip()[:500]
    if substitute is not None:
        rsvp.substitute = substitute.strip()[:200]
    rsvp.save(update_fields=["response", "responded_at", "response_source", "comment", "substitute"])
    return rsvp


@transaction.atomic
def reply_set_for_user(*, meeting: Meeting, user: User, response: str, comment: str | None = None,
                       substitute: str | None = None) -> Rsvp:
    """A signed-in person's reply; members not on the list (joined later) are added to it."""
    rsvp = selectors.rsvp_for(meeting, user)
    if rsvp is None:
        rsvp, _ = Rsvp.objects.get_or_create(
            meeting=meeting, email=user.email,
            defaults={"name": user.full_name, "user": user, "organization": user.organization},
        )
    return reply_set(rsvp=rsvp, response=response, comment=comment, substitute=substitute)
