"""Delivering one outbox row: at most once, with the row keeping the truth."""

from smtplib import SMTPServerDisconnected

import pytest

from notifications import delivery
from notifications.services import Attachment
from tests.notifications.factories import MessageFactory


def test_delivering_twice_sends_once(db, mailoutbox):
    row = MessageFactory()
    assert delivery.message_deliver(message_id=row.pk) is True
    assert delivery.message_deliver(message_id=row.pk) is False
    assert len(mailoutbox) == 1


def test_mail_server_error_keeps_row_queued_then_failed(db, monkeypatch):
    from django.core.mail import EmailMultiAlternatives

    def down(self, *a, **kw):
        raise SMTPServerDisconnected("Connection unexpectedly closed")

    monkeypatch.setattr(EmailMultiAlternatives, "send", down)
    row = MessageFactory()
    with pytest.raises(SMTPServerDisconnected):
        delivery.message_deliver(message_id=row.pk, final=False)
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("queued", 1) and "Connection unexpectedly closed" in row.last_error
    delivery.message_deliver(message_id=row.pk, final=True)
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("failed", 2)


def test_calendar_attachment_keeps_its_method(db, mailoutbox):
    ics = "BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n"
    row = MessageFactory(
        body_html="<p>Body</p>",
        attachments=[Attachment("invite.ics", ics, "text/calendar; method=REQUEST").as_dict()],
    )
    delivery.message_deliver(message_id=row.pk)
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
    delivery._mail_connection_close()


def test_a_mailing_goes_out_over_one_smtp_connection(db, smtp_settings):
    rows = MessageFactory.create_batch(5)
    for row in rows:
        assert delivery.message_deliver(message_id=row.pk) is True
    assert len(smtp_settings.messages) == 5
    assert len(smtp_settings.sessions) == 1


def test_a_dropped_idle_connection_is_opened_again(db, smtp_settings):
    first, second = MessageFactory.create_batch(2)
    delivery.message_deliver(message_id=first.pk)
    delivery._mail.connection.connection.close()  # as if the server had timed the idle session out
    assert delivery.message_deliver(message_id=second.pk) is True
    assert len(smtp_settings.messages) == 2 and len(smtp_settings.sessions) == 2
    second.refresh_from_db()
    assert (second.status, second.attempts) == ("sent", 1)
