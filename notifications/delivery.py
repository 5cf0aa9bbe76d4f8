"""Delivering outbox rows: building each email and sending it over a kept
SMTP connection. The tasks call this module; nothing here enqueues, so the
tasks and the services that enqueue them import each other in one direction.

Rows go out in batches (``batch_send``): a task claims up to
``OUTBOX_BATCH_SIZE`` queued rows with ``SELECT … FOR UPDATE SKIP LOCKED`` (two
workers never claim the same row) and marks them claimed for
``OUTBOX_CLAIM_SECONDS``; the claim is committed at once, so no transaction
stays open while mail goes out. It then composes each row that is still to be
composed (``notifications.renderers``), sends it over this process's SMTP
connection and records that row's result in its own statement before going on
to the next. A worker that dies halfway has recorded every message it sent; the
rows it had not sent yet stay queued and are claimed again by the next task or
the beat sweep once their claim has lapsed.

Exactly once holds as with single rows: a row is sent only while it is queued
and claimed by the one batch that sends it, and it is marked sent the moment the
mail server has accepted it (the one window left is the server accepting a
message and the worker dying before that statement commits, which no outbox
can close).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable
from contextlib import contextmanager
from datetime import timedelta
from email.mime.text import MIMEText
from email.utils import formataddr
from smtplib import SMTPException, SMTPServerDisconnected

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from . import renderers, sealing
from .models import Message

logger = logging.getLogger(__name__)

# Errors worth another try later: the mail server or the network is down.
RETRYABLE_ERRORS = (SMTPException, OSError)


def _build_email(message: Message) -> EmailMultiAlternatives:
    to = message.recipient_email
    if message.recipient_name:
        to = formataddr((message.recipient_name, message.recipient_email))
    # The links the row keeps sealed go back in only here, in the email handed to the server.
    secrets = sealing.unseal(message.secrets_sealed)

    def reveal(text: str) -> str:
        return sealing.reveal(text, secrets) if secrets else text

    email = EmailMultiAlternatives(
        subject=reveal(message.subject),
        body=reveal(message.body_text),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers={name: reveal(value) for name, value in message.headers.items()} or None,
    )
    if message.body_html:
        email.attach_alternative(reveal(message.body_html), "text/html")
    for attachment in message.attachments:
        attachment = {**attachment, "content": reveal(attachment["content"])}
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
            return False  # a batch holds it (batch_claim)
        if message.render_with:
            # Composed by its renderer: the batch path does that and records the result.
            Message.objects.filter(pk=message_id).update(claimed_until=timezone.now() + _claim_for())
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
            # Sent: the live links it carried are no longer kept anywhere.
            message.secrets_sealed = ""
        message.save(update_fields=["attempts", "status", "last_error", "sent_at", "updated_at", "secrets_sealed"])
    if error is not None and not final:
        raise error
    return message.status == Message.Status.SENT


def messages_stale_claim(*, older_than: timedelta | None = None) -> list[int]:
    """The ids of rows that have waited too long (broker or worker was down),
    touched so that the next sweep does not take them again at once."""
    if older_than is None:
        older_than = timedelta(seconds=settings.OUTBOX_SWEEP_AFTER_SECONDS)
    cutoff = timezone.now() - older_than
    with transaction.atomic():
        ids = list(
            Message.objects.filter(status=Message.Status.QUEUED, updated_at__lt=cutoff)
            .values_list("pk", flat=True)[:5000]
        )
        Message.objects.filter(pk__in=ids).update(updated_at=timezone.now())
    return ids


# --- Batches ------------------------------------------------------------------


def batch_size() -> int:
    return settings.OUTBOX_BATCH_SIZE


def _claim_for() -> timedelta:
    return timedelta(seconds=settings.OUTBOX_CLAIM_SECONDS)


def batch_claim(*, message_ids: Iterable[int] | None = None, limit: int | None = None) -> list[int]:
    """Claim up to ``limit`` queued, unclaimed rows (among ``message_ids`` if given); their ids in order."""
    now = timezone.now()
    with transaction.atomic():
        rows = (
            Message.objects.select_for_update(skip_locked=True)
            .filter(status=Message.Status.QUEUED)
            .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lte=now))
        )
        if message_ids is not None:
            rows = rows.filter(pk__in=list(message_ids))
        ids = list(rows.order_by("pk").values_list("pk", flat=True)[: limit or batch_size()])
        if ids:
            Message.objects.filter(pk__in=ids).update(claimed_until=now + _claim_for(), updated_at=now)
    return ids


def _compose_batch(messages: list[Message]) -> dict[int, object]:
    """The composed email (or None: nothing to send, or an exception: cannot be composed)
    of each row of the batch that names a renderer, composed renderer by renderer."""
    composed: dict[int, object] = {}
    by_renderer: dict[str, list[Message]] = {}
    for message in messages:
        if message.render_with:
            by_renderer.setdefault(message.render_with, []).append(message)
    for name, rows in by_renderer.items():
        try:
            emails = renderers.render_many(name, [row.render_args for row in rows])
        except Exception as exc:  # noqa: BLE001 - recorded on each row, as a single row's would be
            logger.exception("Renderer %s failed for a batch", name)
            emails = [exc] * len(rows)
        for row, email in zip(rows, emails, strict=True):
            composed[row.pk] = email
    return composed


def _compose(message: Message, email) -> dict:
    """Fill a row written before its message was composed; the fields to store with its result."""
    if isinstance(email, Exception):
        raise email
    if email is None:
        raise renderers.NothingToSend(message.render_with)
    # Sent as composed (the live links in it); stored with its secrets hidden,
    # as every sent row is (notifications.sealing).
    fields = {
        "recipient_email": email.to_email, "recipient_name": email.to_name[:200], "subject": email.subject[:255],
        "body_text": email.text, "body_html": email.html, "attachments": [a.as_dict() for a in email.attachments],
        "headers": dict(email.headers),
    }
    for name, value in fields.items():
        setattr(message, name, value)
    message.secrets_sealed = ""
    secrets = [secret for secret in dict.fromkeys(email.secrets) if secret]
    return {
        **fields,
        "subject": sealing.hide(email.subject, secrets)[:255],
        "body_text": sealing.hide(email.text, secrets),
        "body_html": sealing.hide(email.html, secrets),
        "attachments": [{**a.as_dict(), "content": sealing.hide(a.content, secrets)} for a in email.attachments],
        "headers": {name: sealing.hide(str(value), secrets) for name, value in email.headers.items()},
    }


def _record(message_id: int, **fields) -> None:
    # Only a row still queued is recorded: a row sent meanwhile (it cannot be,
    # while claimed) would keep its first result.
    Message.objects.filter(pk=message_id, status=Message.Status.QUEUED).update(
        attempts=F("attempts") + 1, claimed_until=None, updated_at=timezone.now(), **fields
    )


def batch_deliver(*, message_ids: list[int], final: bool = True) -> dict:
    """Send the claimed rows ``message_ids``, one SMTP connection for all, recording each as it goes.

    A retryable error (mail server down or refusing) leaves that row queued and
    unclaimed, or failed when ``final``; the batch goes on with the next rows
    and raises the error at the end, so that Celery retries the rows left.
    """
    with _commits_without_waiting_for_the_disk():
        return _deliver(message_ids, final)


@contextmanager
def _commits_without_waiting_for_the_disk():
    """Each row's result is its own commit; waiting for the disk on each would cost
    more than sending the message. A worker that dies loses none of them (they are
    in PostgreSQL's memory and log buffer); only a crash of the database server
    itself within the last fraction of a second could forget that a row was sent,
    and it would be sent again: the same window as the server accepting a message
    just before the worker dies."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO off")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET synchronous_commit")


