"""Celery tasks of the outbox: thin wrappers that take ids and call services."""

from celery import shared_task
from django.conf import settings

from . import delivery, services


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


@shared_task(
    bind=True,
    acks_late=True,
    autoretry_for=services.RETRYABLE_ERRORS,
    retry_backoff=True,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=settings.OUTBOX_MAX_RETRIES,
)
def send_batch(self, message_ids: list[int]) -> dict:
    """Send the outbox rows ``message_ids`` that are still queued, as one batch over
    one SMTP connection; enqueued on commit by ``messages_enqueue``.

    Safe to run twice or concurrently: a batch sends only rows it claimed.
    """
    final = self.request.retries >= self.max_retries
    return delivery.batch_send(message_ids=message_ids, final=final)
