"""Delivery in batches: one task sends many rows over one SMTP connection.

A task claims up to ``OUTBOX_BATCH_SIZE`` queued rows with ``SELECT … FOR
UPDATE SKIP LOCKED`` (two workers never claim the same row) and marks them
claimed for ``OUTBOX_CLAIM_SECONDS``; the claim is committed at once, so no
transaction stays open while mail goes out. It then composes each row that is
still to be composed (``notifications.renderers``), sends it over this
process's SMTP connection and records that row's result in its own statement
before going on to the next. A worker that dies halfway has recorded every
message it sent; the rows it had not sent yet stay queued and are claimed again
by the next task or the beat sweep once their claim has lapsed.

Exactly once holds as with single messages: a row is sent only while it is
queued and claimed by the one batch that sends it, and it is marked sent the
moment the mail server has accepted it (the one window left is the server
accepting a message and the worker dying before that statement commits,
which no outbox can close).
"""

from __future__ import annotations

import logging
from contextlib import contextmanager
from datetime import timedelta
from typing import Iterable

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from . import renderers
from .models import Message
from .services import RETRYABLE_ERRORS, _build_email, _send

logger = logging.getLogger(__name__)


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


def _compose(message: Message) -> dict:
    """Fill a row written before its message was composed; the fields to store with its result."""
    email = renderers.render(message.render_with, message.render_args)
    fields = {
        "recipient_email": email.to_email, "recipient_name": email.to_name[:200], "subject": email.subject[:255],
        "body_text": email.text, "body_html": email.html, "attachments": [a.as_dict() for a in email.attachments],
        "headers": dict(email.headers),
    }
    for name, value in fields.items():
        setattr(message, name, value)
    return fields


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
    rows = Message.objects.filter(pk__in=message_ids, status=Message.Status.QUEUED).order_by("pk")
    for message in rows.iterator(chunk_size=100):
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
                composed = _compose(message)
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
            _record(message.pk, status=Message.Status.SENT, sent_at=now, last_error="", **composed)
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
