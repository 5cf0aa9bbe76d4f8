"""What invitees send back by email, attached to the meeting and the invitation (the ``Rsvp``)."""

from django.db import models


class InviteeMessage(models.Model):
    """One inbound message about a meeting: a calendar reply, a proposed new
    time, a written answer, an automatic reply, or a delivery failure."""

    class Kind(models.TextChoices):
        CALENDAR_REPLY = "calendar_reply", "Calendar reply"
        COUNTER = "counter", "Proposed new time"
        WRITTEN = "written", "Message"
        AUTOMATIC = "automatic", "Automatic reply"
        BOUNCE = "bounce", "Delivery failure"

    meeting = models.ForeignKey("meetings.Meeting", on_delete=models.CASCADE, related_name="invitee_messages")
    rsvp = models.ForeignKey(
        "meetings.Rsvp", null=True, blank=True, on_delete=models.SET_NULL, related_name="invitee_messages"
    )
    inbound = models.ForeignKey(
        "notifications.InboundMessage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, db_index=True)
    # As the message claims it; the rsvp, reached through the signed
    # reply address, is who it is really about.
    sender = models.CharField(max_length=254, blank=True)
    subject = models.CharField(max_length=255, blank=True)
    text = models.TextField(blank=True)
    # Sanitized with members.markup.sanitize_html before it is stored.
    html = models.TextField(blank=True)
    partstat = models.CharField(max_length=20, blank=True)
    proposed_start = models.DateTimeField(null=True, blank=True)
    proposed_end = models.DateTimeField(null=True, blank=True)
    # Names of the attachments that came with it; their content is never kept.
    attachments_dropped = models.TextField(blank=True)
    detail = models.CharField(max_length=500, blank=True)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        indexes = [models.Index(fields=["meeting", "kind"])]

    def __str__(self):
        return f"{self.get_kind_display()} about {self.meeting_id} from {self.sender}"
