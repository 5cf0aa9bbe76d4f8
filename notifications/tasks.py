"""Celery tasks of the outbox: thin wrappers that take ids and call the delivery code.

Services enqueue with ``messages_send.delay_on_commit(ids)``: one publish per
transaction, after it commits, so a worker never looks for a row that is not
there yet.
"""

import logging

from celery import shared_task
from celery.contrib.django.task import DjangoTask
from django.conf import settings
from kombu.exceptions import OperationalError

from . import delivery

logger = logging.getLogger(__name__)


class OutboxTask(DjangoTask):
    """A task whose enqueue never fails the caller: when the broker is down the
    rows stay queued and the beat sweep (``outbox_sweep``) enqueues them later.
    Without this, an action already committed would answer an error page."""

    def apply_async(self, args=None, kwargs=None, **options):
        try:
            return super().apply_async(args, kwargs, **options)
        except (OperationalError, OSError):
            logger.warning("Could not enqueue %s%s; the outbox sweep will retry", self.name, args, exc_info=True)
            return None


@shared_task(
    base=OutboxTask,
    bind=True,
    acks_late=True,
    autoretry_for=delivery.RETRYABLE_ERRORS,
    retry_backoff=True,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=settings.OUTBOX_MAX_RETRIES,
)
def send_message(self, message_id: int) -> bool:
    """Send outbox row ``message_id``; enqueued by ``messages_send``.

    Safe to run twice: a row already sent is left alone.
    """
    final = self.request.retries >= self.max_retries
    return delivery.message_deliver(message_id=message_id, final=final)


@shared_task(
    base=OutboxTask,
    bind=True,
    acks_late=True,
    autoretry_for=delivery.RETRYABLE_ERRORS,
    retry_backoff=True,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=settings.OUTBOX_MAX_RETRIES,
)
def send_batch(self, message_ids: list[int]) -> dict:
    """Send the rows ``message_ids`` still queued, as one batch over one SMTP
    connection (``delivery.batch_send``); enqueued by ``messages_send``.

    Safe to run twice or side by side: a batch sends only the rows it claimed.
    """
    final = self.request.retries >= self.max_retries
    return delivery.batch_send(message_ids=message_ids, final=final)


@shared_task(base=OutboxTask)
def messages_send(message_ids: list[int]) -> int:
    """One batch task per ``OUTBOX_BATCH_SIZE`` messages of ``message_ids`` (rows
    written by one transaction), so that the worker processes share a mailing.

    Enqueued on commit by ``services.messages_queue`` and ``messages_retry``, and
    by the sweep. Returns how many were enqueued; it stops at the first refusal
    of the broker, since the sweep takes the rest.
    """
    count, size = 0, delivery.batch_size()
    for start in range(0, len(message_ids), size):
        chunk = list(message_ids[start:start + size])
        if send_batch.delay(chunk) is None:
            break
        count += len(chunk)
    return count


@shared_task(base=OutboxTask)
def outbox_sweep() -> int:
    """Beat task (every minute): enqueue rows that have waited too long."""
    ids = delivery.messages_stale_claim()
    return messages_send(ids) if ids else 0


@shared_task
def mail_in() -> dict:
    """Beat task (every minute): read the inbound mailbox; nothing without INBOUND_IMAP_URL.

    Runs do not overlap: a run still going when the next fires makes that one
    stop at once (the message keys would keep them apart anyway).
    """
    from .inbound import services as inbound

    return inbound.mail_in_run()
