"""The log of the inbound mailbox: one row per message read, keyed so that a
message is handled once however many runs or workers see it."""

from django.db import models


class InboundMessage(models.Model):
    class Status(models.TextChoices):
        HANDLED = "handled", "Handled"
        IGNORED = "ignored", "Ignored"  # no handler wanted it
        REFUSED = "refused", "Refused"  # hostile or unusable; the reason says why
        FAILED = "failed", "Failed"  # a handler broke; tried again on the next run

    # The Message-ID, or "sha256:<hex>" of the raw message when it has none.
    # Unique: two workers reading the same message record it once.
    key = models.CharField(max_length=255, unique=True)
    sender = models.CharField(max_length=254, blank=True)
    recipients = models.TextField(blank=True)
    subject = models.CharField(max_length=255, blank=True)
    size = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=10, choices=Status.choices, db_index=True)
    # What the handler did ("meetings: calendar reply accepted"), or why it was refused.
    outcome = models.CharField(max_length=500, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    received_at = models.DateTimeField(auto_now_add=True)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]

    def __str__(self):
        return f"{self.key} ({self.status})"

    @property
    def is_done(self) -> bool:
        return self.status != self.Status.FAILED
