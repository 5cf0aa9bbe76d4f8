"""Writing to the outbox (delivery is ``delivery.py``, run by ``tasks.py``).

Callers (meetings, briefings, members) hand over rendered messages; this
module knows nothing of what they are about. Every function that writes runs
in a transaction, and enqueues its Celery tasks with ``delay_on_commit`` only,
so a worker never looks for a row that is not there yet.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone

from . import sealing
from .models import Mailing, Message
from .selectors import mailing_progress  # noqa: F401  (callers in meetings and briefings read it here)
from .tasks import messages_send


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: str
    # May carry parameters: "text/calendar; method=REQUEST".
    content_type: str = "application/octet-stream"

    def as_dict(self) -> dict:
        return {"filename": self.filename, "content": self.content, "content_type": self.content_type}


@dataclass(frozen=True)
class OutgoingEmail:
    to_email: str
    subject: str
    text: str
    html: str = ""
    to_name: str = ""
    user_id: int | None = None
    attachments: tuple[Attachment, ...] = ()
    headers: dict = field(default_factory=dict)
    # Set for messages that must never go out twice (one reminder per person).
    dedupe_key: str | None = None
    # Live links or keys inside the bodies (an invitation token, a signed reply
    # link): stored sealed, put back only when sending, forgotten once sent.
    secrets: tuple[str, ...] = ()


@dataclass(frozen=True)
class DeferredEmail:
    """An email composed by the worker when it sends it: the renderer registered
    as ``render_with`` (``notifications.renderers``) gets ``render_args``. The
    subject is stored at once, for the mailing's pages."""

    to_email: str
    subject: str
    render_with: str
    render_args: dict
    to_name: str = ""
    user_id: int | None = None
    dedupe_key: str | None = None


def mailing_create(*, kind: str, subject: str, by=None, subject_ref: str = "") -> Mailing:
    return Mailing.objects.create(kind=kind, subject=subject[:255], created_by=by, subject_ref=subject_ref)


@transaction.atomic
def messages_queue(
    *, kind: str, emails: Iterable[OutgoingEmail | DeferredEmail], mailing: Mailing | None = None
) -> list[Message]:
    """Write one outbox row per email and enqueue their delivery on commit.

    Emails with a ``dedupe_key`` already used are skipped silently: that is
    how "exactly once" is kept when the same action runs twice.
    """
    plain, keyed = [], []
    for email in emails:
        row = Message(
            mailing=mailing,
            kind=kind,
            recipient_email=email.to_email,
            recipient_name=email.to_name[:200],
            recipient_user_id=email.user_id,
            dedupe_key=email.dedupe_key,
        )
        if isinstance(email, DeferredEmail):
            # Nothing composed yet, so no secret to keep: the worker composes the
            # message when it sends it and stores it with its secrets hidden.
            row.subject = email.subject[:255]
            row.render_with, row.render_args = email.render_with, dict(email.render_args)
        else:
            secrets = [secret for secret in dict.fromkeys(email.secrets) if secret]
            row.subject = sealing.hide(email.subject, secrets)[:255]
            row.body_text = sealing.hide(email.text, secrets)
            row.body_html = sealing.hide(email.html, secrets)
            row.attachments = [{**a.as_dict(), "content": sealing.hide(a.content, secrets)} for a in email.attachments]
            row.headers = {name: sealing.hide(str(value), secrets) for name, value in email.headers.items()}
            row.secrets_sealed = sealing.seal(secrets)
        (keyed if email.dedupe_key else plain).append(row)

    created = Message.objects.bulk_create(plain) if plain else []
    if keyed:
        taken = set(
            Message.objects.filter(dedupe_key__in=[r.dedupe_key for r in keyed]).values_list(
                "dedupe_key", flat=True
            )
        )
        for row in keyed:
            if row.dedupe_key in taken:
                continue
            try:
                with transaction.atomic():
                    row.save()
            except IntegrityError:  # a concurrent run took the key first
                continue
            taken.add(row.dedupe_key)
            created.append(row)

    ids = [row.pk for row in created]
    if ids:
        messages_send.delay_on_commit(ids)
    return created


def message_queue(*, kind: str, email: OutgoingEmail, mailing: Mailing | None = None) -> Message | None:
    created = messages_queue(kind=kind, emails=[email], mailing=mailing)
    return created[0] if created else None


@transaction.atomic
def messages_retry(*, mailing: Mailing | None = None, message_ids: Iterable[int] | None = None) -> int:
    """Put failed rows back in the queue (of one mailing, or the given ids)."""
    rows = Message.objects.filter(status=Message.Status.FAILED)
    if mailing is not None:
        rows = rows.filter(mailing=mailing)
    if message_ids is not None:
        rows = rows.filter(pk__in=list(message_ids))
    ids = list(rows.values_list("pk", flat=True))
    Message.objects.filter(pk__in=ids).update(status=Message.Status.QUEUED, updated_at=timezone.now())
    if ids:
        messages_send.delay_on_commit(ids)
    return len(ids)
