import uuid

from django.conf import settings
from django.db import models


class Meeting(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SCHEDULED = "scheduled", "Scheduled"
        HELD = "held", "Held"
        CANCELLED = "cancelled", "Cancelled"

    number = models.PositiveIntegerField(help_text="Number in the group's series of meetings.")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    start = models.DateTimeField()
    end = models.DateTimeField()
    venue = models.CharField(max_length=300, blank=True)
    host = models.ForeignKey(
        "members.Organization", null=True, blank=True, on_delete=models.SET_NULL, related_name="hosted_meetings"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True)
    # The calendar identity: the UID never changes; the sequence grows with each change sent.
    calendar_uid = models.CharField(max_length=100, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-start"]

    def __str__(self):
        return f"{self.number}. {self.title}"

    def save(self, *args, **kwargs):
        if not self.calendar_uid:
            self.calendar_uid = f"meeting-{uuid.uuid4()}@wgportal"
        super().save(*args, **kwargs)


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    order = models.PositiveIntegerField(default=0)
    title = models.CharField(max_length=300)
    presenter = models.ForeignKey(
        "members.Organization", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    minutes = models.PositiveIntegerField(default=15, help_text="Minutes allotted.")

    class Meta:
        ordering = ["meeting", "order", "id"]

    def __str__(self):
        return self.title
