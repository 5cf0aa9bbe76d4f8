"""The note the co-chairs and the secretariat get when an invitee writes back."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse

from notifications import services as outbox

KIND_INVITEE_MESSAGE = "meeting_invitee_message"


def invitee_message_emails(message, *, recipients) -> list[outbox.OutgoingEmail]:
    meeting, rsvp = message.meeting, message.rsvp
    who = rsvp.display_name if rsvp else message.sender
    context = {
        "message": message, "meeting": meeting, "rsvp": rsvp, "who": who,
        "meeting_url": settings.SITE_URL + reverse("meetings:detail", args=[meeting.pk]) + "#invitee-messages",
    }
    if message.kind == message.Kind.COUNTER:
        subject = f"{who} proposes a new time for {meeting.title}"
    else:
        subject = f"{who} wrote about {meeting.title}"
    text = render_to_string("meetings/email/invitee_message.txt", context)
    html = render_to_string("meetings/email/invitee_message.html", context)
    # Answering goes to the invited address, not to whatever the message claimed to be from.
    headers = {"Reply-To": rsvp.email} if rsvp else {}
    return [
        outbox.OutgoingEmail(to_email=person.email, to_name=person.full_name, user_id=person.pk, subject=subject,
                             text=text, html=html, headers=headers)
        for person in recipients
    ]
