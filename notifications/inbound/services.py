"""Reading the inbound mailbox: each message recorded once, handed to the
handlers that higher apps register, then moved out of the inbox.

The row of ``InboundMessage`` is the truth, as the outbox row is for sending:
its unique key makes a second run, or a second worker reading the same
message at the same moment, find the message handled and do nothing but move
it. A handler runs inside a savepoint: when it fails, nothing it wrote stays,
the row says "failed" and the message waits in the inbox for the next run.
"""

from __future__ import annotations

import logging
import re
from collections import Counter

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from ..models import Message
from .handlers import dispatch
from .imap import connect, folder_ensure, mailbox_from_url, move
from .models import InboundMessage
from .parsing import Refused, clean_line, header_message_id, mail_parse, message_key

logger = logging.getLogger("notifications.inbound")

# A message whose handler keeps breaking is tried this often, then set aside
# (refused, moved) so that it does not block the inbox for ever.
MAX_ATTEMPTS = 5


def _refused(row: InboundMessage, reason: str) -> None:
    row.status, row.outcome = InboundMessage.Status.REFUSED, clean_line(reason, 500)
    logger.warning("Inbound message %s refused: %s", row.key, row.outcome)


def message_process(*, raw: bytes) -> InboundMessage:
    """Record and handle one raw message, once. Returns its row; the message may
    leave the inbox when ``row.is_done``."""
    try:
        mail, refusal = mail_parse(raw), None
    except Refused as exc:
        mail, refusal = None, exc.reason
    key = mail.key if mail else message_key(header_message_id(re.split(rb"\r?\n\r?\n", raw, maxsplit=1)[0]), raw)
    with transaction.atomic():
        row, created = InboundMessage.objects.get_or_create(
            key=key,
            defaults={
                "status": InboundMessage.Status.FAILED,
                "size": len(raw),
                "sender": mail.sender if mail else "",
                "subject": mail.subject if mail else "",
                "recipients": ", ".join(mail.recipients)[:2000] if mail else "",
            },
        )
        # Another worker holding the same message waits here until it is done.
        row = InboundMessage.objects.select_for_update().get(pk=row.pk)
        if row.is_done and not created:
            return row
        row.attempts += 1
        row.processed_at = timezone.now()
        if refusal:
            _refused(row, refusal)
        else:
            try:
                with transaction.atomic():
                    outcome = dispatch(mail)
            except Refused as exc:
                _refused(row, exc.reason)
            except Exception as exc:
                logger.exception("Inbound message %s: a handler failed (attempt %s)", key, row.attempts)
                error = f"{type(exc).__name__}: {exc}"
                if row.attempts >= MAX_ATTEMPTS:
                    _refused(row, f"set aside after {row.attempts} failed attempts; last: {error}")
                else:
                    row.status, row.outcome = InboundMessage.Status.FAILED, clean_line(error, 500)
            else:
                if outcome:
                    row.status, row.outcome = InboundMessage.Status.HANDLED, outcome
                else:
                    row.status, row.outcome = InboundMessage.Status.IGNORED, "no handler took it"
        row.save()
    return row


def oversize_record(*, header: bytes, size: int) -> InboundMessage:
    """Refuse a message too large to download, from its header alone."""
    key = message_key(header_message_id(header), header + str(size).encode())
    with transaction.atomic():
        row, created = InboundMessage.objects.get_or_create(
            key=key, defaults={"status": InboundMessage.Status.REFUSED, "size": size, "attempts": 1,
                               "processed_at": timezone.now()},
        )
        if created:
            _refused(row, f"too large: {size} bytes, more than INBOUND_MAX_BYTES ({settings.INBOUND_MAX_BYTES})")
            row.save(update_fields=["status", "outcome"])
    return row


def mailbox_read(*, limit: int | None = None) -> Counter:
    """One run over the inbound mailbox; counts of the rows' statuses.

    Nothing happens without ``INBOUND_IMAP_URL``. A message that cannot be read
    or handled stays in the inbox; the others go on.
    """
    counts: Counter = Counter()
    if not settings.INBOUND_IMAP_URL:
        return counts
    mailbox = mailbox_from_url(settings.INBOUND_IMAP_URL)
    processed = settings.INBOUND_IMAP_PROCESSED_FOLDER
    client = connect(mailbox)
    try:
        folder_ensure(client, processed)
        client.select_folder(mailbox.folder)
        uids = sorted(client.search(["NOT", "DELETED"]))[: limit or settings.INBOUND_BATCH]
        sizes = client.fetch(uids, ["RFC822.SIZE"]) if uids else {}
        for uid in uids:
            size = sizes.get(uid, {}).get(b"RFC822.SIZE", 0)
            try:
                row = _read_one(client, uid, size)
            except (OSError, client.Error, client.AbortError):
                raise  # the connection is gone: the rest waits for the next run
            except Exception:
                logger.exception("Inbound message uid %s could not be handled; it stays in the inbox", uid)
                counts["error"] += 1
                continue
            if row is None:
                continue
            counts[row.status] += 1
            if row.is_done:
                move(client, uid, processed)
    finally:
        try:
            client.logout()
        except Exception:  # closing a broken connection
            pass
    return counts


RUN_LOCK = "notifications.inbound.run"


def mail_in_run(*, raise_errors: bool = False) -> dict:
    """A run of ``mailbox_read`` unless another is going on; errors reaching the
    mailbox are logged (the next run tries again), or raised for a manual run."""
    if not settings.INBOUND_IMAP_URL:
        return {}
    if not cache.add(RUN_LOCK, timezone.now().isoformat(), timeout=settings.INBOUND_IMAP_TIMEOUT * 10):
        logger.info("Inbound mailbox: a run is already going on")
        return {"skipped": 1}
    try:
        return dict(mailbox_read())
    except Exception:
        if raise_errors:
            raise
        logger.exception("Inbound mailbox could not be read; the next run tries again")
        return {"unreachable": 1}
    finally:
        cache.delete(RUN_LOCK)


def _read_one(client, uid: int, size: int) -> InboundMessage | None:
    if size > settings.INBOUND_MAX_BYTES:
        data = client.fetch([uid], ["BODY.PEEK[HEADER]"]).get(uid, {})
        return oversize_record(header=data.get(b"BODY[HEADER]", b"")[:65536], size=size)
    data = client.fetch([uid], ["BODY.PEEK[]"]).get(uid, {})
    raw = data.get(b"BODY[]")
    if raw is None:  # gone meanwhile (another worker moved it)
        return None
    return message_process(raw=raw)


@transaction.atomic
def message_bounced(*, message: Message, reason: str) -> Message:
    """An outbox message that a delivery report says did not arrive."""
    message.status = Message.Status.FAILED
    message.last_error = clean_line(f"Bounced: {reason}", 2000)
    message.save(update_fields=["status", "last_error", "updated_at"])
    return message
