"""Writing to the outbox and delivering from it.

Callers (meetings, briefings, members) hand over rendered messages; this
module knows nothing of what they are about. Every function that writes runs
in a transaction, and enqueues its Celery tasks only once that transaction
has committed, so a worker never looks for a row that is not there yet.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from datetime import timedelta
from email.mime.text import MIMEText
from email.utils import formataddr
from smtplib import SMTPException, SMTPServerDisconnected
from typing import Iterable

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone

from .models import Mailing, Message

logger = logging.getLogger(__name__)

# Errors worth another try later: the mail server or the network is down.
RETRYABLE_ERRORS = (SMTPException, OSError)


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


def mailing_create(*, kind: str, subject: str, by=None, subject_ref: str = "") -> Mailing:
    return Mailing.objects.create(kind=kind, subject=subject[:255], created_by=by, subject_ref=subject_ref)


@transaction.atomic
def messages_queue(
    *, kind: str, emails: Iterable[OutgoingEmail], mailing: Mailing | None = None
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
            subject=email.subject[:255],
            body_text=email.text,
            body_html=email.html,
            attachments=[a.as_dict() for a in email.attachments],
            headers=dict(email.headers),
            dedupe_key=email.dedupe_key,
        )
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
        transaction.on_commit(lambda: messages_enqueue(message_ids=ids))
    return created


def message_queue(*, kind: str, email: OutgoingEmail, mailing: Mailing | None = None) -> Message | None:
    created = messages_queue(kind=kind, emails=[email], mailing=mailing)
    return created[0] if created else None


def messages_enqueue(*, message_ids: Iterable[int]) -> int:
    """Hand message ids to Celery in batches (``delivery``). A broker that is down
    loses nothing: the rows stay queued and the beat sweep enqueues them again later."""
    from .delivery import batch_size
    from .tasks import send_batch

    ids, count, size = list(message_ids), 0, batch_size()
    for start in range(0, len(ids), size):
        chunk = ids[start:start + size]
        try:
            send_batch.delay(chunk)
        except Exception:  # broker unreachable; the sweep will pick the rows up
            logger.warning("Could not enqueue %s message(s); the sweep will retry", len(ids) - count, exc_info=True)
            break
        count += len(chunk)
    return count


def _build_email(message: Message) -> EmailMultiAlternatives:
    to = formataddr((message.recipient_name, message.recipient_email)) if message.recipient_name else message.recipient_email
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers=message.headers or None,
    )
    if message.body_html:
        email.attach_alternative(message.body_html, "text/html")
    for attachment in message.attachments:
        main_type, *params = [p.strip() for p in attachment["content_type"].split(";")]
        if main_type.startswith("text/"):
            part = MIMEText(attachment["content"], main_type.split("/", 1)[1], "utf-8")
            for param in params:
                name, _, value = param.partition("=")
                part.set_param(name.strip(), value.strip().strip('"'))
            part.add_header("Content-Disposition", "attachment", filename=attachment["filename"])
            email.attach(part)
        else:
            email.attach(attachment["filename"], attachment["content"], main_type)
    return email


# Each thread (a worker process, a web thread in eager mode) keeps its connection
# to the mail server open between messages: a mailing of hundreds of rows would
# otherwise pay a new SMTP handshake per row.
_mail = threading.local()


def _mail_connection_close() -> None:
    connection = getattr(_mail, "connection", None)
    _mail.connection = _mail.signature = None
    if connection is not None:
        try:
            connection.close()
        except Exception:  # the connection is being dropped anyway
            pass


def _mail_connection():
    """This thread's open connection; a new one when the mail settings changed."""
    signature = (settings.EMAIL_BACKEND, settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_HOST_USER)
    if getattr(_mail, "connection", None) is None or _mail.signature != signature:
        _mail_connection_close()
        connection = get_connection()
        connection.open()  # opened here, so the backend leaves it open after sending
        _mail.connection, _mail.signature = connection, signature
        return connection, True
    return _mail.connection, False


def _send(email: EmailMultiAlternatives) -> None:
    email.connection, fresh = _mail_connection()
    try:
        email.send()
    except SMTPServerDisconnected:
        _mail_connection_close()
        if fresh:
            raise
        # The server dropped a connection that sat idle: one try on a new one.
        email.connection, _ = _mail_connection()
        try:
            email.send()
        except Exception:
            _mail_connection_close()
            raise
    except Exception:
        _mail_connection_close()
        raise


def message_deliver(*, message_id: int, final: bool = True) -> bool:
    """Send one outbox row unless it is already sent. Returns True if it was sent now.

    The row is locked while it is sent, so a redelivered task waits and then
    finds it sent. On a retryable error the row stays queued (or becomes
    failed when ``final``) and the error is raised again for Celery to retry.
    """
    error = None
    with transaction.atomic():
        message = Message.objects.select_for_update().filter(pk=message_id).first()
        if message is None or message.status == Message.Status.SENT:
            return False
        if message.claimed_until and message.claimed_until > timezone.now():
            return False  # a delivery batch holds it (``delivery``)
        if message.render_with:
            from .delivery import batch_deliver

            # Composed by its renderer: the batch path does that and records the result.
            Message.objects.filter(pk=message_id).update(claimed_until=timezone.now() + timedelta(minutes=5))
            return batch_deliver(message_ids=[message_id], final=final)["sent"] == 1
        message.attempts += 1
        try:
            _send(_build_email(message))
        except RETRYABLE_ERRORS as exc:
            error = exc
            message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            message.status = Message.Status.FAILED if final else Message.Status.QUEUED
        except Exception as exc:  # a message that can never be built or sent
            logger.exception("Message %s cannot be sent", message_id)
            message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            message.status = Message.Status.FAILED
        else:
            message.status = Message.Status.SENT
            message.sent_at = timezone.now()
            message.last_error = ""
        message.save(update_fields=["attempts", "status", "last_error", "sent_at", "updated_at"])
    if error is not None and not final:
        raise error
    return message.status == Message.Status.SENT


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
        transaction.on_commit(lambda: messages_enqueue(message_ids=ids))
    return len(ids)


def outbox_sweep(*, older_than: timedelta | None = None) -> int:
    """Enqueue again the rows that have waited too long (broker or worker was down)."""
    if older_than is None:
        older_than = timedelta(seconds=settings.OUTBOX_SWEEP_AFTER_SECONDS)
    cutoff = timezone.now() - older_than
    with transaction.atomic():
        ids = list(
            Message.objects.filter(status=Message.Status.QUEUED, updated_at__lt=cutoff).values_list("pk", flat=True)[:5000]
        )
        # Touch them, so that the next sweep does not enqueue them again at once.
        Message.objects.filter(pk__in=ids).update(updated_at=timezone.now())
    return messages_enqueue(message_ids=ids)


def mailing_progress(mailing: Mailing) -> dict:
    counts = mailing.messages.aggregate(
        total=Count("pk"),
        sent=Count("pk", filter=Q(status=Message.Status.SENT)),
        queued=Count("pk", filter=Q(status=Message.Status.QUEUED)),
        failed=Count("pk", filter=Q(status=Message.Status.FAILED)),
    )
    total = counts["total"] or 0
    counts["percent"] = round(100 * counts["sent"] / total) if total else 100
    counts["done"] = counts["queued"] == 0
    return counts