def _deliver(message_ids: list[int], final: bool) -> dict:
    counts = {"sent": 0, "queued": 0, "failed": 0}
    retry_error = None
    renew_at = timezone.now() + _claim_for() / 2
    remaining = list(message_ids)
    rows = list(Message.objects.filter(pk__in=message_ids, status=Message.Status.QUEUED).order_by("pk"))
    to_compose = _compose_batch(rows)
    for message in rows:
        remaining.remove(message.pk)
        now = timezone.now()
        if now > renew_at:  # a slow mail server: keep the rest of the batch ours
            Message.objects.filter(pk__in=remaining, status=Message.Status.QUEUED).update(
                claimed_until=now + _claim_for()
            )
            renew_at = now + _claim_for() / 2
        composed = {}
        try:
            if message.render_with:
                composed = _compose(message, to_compose.get(message.pk))
            _send(_build_email(message))
        except RETRYABLE_ERRORS as exc:
            retry_error = exc
            status = Message.Status.FAILED if final else Message.Status.QUEUED
            _record(message.pk, status=status, last_error=f"{type(exc).__name__}: {exc}"[:2000])
            counts[status] += 1
        except renderers.NothingToSend:
            _record(message.pk, status=Message.Status.FAILED, last_error="Nothing to send any more")
            counts["failed"] += 1
        except Exception as exc:  # a message that can never be composed or sent
            logger.exception("Message %s cannot be sent", message.pk)
            _record(message.pk, status=Message.Status.FAILED, last_error=f"{type(exc).__name__}: {exc}"[:2000])
            counts["failed"] += 1
        else:
            # Sent: the live links it carried are no longer kept anywhere.
            _record(message.pk, status=Message.Status.SENT, sent_at=now, last_error="", secrets_sealed="", **composed)
            counts["sent"] += 1
    if retry_error is not None and not final:
        raise retry_error
    return counts


def batch_send(*, message_ids: Iterable[int] | None = None, final: bool = True) -> dict:
    """Claim a batch (among ``message_ids`` if given) and deliver it."""
    claimed = batch_claim(message_ids=message_ids)
    if not claimed:
        return {"sent": 0, "queued": 0, "failed": 0}
    return batch_deliver(message_ids=claimed, final=final)
