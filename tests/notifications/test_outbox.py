from datetime import timedelta
from smtplib import SMTPServerDisconnected

import pytest
from django.utils import timezone

from notifications import services
from notifications.models import Message
from notifications.services import Attachment, OutgoingEmail


def _email(n=0, **kw):
    return OutgoingEmail(to_email=f"person{n}@example.org", subject="Hello", text="Body", **kw)


def test_rows_are_written_and_sent_on_commit(db, mailoutbox, django_capture_on_commit_callbacks):
    mailing = services.mailing_create(kind="test", subject="Hello")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        rows = services.messages_queue(kind="test", emails=[_email(i) for i in range(3)], mailing=mailing)
        assert all(r.status == "queued" for r in rows) and not mailoutbox
    assert len(callbacks) == 1
    assert len(mailoutbox) == 3
    assert set(Message.objects.values_list("status", flat=True)) == {"sent"}
    assert services.mailing_progress(mailing) == {"total": 3, "sent": 3, "queued": 0, "failed": 0, "percent": 100, "done": True}


def test_nothing_is_enqueued_when_the_transaction_rolls_back(db, mailoutbox, django_capture_on_commit_callbacks):
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                services.message_queue(kind="test", email=_email())
                raise RuntimeError("the action failed")
        except RuntimeError:
            pass
    assert not Message.objects.exists() and not mailoutbox


def test_delivering_twice_sends_once(db, mailoutbox):
    row = services.message_queue(kind="test", email=_email())
    assert services.message_deliver(message_id=row.pk) is True
    assert services.message_deliver(message_id=row.pk) is False
    assert len(mailoutbox) == 1


def test_dedupe_key_makes_a_second_queue_a_no_op(db):
    services.message_queue(kind="reminder", email=_email(dedupe_key="reminder:1:2"))
    assert services.message_queue(kind="reminder", email=_email(dedupe_key="reminder:1:2")) is None
    assert Message.objects.count() == 1


def test_mail_server_error_keeps_row_queued_then_failed(db, settings, monkeypatch):
    from django.core.mail import EmailMultiAlternatives

    def down(self, *a, **kw):
        raise SMTPServerDisconnected("Connection unexpectedly closed")

    monkeypatch.setattr(EmailMultiAlternatives, "send", down)
    row = services.message_queue(kind="test", email=_email())
    with pytest.raises(SMTPServerDisconnected):
        services.message_deliver(message_id=row.pk, final=False)
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("queued", 1) and "Connection unexpectedly closed" in row.last_error
    services.message_deliver(message_id=row.pk, final=True)
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("failed", 2)


def test_failed_rows_are_retried(db, mailoutbox, django_capture_on_commit_callbacks):
    mailing = services.mailing_create(kind="test", subject="Hello")
    row = services.message_queue(kind="test", email=_email(), mailing=mailing)
    Message.objects.filter(pk=row.pk).update(status="failed", last_error="554 refused")
    with django_capture_on_commit_callbacks(execute=True):
        assert services.messages_retry(mailing=mailing) == 1
    row.refresh_from_db()
    assert row.status == "sent" and len(mailoutbox) == 1


def test_sweep_enqueues_rows_left_behind(db, mailoutbox):
    row = services.message_queue(kind="test", email=_email())  # on_commit never fires here
    Message.objects.filter(pk=row.pk).update(updated_at=timezone.now() - timedelta(minutes=10))
    assert services.outbox_sweep() == 1
    row.refresh_from_db()
    assert row.status == "sent" and len(mailoutbox) == 1
    assert services.outbox_sweep() == 0


def test_broker_down_loses_nothing(db, monkeypatch):
    from notifications import tasks

    def refuse(*a, **kw):
        raise ConnectionRefusedError("broker down")

    monkeypatch.setattr(tasks.send_batch, "delay", refuse)
    row = services.message_queue(kind="test", email=_email())
    assert services.messages_enqueue(message_ids=[row.pk]) == 0
    row.refresh_from_db()
    assert row.status == "queued"


def test_calendar_attachment_keeps_its_method(db, mailoutbox):
    ics = "BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n"
    row = services.message_queue(kind="test", email=_email(
        html="<p>Body</p>",
        attachments=(Attachment("invite.ics", ics, "text/calendar; method=REQUEST"),),
    ))
    services.message_deliver(message_id=row.pk)
    message = mailoutbox[0].message()
    parts = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    assert parts and parts[0].get_param("method") == "REQUEST"
    assert parts[0].get_filename() == "invite.ics"
    assert "METHOD:REQUEST" in parts[0].get_payload(decode=True).decode()


@pytest.fixture
def smtp_settings(settings, smtp_sink):
    """This process sends to the loopback SMTP server (no worker involved)."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", smtp_sink.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    yield smtp_sink
    services._mail_connection_close()


def test_a_mailing_goes_out_over_one_smtp_connection(db, smtp_settings):
    rows = services.messages_queue(kind="test", emails=[_email(i) for i in range(5)])
    for row in rows:
        assert services.message_deliver(message_id=row.pk) is True
    assert len(smtp_settings.messages) == 5
    assert len(smtp_settings.sessions) == 1


def test_a_dropped_idle_connection_is_opened_again(db, smtp_settings):
    first, second = services.messages_queue(kind="test", emails=[_email(1), _email(2)])
    services.message_deliver(message_id=first.pk)
    services._mail.connection.connection.close()  # as if the server had timed the idle session out
    assert services.message_deliver(message_id=second.pk) is True
    assert len(smtp_settings.messages) == 2 and len(smtp_settings.sessions) == 2
    second.refresh_from_db()
    assert (second.status, second.attempts) == ("sent", 1)
