"""The inbound mailbox: read over IMAP (a real Dovecot), each message handled once,
moved when done, left in the inbox when a handler fails, hostile mail refused."""

from __future__ import annotations

import logging
import threading

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.db import connection

from notifications import tasks
from notifications.inbound import Refused, handlers
from notifications.inbound import services as inbound
from notifications.inbound.imap import mailbox_from_url
from notifications.inbound.models import InboundMessage
from notifications.inbound.parsing import mail_parse
from notifications.models import Mailing
from tests.fixtures.mail import mail_fixture

pytestmark = pytest.mark.django_db

STATUS = InboundMessage.Status


def plain(message_id: str | None = "note-1@mail.example", body: str = "Hello", subject: str = "A note") -> bytes:
    header = f"Message-ID: <{message_id}>\r\n" if message_id else ""
    return (f"From: Anna <anna@germany.example>\r\nTo: someone@portal.test\r\nSubject: {subject}\r\n{header}"
            f"Content-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n").encode()


@pytest.fixture
def seen(monkeypatch):
    """A handler standing for a higher app: it takes every message and notes it."""
    calls = []

    def handler(mail):
        calls.append(mail)
        return f"noted {mail.subject}"

    monkeypatch.setattr(handlers, "handlers", [handler])
    return calls


def test_nothing_runs_without_inbound_imap_url(settings, monkeypatch):
    settings.INBOUND_IMAP_URL = ""
    monkeypatch.setattr(inbound, "connect", lambda *a: pytest.fail("no mailbox may be opened"))
    assert tasks.mail_in.delay().get() == {}
    with pytest.raises(CommandError, match="INBOUND_IMAP_URL"):
        call_command("mail_in")


def test_the_mailbox_is_read_every_minute_by_beat(settings):
    assert settings.CELERY_BEAT_SCHEDULE["mail-in"] == {"task": "notifications.tasks.mail_in", "schedule": 60.0}


def test_mailbox_url_reads_encoded_credentials_and_hides_the_password():
    mailbox = mailbox_from_url("imaps://replies%40wg.example:s3cr%2Ft@imap.example.org/Replies")
    assert (mailbox.host, mailbox.port, mailbox.username, mailbox.password, mailbox.folder) == (
        "imap.example.org", 993, "replies@wg.example", "s3cr/t", "Replies")
    assert mailbox.implicit_tls and "s3cr" not in repr(mailbox)
    starttls = mailbox_from_url("imap://u:p@imap.example.org")
    assert (starttls.port, starttls.folder, starttls.implicit_tls) == (143, "INBOX", False)
    for url in ("pop3://u:p@host/", "imaps://host/INBOX", "imaps://user@host/INBOX"):
        with pytest.raises(ImproperlyConfigured):
            mailbox_from_url(url)


def test_messages_are_read_over_tls_handled_and_moved(imap_mailbox, seen):
    imap_mailbox.deliver(plain("a@mail.example", subject="First"), plain("b@mail.example", subject="Second"))
    counts = tasks.mail_in.delay().get()
    assert counts == {"handled": 2}
    assert [m.subject for m in seen] == ["First", "Second"]
    assert imap_mailbox.count("INBOX") == 0 and imap_mailbox.count("Processed") == 2
    rows = InboundMessage.objects.order_by("id")
    assert [(r.key, r.status, r.outcome) for r in rows] == [
        ("a@mail.example", STATUS.HANDLED, "noted First"), ("b@mail.example", STATUS.HANDLED, "noted Second")]


def test_starttls_mailbox_is_read_too(imap_mailbox, dovecot_server, settings, seen):
    settings.INBOUND_IMAP_URL = imap_mailbox.url.replace("imaps://", "imap://").replace(
        f":{dovecot_server.port}/", f":{dovecot_server.starttls_port}/")
    imap_mailbox.deliver(plain("starttls@mail.example"))
    assert inbound.mailbox_read() == {"handled": 1}


