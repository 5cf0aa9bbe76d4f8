"""Helpers for the invitation tests: invite someone and read the link from the outbox."""

import re

from members import services
from members.models import Organization
from notifications.models import Message
from tests.members.factories import OrganizationFactory

LINK = re.compile(r"https?://[^\s]+/members/join/([A-Za-z0-9_\-]+)/")


def delivered_body(row: Message) -> str:
    """The text the recipient of an outbox row reads. The row keeps its links sealed
    until it is sent and forgets them then: a queued row's text is revealed here, a
    sent row's is the email the test mail backend received."""
    from django.core import mail

    from notifications import sealing

    if row.secrets_sealed:
        return sealing.reveal(row.body_text, sealing.unseal(row.secrets_sealed))
    received = [m for m in getattr(mail, "outbox", []) if row.recipient_email in m.to[0] and m.subject == row.subject]
    return received[-1].body if received else row.body_text


def token_in(text: str) -> str:
    match = LINK.search(text)
    assert match, f"no invitation link in: {text[:300]}"
    return match.group(1)


def last_token_for(email: str) -> str:
    row = Message.objects.filter(recipient_email=email, kind__startswith="invitation").exclude(
        kind__in=["invitation-accepted", "invitation-declined", "invitation-new-link"]).latest("id")
    return token_in(delivered_body(row))


def invite(*, by, email="contact@india.example", name="Anjali Sharma", organization=None, message="Welcome",
           kind="organization"):
    organization = organization or OrganizationFactory(
        name="High Commission of India", country="India", status=Organization.Status.INVITED, joined_on=None)
    mailing, invitations, skipped = services.invitations_send(
        organization=organization, contacts=[services.Contact(email=email, full_name=name)],
        message=message, by=by, kind=kind,
    )
    return invitations[0], last_token_for(email)
