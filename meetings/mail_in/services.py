"""The inbound-mail handler of the meetings app, registered with notifications.inbound.

A message counts for an rsvp only through the signed reply address it
was sent to (``addresses``); the ``From`` header is kept as what the message
claims and decides nothing. What it does, in order:

- a delivery report for one of our messages marks that delivery failed;
- a calendar ``REPLY`` records the reply through the same service as the web
  links, with the source "calendar", if the UID is the meeting's and the
  SEQUENCE is not older than the last one sent;
- a ``COUNTER`` (a proposed new time) is kept for the coordinators, not applied;
- an automatic reply (out of office) is kept and notifies nobody;
- anything else is a written reply: kept, with sanitized HTML and no
  attachment, and the coordinators are told.

The whole runs in the savepoint of ``notifications.inbound``: a refusal or a
failure leaves nothing half-recorded.
"""

from __future__ import annotations

import datetime
import logging
from email.utils import getaddresses

from django.utils import timezone
from django.utils.html import strip_tags

from members.markup import sanitize_html
from notifications import services as outbox
from notifications.inbound import InboundMail, Refused
from notifications.inbound import services as inbound
from notifications.inbound.models import InboundMessage
from notifications.models import Message
from notifications.selectors import subject_ref

from .. import services as meeting_services
from ..models import Rsvp
from . import addresses, emails, selectors
from .itip import ItipError, ItipMessage, itip_parse
from .models import InviteeMessage

logger = logging.getLogger("meetings.mail_in")

PARTSTATS = {
    "ACCEPTED": Rsvp.Response.ACCEPTED,
    "TENTATIVE": Rsvp.Response.TENTATIVE,
    "DECLINED": Rsvp.Response.DECLINED,
}


def _rsvp_of(addresses_seen) -> Rsvp | None:
    try:
        rsvp_id = addresses.invitation_id_in(addresses_seen)
    except addresses.InvalidReplyToken as exc:
        raise Refused(str(exc)) from exc
    if rsvp_id is None:
        return None
    rsvp = Rsvp.objects.select_related("meeting", "user").filter(pk=rsvp_id).first()
    if rsvp is None:
        raise Refused(f"the reply address names invitation {rsvp_id}, which no longer exists")
    return rsvp


def _itip(mail: InboundMail) -> ItipMessage | None:
    """The first REPLY or COUNTER among the calendar parts; a part that does not parse refuses the message."""
    for part in mail.calendars:
        try:
            itip = itip_parse(part.text, method_hint=part.method)
        except ItipError as exc:
            raise Refused(f"calendar part: {exc}") from exc
        if itip is not None:
            return itip
    return None


def _record(mail: InboundMail, rsvp: Rsvp | None, kind: str, *, meeting=None, **fields) -> InviteeMessage:
    return InviteeMessage.objects.create(
        meeting=meeting or rsvp.meeting, rsvp=rsvp, kind=kind,
        # The mailbox's log row, written just before in the same transaction.
        inbound=InboundMessage.objects.filter(key=mail.key).first(),
        sender=mail.sender, subject=mail.subject, **fields,
    )


def inbound_handle(mail: InboundMail) -> str | None:
    """Handler for ``notifications.inbound``: what was done, None when the message is not ours."""
    if mail.report is not None:
        return _bounce(mail)
    rsvp = _rsvp_of(mail.recipients)
    itip = _itip(mail) if mail.calendars else None
    if rsvp is None:
        if itip is not None:
            raise Refused("calendar reply without a valid reply address token: nothing recorded, "
                          f"whoever the sender ({mail.sender}) claims to be")
        return None
    if itip is not None and itip.method == "REPLY":
        return _calendar_reply(mail, rsvp, itip)
    if itip is not None and itip.method == "COUNTER":
        return _counter(mail, rsvp, itip)
    if mail.automatic:
        _record(mail, rsvp, InviteeMessage.Kind.AUTOMATIC, text=mail.text[:5000], detail=mail.automatic)
        return f"meetings: automatic reply ({mail.automatic}) for invitation {rsvp.pk}"
    return _written(mail, rsvp)


def _check_event(rsvp: Rsvp, itip: ItipMessage) -> None:
    meeting = rsvp.meeting
    if itip.uid != meeting.calendar_uid:
        raise Refused(f"{itip.method} for UID {itip.uid!r}, which is not this meeting's")
    if itip.sequence < meeting.sequence:
        raise Refused(f"{itip.method} to an older version (SEQUENCE {itip.sequence}, last sent {meeting.sequence})")


def _invitee_attendee(rsvp: Rsvp, itip: ItipMessage):
    attendee = itip.attendee(rsvp.email, rsvp.user.email if rsvp.user else "")
    if attendee is None:
        named = ", ".join(a.email for a in itip.attendees) or "none"
        raise Refused(f"{itip.method} names no attendee invited at this address (attendees: {named})")
    return attendee