def test_same_message_read_twice_is_handled_once(imap_mailbox, seen):
    imap_mailbox.deliver(plain("twice@mail.example"))
    inbound.mailbox_read()
    imap_mailbox.deliver(plain("twice@mail.example"))  # delivered again (a retry of the sender's server)
    counts = inbound.mailbox_read()
    assert len(seen) == 1 and InboundMessage.objects.count() == 1
    assert counts == {"handled": 1}  # the row, already handled: the copy is only moved
    assert imap_mailbox.count("INBOX") == 0 and imap_mailbox.count("Processed") == 2


def test_message_without_message_id_is_keyed_by_its_content(seen):
    first = inbound.message_process(raw=plain(None, body="same"))
    again = inbound.message_process(raw=plain(None, body="same"))
    other = inbound.message_process(raw=plain(None, body="different"))
    assert first.pk == again.pk != other.pk and first.key.startswith("sha256:")
    assert len(seen) == 2


@pytest.mark.django_db(transaction=True)
def test_two_workers_reading_the_same_message_record_it_once(monkeypatch):
    """Both workers fetch the message before either has recorded it: the unique
    key makes the second wait for the first, then find it handled."""
    if connection.vendor != "postgresql":
        pytest.skip("needs concurrent transactions: set DATABASE_URL to PostgreSQL")
    calls, barrier = [], threading.Barrier(2)

    def slow_handler(mail):
        calls.append(threading.get_ident())
        Mailing.objects.create(kind="test", subject="written by the handler")
        return "handled"

    monkeypatch.setattr(handlers, "handlers", [slow_handler])
    results = []

    def worker():
        barrier.wait()
        try:
            results.append(inbound.message_process(raw=plain("race@mail.example")))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert len(results) == 2 and all(r.status == STATUS.HANDLED for r in results)
    assert len(calls) == 1
    assert InboundMessage.objects.count() == 1 and Mailing.objects.count() == 1


def test_a_failing_handler_leaves_the_message_for_the_next_run_and_nothing_half_written(imap_mailbox, monkeypatch):
    attempts = []

    def flaky(mail):
        attempts.append(1)
        Mailing.objects.create(kind="test", subject="half of a reply")
        if len(attempts) == 1:
            raise RuntimeError("database of the handler unavailable")
        return "done on the second try"

    monkeypatch.setattr(handlers, "handlers", [flaky])
    imap_mailbox.deliver(plain("flaky@mail.example"))
    assert inbound.mailbox_read() == {"failed": 1}
    row = InboundMessage.objects.get()
    assert row.status == STATUS.FAILED and "unavailable" in row.outcome
    assert Mailing.objects.count() == 0  # the savepoint took the handler's write back
    assert imap_mailbox.count("INBOX") == 1

    assert inbound.mailbox_read() == {"handled": 1}
    row.refresh_from_db()
    assert (row.status, row.attempts, row.outcome) == (STATUS.HANDLED, 2, "done on the second try")
    assert Mailing.objects.count() == 1
    assert imap_mailbox.count("INBOX") == 0 and imap_mailbox.count("Processed") == 1


def test_a_message_that_keeps_failing_is_set_aside(monkeypatch):
    def broken(mail):
        raise KeyError("always")

    monkeypatch.setattr(handlers, "handlers", [broken])
    for _ in range(inbound.MAX_ATTEMPTS):
        row = inbound.message_process(raw=plain("poison@mail.example"))
    assert row.status == STATUS.REFUSED and row.is_done
    assert f"after {inbound.MAX_ATTEMPTS} failed attempts" in row.outcome


