"""The outbox through a real Celery worker consuming from Redis, to a real SMTP server."""

import pytest
from django.db import transaction

from notifications import services
from notifications.models import Message
from notifications.services import OutgoingEmail
from tests.fixtures.services import wait_until

pytestmark = pytest.mark.worker


def test_task_enqueued_on_commit_runs_on_the_worker(celery_worker, smtp_sink):
    with transaction.atomic():
        row = services.message_queue(
            kind="test",
            email=OutgoingEmail(to_email="member@germany.example", subject="First meeting", text="9 November"),
        )
        assert Message.objects.get(pk=row.pk).status == "queued"
    messages = smtp_sink.wait_for(1)
    assert messages[0]["Subject"] == "First meeting"
    assert "9 November" in messages[0].get_content()
    wait_until(lambda: Message.objects.get(pk=row.pk).status == "sent")


def test_refusing_server_leaves_failed_rows_that_a_retry_sends(celery_worker, smtp_sink):
    smtp_sink.refuse = True
    mailing = services.mailing_create(kind="test", subject="Refused")
    with transaction.atomic():
        services.messages_queue(kind="test", mailing=mailing, emails=[
            OutgoingEmail(to_email=f"p{i}@example.org", subject="Refused", text="x") for i in range(2)
        ])
    wait_until(lambda: services.mailing_progress(mailing)["failed"] == 2, timeout=60)
    row = Message.objects.filter(mailing=mailing).first()
    assert row.attempts == 3 and "554" in row.last_error
    smtp_sink.refuse = False
    services.messages_retry(mailing=mailing)
    smtp_sink.wait_for(2)
    wait_until(lambda: services.mailing_progress(mailing)["sent"] == 2)
    assert len(smtp_sink.messages) == 2
