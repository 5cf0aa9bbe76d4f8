"""Handing composed meeting emails to the outbox, as one mailing about their subject."""

from __future__ import annotations

from notifications import services as outbox
from notifications.models import Mailing
from notifications.selectors import subject_ref

from ..emails import Composed


def mailing_send(about, composed: Composed, *, by=None) -> Mailing:
    """One mailing about ``about`` (a meeting, a poll) with ``composed``'s outbox rows, sent after commit."""
    mailing = outbox.mailing_create(kind=composed.kind, subject=composed.subject, by=by, subject_ref=subject_ref(about))
    outbox.messages_queue(kind=composed.kind, mailing=mailing, emails=composed.emails)
    return mailing
