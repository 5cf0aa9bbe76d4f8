"""Outbox messages of the briefings app, composed from domain objects (no state changes)."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string

from notifications.services import OutgoingEmail

from .selectors import circulations as selectors


def circulation_messages(*, circulation, documents, recipients, by) -> list[OutgoingEmail]:
    """One message per recipient: the circulation's note and a link to each document (never the file)."""
    links = selectors.document_links(documents)
    sender = by.get_full_name() if by else settings.PORTAL_NAME
    sender_org = by.organization.name if by and by.organization_id else ""
    library_url = selectors.library_url()
    return [
        circulation_message(
            circulation=circulation, recipient=person, links=links, sender=sender, sender_org=sender_org,
            library_url=library_url,
        )
        for person in recipients
    ]


def circulation_message(*, circulation, recipient, links, sender, sender_org, library_url) -> OutgoingEmail:
    context = {
        "circulation": circulation, "links": links, "recipient": recipient,
        "sender": sender, "sender_org": sender_org, "portal_name": settings.PORTAL_NAME,
        "library_url": library_url,
    }
    return OutgoingEmail(
        to_email=recipient.email,
        to_name=recipient.full_name,
        user_id=recipient.pk,
        subject=f"[TIP working group] {circulation.subject}",
        text=render_to_string("briefings/email/circulation.txt", context),
        html=render_to_string("briefings/email/circulation.html", context),
        dedupe_key=f"circulation:{circulation.pk}:user:{recipient.pk}",
    )
