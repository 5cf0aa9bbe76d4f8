"""A new member arrives: the upcoming meetings they would have been invited to."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from members.models import Invitation, User
from notifications.models import Mailing

from .. import emails, selectors
from ..models import Meeting, Rsvp
from .sending import mailing_send


@transaction.atomic
def newcomer_invite(*, user: User) -> list[Mailing]:
    """Send ``user`` the invitation of every upcoming scheduled meeting whose
    invitations already went out and whose audience now includes them.

    Once per meeting: the meeting row is locked and the person's ``Rsvp`` is
    marked sent in this transaction, so a second call finds nothing to send and
    the co-chairs' "Send to new invitees" later leaves them out. Meetings not
    sent yet need nothing: their first sending includes the newcomer.
    """
    now = timezone.now()
    meetings = (Meeting.objects.select_for_update().filter(
        status=Meeting.Status.SCHEDULED, end__gte=now, invitations_sent_at__isnull=False).order_by("start"))
    address = user.email.lower()
    mailings = []
    for meeting in meetings:
        recipient = next((r for r in selectors.audience_recipients(meeting) if r.email.lower() == address), None)
        if recipient is None:
            continue
        rsvp = meeting.rsvps.filter(email__iexact=address).first() or Rsvp.objects.create(
            meeting=meeting, email=recipient.email, name=recipient.name, user=user, organization=user.organization)
        if rsvp.sent_at is not None:
            continue
        mailings.append(mailing_send(meeting, emails.invitation(meeting, [rsvp]), by=None))
        Rsvp.objects.filter(pk=rsvp.pk).update(sent_at=now, user=user)
    return mailings


def member_joined(*, user: User, invitation: Invitation) -> None:
    """The ``members.hooks.member_joined`` hook: runs in the acceptance's transaction."""
    newcomer_invite(user=user)
