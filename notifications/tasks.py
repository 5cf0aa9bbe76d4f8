"""Celery tasks of the outbox: thin wrappers that take ids and call services."""

from celery import shared_task
from django.conf import settings

from . import services


@shared_task(
    bind=True,
    acks_late=True,
    autoretry_for=services.RETRYABLE_ERRORS,
    retry_backoff=True,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=settings.OUTBOX_MAX_RETRIES,
)
def send_message(self, message_id: int) -> bool:
    """Send outbox row ``message_id``; enqueued on commit by ``messages_queue``.

    Safe to run twice: a row already sent is left alone.
    """
    final = self.request.retries >= self.max_retries
    return services.message_deliver(message_id=message_id, final=final)


@shared_task
def outbox_sweep() -> int:
    """Beat task (every minute): enqueue rows that have waited too long."""
    return services.outbox_sweep()


@shared_task
def mail_in() -> dict:
    """Beat task (every minute): read the inbound mailbox; nothing without INBOUND_IMAP_URL.

    Runs do not overlap: a run still going when the next fires makes that one
    stop at once (the message keys would keep them apart anyway).
    """
    from .inbound import services as inbound

    return inbound.mail_in_run()
