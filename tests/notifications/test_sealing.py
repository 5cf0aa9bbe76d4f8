"""Live links in outgoing messages are not readable in the database (finding 8)."""

import re

from django.db import connection
from django.urls import reverse

from notifications import delivery, services
from notifications.models import Message
from notifications.services import Attachment, OutgoingEmail

SECRET = "Zt8qL2vN0pR5xW7yB3kD9mF1hJ4cG6sQ"


def _database_holds(text: str) -> bool:
    """Whether ``text`` appears anywhere in the outbox table, read as raw rows."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {Message._meta.db_table}")
        return any(text in str(value) for row in cursor.fetchall() for value in row)


def _email(**kw):
    link = f"http://testserver/members/join/{SECRET}/"
    return OutgoingEmail(
        to_email="contact@india.example", subject="Invitation", text=f"Open {link} to answer.",
        html=f'<a href="{link}">Answer</a>', attachments=(Attachment("x.txt", f"link {link}", "text/plain"),),
        secrets=(SECRET,), **kw,
    )


def test_queued_message_keeps_its_secret_sealed_not_readable(db, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    row = services.message_queue(kind="test", email=_email())
    assert not _database_holds(SECRET)
    assert "link removed once sent" in row.body_text
    assert row.secrets_sealed


def test_sent_email_carries_the_live_link_and_the_database_forgets_it(db, mailoutbox):
    row = services.message_queue(kind="test", email=_email())
    assert delivery.message_deliver(message_id=row.pk) in (True, False)
    assert len(mailoutbox) == 1
    sent = mailoutbox[0]
    assert SECRET in sent.body and SECRET in sent.alternatives[0][0]
    assert SECRET in sent.attachments[0].get_payload(decode=True).decode()
    row.refresh_from_db()
    assert row.status == "sent" and row.secrets_sealed == ""
    assert not _database_holds(SECRET)


def test_failed_message_keeps_its_sealed_link_for_the_retry(db, monkeypatch, mailoutbox,
                                                          django_capture_on_commit_callbacks):
    from smtplib import SMTPServerDisconnected

    from django.core.mail import EmailMultiAlternatives

    original = EmailMultiAlternatives.send

    def down(self, *a, **kw):
        raise SMTPServerDisconnected("down")

    monkeypatch.setattr(EmailMultiAlternatives, "send", down)
    row = services.message_queue(kind="test", email=_email())
    delivery.message_deliver(message_id=row.pk, final=True)
    row.refresh_from_db()
    assert row.status == "failed" and row.secrets_sealed
    monkeypatch.setattr(EmailMultiAlternatives, "send", original)
    with django_capture_on_commit_callbacks(execute=True):
        services.messages_retry(message_ids=[row.pk])
    assert SECRET in mailoutbox[-1].body
    assert not _database_holds(SECRET)


def test_password_reset_link_is_not_kept_in_the_outbox(client, member, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": member.email})
    link = re.search(r"http://testserver(/accounts/password/reset/key/\S+/)", mailoutbox[0].body).group(1)
    key = link.rstrip("/").rsplit("/", 1)[-1]
    assert not _database_holds(key)
    # The link still works for its recipient.
    assert client.get(link, follow=True).status_code == 200
