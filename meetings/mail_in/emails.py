"""The note the co-chairs and the secretariat get when an invitee writes back."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse

from members.models import Organization, User
from notifications import services as outbox

KIND_INVITEE_MESSAGE = "meeting_invitee_message"


def coordinators():
    """Who runs the group's meetings: the co-chairs' people and the secretariat."""
    return (
        User.objects.filter(is_active=True)
        .filter(
            Q(role=User.Role.SECRETARIAT)
            | Q(organization__is_cochair=True, organization__status=Organization.Status.ACTIVE)
        )
        .order_by("email")
    )


def invitee_message_emails(message, *, recipients) -> list[outbox.OutgoingEmail]:
    meeting, invitation = message.meeting, message.invitation
    who = invitation.display_name if invitation else message.sender
    context = {
        "message": message, "meeting": meeting, "invitation": invitation, "who": who,
        "meeting_url": settings.SITE_URL + reverse("meetings:detail", args=[meeting.pk]) + "#invitee-messages",
    }
    if message.kind == message.Kind.COUNTER:
        subject = f"{who} proposes a new time for {meeting.title}"
    else:
        subject = f"{who} wrote about {meeting.title}"
    text = render_to_string("meetings/email/invitee_message.txt", context)
    html = render_to_string("meetings/email/invitee_message.html", context)
    # Answering goes to the invited address, not to whatever the message claimed to be from.
    headers = {"Reply-To": invitation.email} if invitation else {}
    return [
        outbox.OutgoingEmail(to_email=person.email, to_name=person.full_name, user_id=person.pk, subject=subject,
                             text=text, html=html, headers=headers)
        for person in recipients
    ]
