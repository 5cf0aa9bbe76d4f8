"""Delivering outbox rows: building each email and sending it over a kept
SMTP connection. The tasks call this module; nothing here enqueues, so the
tasks and the services that enqueue them import each other in one direction.
"""

from __future__ import annotations

import logging
import threading
from datetime import timedelta
from email.mime.text import MIMEText
from email.utils import formataddr
from smtplib import SMTPException, SMTPServerDisconnected

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.utils import timezone

from . import sealing
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
