"""The outbox: every email the portal sends is first a row here.

A row is written in the same transaction as the action that causes it and is
sent by a Celery task enqueued on commit (see ``services``). The row, not the
task, is the truth: a redelivered or retried task finds it sent and stops.
"""

from django.conf import settings
from django.db import models


class Mailing(models.Model):
    """A batch of messages sent by one action (an invitation round, a circulation)."""

    kind = models.CharField(max_length=40, db_index=True)
    subject = models.CharField(max_length=255)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # What the mailing is about, as "app_label.model:pk", so that the page of a
    # meeting or a circulation can find its mailings without this app knowing them.
    subject_ref = models.CharField(max_length=100, blank=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.subject} ({self.created_at:%Y-%m-%d %H:%M})"


class Message(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    mailing = models.ForeignKey(
        Mailing, null=True, blank=True, on_delete=models.CASCADE, related_name="messages"
    )
    kind = models.CharField(max_length=40, db_index=True)
    recipient_email = models.EmailField()
    recipient_name = models.CharField(max_length=200, blank=True)
    recipient_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    subject = models.CharField(max_length=255)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    # [{"filename": ..., "content_type": ..., "content": text}]; text only (calendar files).
    attachments = models.JSONField(default=list, blank=True)
    headers = models.JSONField(default=dict, blank=True)
    # The links and keys the bodies carry, sealed (see ``sealing``); the bodies
    # hold markers in their place. Emptied once the message is sent.
    secrets_sealed = models.TextField(blank=True, editable=False)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # Messages that must go out once only (a reminder per person per meeting)
    # carry a key; the unique constraint makes a second insert a no-op.
    dedupe_key = models.CharField(max_length=200, null=True, blank=True, unique=True)
    # A row may be written before its message is composed: the worker then asks the
    # renderer registered under this name (``notifications.renderers``) with these
    # arguments, right before sending, so that the click that sends a mailing to a
    # thousand people only writes rows. Empty: the row already holds the message.
    render_with = models.CharField(max_length=60, blank=True)
    render_args = models.JSONField(default=dict, blank=True)
    # Set while a delivery batch holds the row; a batch that died leaves it to be
    # claimed again once this time has passed (``delivery.batch_claim``).
    claimed_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["status", "updated_at"])]

    def __str__(self):
        return f"{self.kind} to {self.recipient_email} ({self.status})"


# The inbound mailbox's log lives with the code that reads the mailbox.
from .inbound.models import InboundMessage  # noqa: E402,F401
