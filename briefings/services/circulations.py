"""Circulating documents to an audience: one outbox row per recipient, sent after commit."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction

from members.models import Organization, User
from notifications import services as outbox
from notifications.selectors import subject_ref

from .. import emails
from ..models import AccessLevel, Circulation, Document
from ..selectors import circulations as selectors


def circulation_check(*, documents: list[Document], audience: str, organizations: Iterable[Organization] = ()) -> None:
    """Raise ValidationError when these documents may not go to this audience."""
    if not documents:
        raise ValidationError({"documents": "Choose at least one document."})
    levels = {d.access_level for d in documents}
    if len(levels) > 1:
        raise ValidationError(
            {"documents": "Co-chairs-only documents cannot be circulated together with documents for all members. "
                          "Circulate them separately."}
        )
    restricted = AccessLevel.COCHAIRS in levels
    if restricted and audience != Circulation.Audience.COCHAIRS:
        raise ValidationError({"audience": "Co-chairs-only documents can only be circulated to the co-chairs."})
    if not restricted and audience == Circulation.Audience.COCHAIRS:
        raise ValidationError(
            {"audience": "Only co-chairs-only documents go to the co-chairs audience; "
                         "choose all members or organizations."}
        )
    if audience == Circulation.Audience.ORGANIZATIONS and not list(organizations):
        raise ValidationError({"organizations": "Choose at least one organization."})


@transaction.atomic
def circulation_create(
    *,
    by: User,
    documents: Iterable[Document],
    subject: str,
    message: str = "",
    audience: str = Circulation.Audience.MEMBERS,
    organizations: Iterable[Organization] = (),
) -> Circulation:
    """Record a circulation and write one outbox row per recipient, sent by Celery after commit."""
    documents = list(documents)
    organizations = list(organizations)
    circulation_check(documents=documents, audience=audience, organizations=organizations)
    if audience != Circulation.Audience.ORGANIZATIONS:
        organizations = []
    recipients = list(selectors.circulation_recipients(audience=audience, organizations=organizations))
    circulation = Circulation.objects.create(
        subject=subject.strip(), message=message.strip(), audience=audience, created_by=by,
        recipients_count=len(recipients),
    )
    circulation.documents.set(documents)
    circulation.organizations.set(organizations)
    mailing = outbox.mailing_create(
        kind=selectors.CIRCULATION_KIND, subject=circulation.subject, by=by, subject_ref=subject_ref(circulation),
    )
    circulation.mailing = mailing
    circulation.save(update_fields=["mailing"])
    messages = emails.circulation_messages(circulation=circulation, documents=documents, recipients=recipients, by=by)
    outbox.messages_queue(kind=selectors.CIRCULATION_KIND, emails=messages, mailing=mailing)
    return circulation
