"""Delivering outbox rows: at most once, with the row keeping the truth; in
batches whose claims never overlap, one SMTP connection per batch, each row
recorded as it goes, rows composed in the worker, and a worker killed in the
middle of a batch losing and doubling nothing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from datetime import timedelta
from smtplib import SMTPDataError, SMTPServerDisconnected

import pytest
from django.db import connection, transaction
from django.utils import timezone

from notifications import delivery, renderers, services, tasks
from notifications.models import Message
from notifications.services import Attachment, OutgoingEmail
from tests.fixtures.services import ROOT, _database_url, _free_port, wait_until
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


# --- Batches ----------------------------------------------------------------------


def _rows(count: int, **fields) -> list[Message]:
    """Queued rows written without enqueuing anything (as if the broker had been down)."""
    return Message.objects.bulk_create([
        Message(kind="test", recipient_email=f"person{i}@example.org", subject=f"Hello {i}", body_text="Body",
                **fields)
        for i in range(count)
    ])


def test_a_batch_goes_out_over_one_connection_and_records_every_row(db, smtp_settings):
    rows = _rows(30)
    counts = delivery.batch_send(message_ids=[r.pk for r in rows])
    assert counts == {"sent": 30, "queued": 0, "failed": 0}
    assert len(smtp_settings.messages) == 30 and len(smtp_settings.sessions) == 1
    assert set(Message.objects.values_list("status", "attempts", "claimed_until")) == {("sent", 1, None)}
    assert delivery.batch_send(message_ids=[r.pk for r in rows])["sent"] == 0  # a redelivered task
    assert len(smtp_settings.messages) == 30


def test_enqueuing_splits_a_mailing_into_batches(db, settings, monkeypatch):
    from notifications import tasks

    settings.OUTBOX_BATCH_SIZE = 40
    sent = []
    monkeypatch.setattr(tasks.send_batch, "delay", lambda ids: sent.append(ids) or True)
    rows = _rows(100)
    assert tasks.messages_send([r.pk for r in rows]) == 100
    assert [len(ids) for ids in sent] == [40, 40, 20]


def test_a_claimed_row_is_not_claimed_again_until_its_claim_lapses(db, settings):
    settings.OUTBOX_BATCH_SIZE = 10
    rows = _rows(25)
    first, second, third = delivery.batch_claim(), delivery.batch_claim(), delivery.batch_claim()
    assert len(first) == len(second) == 10 and len(third) == 5
    assert not set(first) & set(second) and not set(second) & set(third)
    assert delivery.batch_claim() == []
    assert delivery.message_deliver(message_id=first[0]) is False  # the single-row path respects claims too
    Message.objects.filter(pk__in=first).update(claimed_until=timezone.now() - timedelta(seconds=1))
    assert delivery.batch_claim() == first
    assert {r.pk for r in rows} == set(first) | set(second) | set(third)


@pytest.mark.django_db(transaction=True)
def test_rows_locked_by_a_claim_in_progress_are_skipped_not_waited_for(settings):
    if connection.vendor != "postgresql":
        # SQLite locks the whole database, not rows: there is nothing to skip past.
        pytest.skip("row locks with SKIP LOCKED need PostgreSQL: set DATABASE_URL=postgres://...")
    settings.OUTBOX_BATCH_SIZE = 10
    rows = _rows(20)
    locked, release = threading.Event(), threading.Event()

    def other_worker():
        with transaction.atomic():
            list(Message.objects.select_for_update().filter(pk__in=[r.pk for r in rows[:10]]))
            locked.set()
            release.wait(10)
        connection.close()

    thread = threading.Thread(target=other_worker)
    thread.start()
    try:
        assert locked.wait(10)
        started = time.monotonic()
        claimed = delivery.batch_claim()
        assert time.monotonic() - started < 5
        assert claimed == [r.pk for r in rows[10:]]
    finally:
        release.set()
        thread.join()


def test_a_row_is_composed_by_its_renderer_when_it_is_sent(db, smtp_settings):
    renderers.register("test.greeting", lambda args: OutgoingEmail(
        to_email=args["to"], to_name="Ms Wanjiru", subject=f"Greetings no. {args['n']}", text=f"Text {args['n']}",
        html=f"<p>HTML {args['n']}</p>",
    ))
    rows = _rows(3, render_with="test.greeting")
    for i, row in enumerate(rows):
        row.render_args = {"to": f"wanjiru{i}@example.org", "n": i}
        row.save()
    assert delivery.batch_send()["sent"] == 3
    received = sorted(str(m["Subject"]) for m in smtp_settings.messages)
    assert received == ["Greetings no. 0", "Greetings no. 1", "Greetings no. 2"]
    assert "Ms Wanjiru <wanjiru0@example.org>" in str(smtp_settings.to("wanjiru0@example.org")[0]["To"])
    stored = Message.objects.get(pk=rows[1].pk)
    assert (stored.subject, stored.body_text, stored.body_html) == ("Greetings no. 1", "Text 1", "<p>HTML 1</p>")


def test_a_row_whose_renderer_finds_nothing_fails_with_a_reason(db, smtp_settings):
    renderers.register("test.gone", lambda args: None)
    row = _rows(1, render_with="test.gone")[0]
    assert delivery.batch_send() == {"sent": 0, "queued": 0, "failed": 1}
    row.refresh_from_db()
    assert row.status == "failed" and row.last_error == "Nothing to send any more"
    assert smtp_settings.messages == []


def test_a_refusing_server_leaves_the_rows_queued_then_failed_on_the_last_try(db, smtp_settings):
    smtp_settings.refuse = True
    rows = _rows(4)
    with pytest.raises(SMTPDataError):
        delivery.batch_send(final=False)
    assert set(Message.objects.values_list("status", "attempts", "claimed_until")) == {("queued", 1, None)}
    assert delivery.batch_send(final=True) == {"sent": 0, "queued": 0, "failed": 4}
    assert set(Message.objects.values_list("status", "attempts")) == {("failed", 2)}
    smtp_settings.refuse = False
    services.messages_retry(message_ids=[r.pk for r in rows])
    assert delivery.batch_send()["sent"] == 4


class HoldingSink:
    """An SMTP server that accepts ``accept`` messages, then holds the next one unanswered."""

    def __init__(self, accept: int):
        self.accept, self.received, self.port = accept, [], _free_port()
        self.holding, self.release = threading.Event(), threading.Event()
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self._lock:
            if len(self.received) >= self.accept and not self.release.is_set():
                hold = True
            else:
                hold = False
                self.received.extend(envelope.rcpt_tos)
        if hold:
            self.holding.set()
            while not self.release.is_set():  # the worker is killed meanwhile
                import asyncio

                await asyncio.sleep(0.05)
            return "451 4.3.0 The connection is gone"
        return "250 OK"


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
@pytest.mark.filterwarnings("ignore::celery.exceptions.AlwaysEagerIgnored")  # sent to the broker on purpose
def test_a_worker_killed_in_the_middle_of_a_batch_loses_and_doubles_nothing(settings):
    if not os.environ.get("CELERY_BROKER_URL") or connection.vendor != "postgresql":
        pytest.skip("needs CELERY_BROKER_URL and a PostgreSQL DATABASE_URL")
    from aiosmtpd.controller import Controller

    from wgportal.celery import app

    sink = HoldingSink(accept=7)
    controller = Controller(sink, hostname="127.0.0.1", port=sink.port)
    controller.start()
    queue = f"kill-{uuid.uuid4().hex[:8]}"
    (ROOT / "var").mkdir(exist_ok=True)
    log = ROOT / "var" / "test-delivery-kill-worker.log"
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "wgportal", "worker", "--pool=solo", "--loglevel=INFO", "-Q", queue,
         "--without-gossip", "--without-mingle", "--without-heartbeat", "-n", f"{queue}@%h"],
        cwd=ROOT, stdout=open(log, "w"), stderr=subprocess.STDOUT,
        env={**os.environ, "DATABASE_URL": _database_url(), "DATABASE_CONN_MAX_AGE": "0", "CELERY_QUEUE": queue,
             "DJANGO_SETTINGS_MODULE": "wgportal.settings",
             "EMAIL_URL": f"smtp://127.0.0.1:{sink.port}", "OUTBOX_BATCH_SIZE": "20", "OUTBOX_CLAIM_SECONDS": "2",
             # Production settings refuse a weak key; the worker unseals what this process sealed.
             "DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": settings.SECRET_KEY},
    )
    try:
        wait_until(lambda: " ready." in log.read_text(), timeout=60)
        rows = _rows(20)
        app.send_task("notifications.tasks.send_batch", args=[[r.pk for r in rows]], queue=queue)
        assert sink.holding.wait(60), "the worker never reached the eighth message"
        worker.send_signal(signal.SIGKILL)  # in the middle of the batch, the eighth message unanswered
        worker.wait(timeout=15)
    finally:
        if worker.poll() is None:
            worker.kill()
        sink.release.set()

    try:
        statuses = dict(Message.objects.filter(pk__in=[r.pk for r in rows]).values_list("recipient_email", "status"))
        sent_before = {email for email, status in statuses.items() if status == "sent"}
        assert sent_before == set(sink.received) and len(sent_before) == 7  # each sent row was recorded at once
        assert Message.objects.filter(status="queued", claimed_until__isnull=False).count() == 13

        # The claim lapses; the sweep hands the rest to the next batch (here in this process).
        time.sleep(2.5)
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", sink.port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        assert tasks.messages_send(delivery.messages_stale_claim(older_than=timedelta(0))) == 13
        wait_until(lambda: Message.objects.filter(status="sent").count() == 20, timeout=30)
        assert sorted(sink.received) == sorted(r.recipient_email for r in rows)  # every one, once
        assert set(Message.objects.values_list("status", "claimed_until")) == {("sent", None)}
    finally:
        delivery._mail_connection_close()
        controller.stop()
        app.connection_for_write().default_channel.client.delete(queue)


def test_a_composed_row_goes_out_with_its_links_and_is_stored_without_them(db, smtp_settings):
    secret = "reply-token-4f9a2c"
    renderers.register("test.with-link", lambda args: OutgoingEmail(
        to_email="wanjiru@example.org", subject="Your reply", text=f"Reply: https://portal.example/r/{secret}/",
        html=f'<a href="https://portal.example/r/{secret}/">Reply</a>', secrets=(secret,),
    ))
    row = _rows(1, render_with="test.with-link")[0]
    assert delivery.batch_send()["sent"] == 1
    assert secret in smtp_settings.messages[0].get_body(preferencelist=("plain",)).get_content()
    row.refresh_from_db()
    assert secret not in row.body_text and secret not in row.body_html and row.secrets_sealed == ""
    assert "link removed once sent" in row.body_text
