"""Writing to the outbox: rows in the caller's transaction, delivery enqueued on commit."""

import pytest
from django.db import transaction

from notifications import services
from notifications.models import Message
from notifications.services import OutgoingEmail
from tests.notifications.factories import MailingFactory, MessageFactory


def _email(n=0, **kw):
    return OutgoingEmail(to_email=f"person{n}@example.org", subject="Hello", text="Body", **kw)


def test_rows_are_written_and_sent_on_commit(db, mailoutbox, django_capture_on_commit_callbacks):
    mailing = services.mailing_create(kind="test", subject="Hello")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        rows = services.messages_queue(kind="test", emails=[_email(i) for i in range(3)], mailing=mailing)
        assert all(r.status == "queued" for r in rows) and not mailoutbox
    assert len(callbacks) == 1  # one enqueue for the whole transaction, not one per row
    assert len(mailoutbox) == 3
    assert set(Message.objects.values_list("status", flat=True)) == {"sent"}


def test_nothing_is_enqueued_when_the_transaction_rolls_back(db, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError):
            with transaction.atomic():
                services.message_queue(kind="test", email=_email())
                raise RuntimeError("the action failed")
    assert not Message.objects.exists() and not mailoutbox


def test_dedupe_key_makes_a_second_queue_a_no_op(db):
    services.message_queue(kind="reminder", email=_email(dedupe_key="reminder:1:2"))
    assert services.message_queue(kind="reminder", email=_email(dedupe_key="reminder:1:2")) is None
    assert Message.objects.count() == 1


def test_failed_rows_of_a_mailing_are_retried(db, mailoutbox, django_capture_on_commit_callbacks):
    mailing = MailingFactory()
    failed = MessageFactory(mailing=mailing, status="failed", last_error="554 refused")
    other = MessageFactory(status="failed")  # another mailing's: left alone
    with django_capture_on_commit_callbacks(execute=True):
        assert services.messages_retry(mailing=mailing) == 1
    failed.refresh_from_db()
    other.refresh_from_db()
    assert failed.status == "sent" and other.status == "failed"
    assert [m.to for m in mailoutbox] == [[f"{failed.recipient_name} <{failed.recipient_email}>"]]


def test_broker_down_keeps_the_rows_queued_and_the_action_succeeds(db, monkeypatch, django_capture_on_commit_callbacks):
    from celery.app.task import Task

    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("broker down")

    monkeypatch.setattr(Task, "apply_async", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        row = services.message_queue(kind="test", email=_email())
    row.refresh_from_db()
    assert row.status == "queued"