def _calendar_reply(mail: InboundMail, rsvp: Rsvp, itip: ItipMessage) -> str:
    _check_event(rsvp, itip)
    attendee = _invitee_attendee(rsvp, itip)
    response = PARTSTATS.get(attendee.partstat)
    if response is None:
        raise Refused(f"PARTSTAT {attendee.partstat or 'missing'} is not a reply the portal records")
    if rsvp.responded_at and itip.dtstamp and itip.dtstamp < rsvp.responded_at:
        raise Refused("calendar reply made before the reply already recorded; kept the later one")
    try:
        meeting_services.reply_set(rsvp=rsvp, response=response, source=Rsvp.Source.CALENDAR, at=itip.dtstamp)
    except meeting_services.MeetingStateError as exc:
        raise Refused(str(exc)) from exc
    _record(mail, rsvp, InviteeMessage.Kind.CALENDAR_REPLY, partstat=attendee.partstat,
            text=itip.comment)
    return f"meetings: calendar reply {response} for invitation {rsvp.pk}"


# An invitee who writes again and again (or a loop between two mail robots)
# must not flood the coordinators: past this many messages in an hour from one
# invitation, the messages are still kept on the meeting page, unannounced.
NOTIFY_PER_HOUR = 3


def _notify(message: InviteeMessage) -> None:
    recent = InviteeMessage.objects.filter(
        rsvp=message.rsvp, kind__in=(InviteeMessage.Kind.WRITTEN, InviteeMessage.Kind.COUNTER),
        received_at__gte=timezone.now() - datetime.timedelta(hours=1),
    ).count()
    if recent > NOTIFY_PER_HOUR:
        logger.info("Rsvp %s: %s messages this hour; no more notifications", message.rsvp_id, recent)
        return
    outbox.messages_queue(
        kind=emails.KIND_INVITEE_MESSAGE,
        emails=emails.invitee_message_emails(message, recipients=selectors.coordinators()),
    )


def _counter(mail: InboundMail, rsvp: Rsvp, itip: ItipMessage) -> str:
    _check_event(rsvp, itip)
    _invitee_attendee(rsvp, itip)
    if itip.start is None:
        raise Refused("COUNTER without a proposed start")
    message = _record(
        mail, rsvp, InviteeMessage.Kind.COUNTER, proposed_start=itip.start, proposed_end=itip.end,
        text=(itip.comment or mail.text)[:5000],
    )
    _notify(message)
    return f"meetings: new time proposed for invitation {rsvp.pk} (shown, not applied)"


def _written(mail: InboundMail, rsvp: Rsvp) -> str:
    html = sanitize_html(mail.html_unsafe) if mail.html_unsafe else ""
    text = mail.text or strip_tags(html)
    message = _record(
        mail, rsvp, InviteeMessage.Kind.WRITTEN, text=text[:20000], html=html[:50000],
        attachments_dropped="; ".join(mail.attachments)[:2000],
    )
    _notify(message)
    if mail.attachments:
        logger.info("Message %s: attachments not kept: %s", mail.key, len(mail.attachments))
    return f"meetings: written reply for invitation {rsvp.pk}"


def _bounce(mail: InboundMail) -> str | None:
    report = mail.report
    seen = list(mail.recipients)
    if report.original is not None:
        seen += _original_addresses(report.original)
    rsvp = _rsvp_of(seen)
    if rsvp is None:
        return None
    failure = next((f for f in report.failures if f.recipient == rsvp.email.lower()), None)
    if failure is None and len(report.failures) == 1:
        failure = report.failures[0]
    if failure is None:
        _record(mail, rsvp, InviteeMessage.Kind.AUTOMATIC, detail="delivery report without a failure")
        return f"meetings: delivery report without a failure for invitation {rsvp.pk}"
    reason = " ".join(filter(None, [failure.status, failure.diagnostic])) or "delivery failed"
    original_subject = str(report.original.get("Subject", "")) if report.original is not None else ""
    rows = Message.objects.filter(
        mailing__subject_ref=subject_ref(rsvp.meeting), recipient_email__iexact=rsvp.email
    ).order_by("-id")
    row = (original_subject and rows.filter(subject=original_subject[:255]).first()) or rows.first()
    if row is not None:
        inbound.message_bounced(message=row, reason=reason)
    _record(mail, rsvp, InviteeMessage.Kind.BOUNCE, detail=reason[:500])
    return f"meetings: bounce for invitation {rsvp.pk}: {reason}"


def _original_addresses(original) -> list[str]:
    values = [str(v) for name in ("Reply-To", "From", "Sender") for v in original.get_all(name, [])]
    return [address.lower() for _, address in getaddresses(values) if "@" in address]