def test_oversize_and_broken_mime_are_refused_with_a_reason_and_the_run_goes_on(imap_mailbox, seen, caplog):
    big = plain("big@mail.example", body="x" * (30 * 1024 * 1024))
    broken = mail_fixture("broken_mime", ATTENDEE="anna@germany.example", REPLY_ADDRESS="x@portal.test",
                          UID="uid", MESSAGE_ID="broken@mail.example")
    imap_mailbox.deliver(big, broken, plain("fine@mail.example", subject="After them"))
    with caplog.at_level(logging.WARNING, logger="notifications.inbound"):
        counts = tasks.mail_in.delay().get()
    assert counts == {"refused": 2, "handled": 1}
    assert [m.subject for m in seen] == ["After them"]
    rows = {row.key: row for row in InboundMessage.objects.all()}
    assert rows["big@mail.example"].status == STATUS.REFUSED
    assert "too large" in rows["big@mail.example"].outcome and "INBOUND_MAX_BYTES" in rows["big@mail.example"].outcome
    assert rows["broken@mail.example"].status == STATUS.REFUSED
    assert "malformed MIME" in rows["broken@mail.example"].outcome
    assert "too large" in caplog.text and "malformed MIME" in caplog.text
    assert imap_mailbox.count("INBOX") == 0 and imap_mailbox.count("Processed") == 3


def test_a_handler_refusal_is_recorded_with_its_reason(monkeypatch, caplog):
    def picky(mail):
        raise Refused("token altered")

    monkeypatch.setattr(handlers, "handlers", [picky])
    with caplog.at_level(logging.WARNING, logger="notifications.inbound"):
        row = inbound.message_process(raw=plain("refused@mail.example"))
    assert (row.status, row.outcome) == (STATUS.REFUSED, "token altered")
    assert "token altered" in caplog.text


def test_a_message_no_handler_wants_is_ignored_and_moved(imap_mailbox, monkeypatch):
    monkeypatch.setattr(handlers, "handlers", [lambda mail: None])
    imap_mailbox.deliver(plain("spam@mail.example"))
    assert inbound.mailbox_read() == {"ignored": 1}
    assert imap_mailbox.count("Processed") == 1


def test_manual_run_reports_what_it_did(imap_mailbox, seen, capsys):
    imap_mailbox.deliver(plain("manual@mail.example"))
    call_command("mail_in")
    assert "Inbound mailbox read: 1 handled." in capsys.readouterr().out


def test_a_mailbox_that_refuses_the_login_stops_the_run_and_loses_nothing(imap_mailbox, settings, seen):
    imap_mailbox.deliver(plain("waiting@mail.example"))
    good_url = settings.INBOUND_IMAP_URL
    settings.INBOUND_IMAP_URL = good_url.replace("imap-test-password", "wrong")
    assert tasks.mail_in.delay().get() == {"unreachable": 1}
    with pytest.raises(CommandError, match="could not be read"):
        call_command("mail_in")
    settings.INBOUND_IMAP_URL = good_url
    assert inbound.mailbox_read() == {"handled": 1} and len(seen) == 1


def test_parse_keeps_attachment_names_only_and_marks_html_unsafe():
    mail = mail_parse(mail_fixture("written_reply", ATTENDEE="anna@germany.example", REPLY_ADDRESS="x@portal.test"))
    assert mail.attachments == ("cv-jens-mueller.pdf (application/pdf, 78 bytes)",)
    assert "<script>" in mail.html_unsafe  # handed on raw: the handler must sanitize
    assert "Jens Müller" in mail.text


def test_parse_finds_a_calendar_part_sent_inline_and_attached_once():
    mail = mail_parse(mail_fixture("google_tentative", ATTENDEE="anna@germany.example",
                                   REPLY_ADDRESS="x@portal.test", UID="uid"))
    assert len(mail.calendars) == 1 and mail.calendars[0].method == "REPLY"
    assert "METHOD:REPLY" in mail.calendars[0].text


def test_parse_reads_a_delivery_report_and_the_bounced_headers():
    mail = mail_parse(mail_fixture("bounce", ATTENDEE="gone@example.org", REPLY_ADDRESS="rsvp+1-x@portal.test"))
    assert mail.report is not None
    (failure,) = mail.report.failures
    assert (failure.recipient, failure.status) == ("gone@example.org", "5.1.1")
    assert "User unknown" in failure.diagnostic
    assert "rsvp+1-x@portal.test" in str(mail.report.original["Reply-To"])
    assert mail.calendars == ()
