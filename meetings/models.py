import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from members.validators import no_control_characters


class Meeting(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SCHEDULED = "scheduled", "Scheduled"
        HELD = "held", "Held"
        CANCELLED = "cancelled", "Cancelled"

    number = models.PositiveIntegerField(help_text="Number in the group's series of meetings.")
    title = models.CharField(max_length=200, validators=[no_control_characters])
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
    # Audience: every active member organization's people, or the chosen ones; plus extra addresses.
    audience_all = models.BooleanField(default=True)
    audience_organizations = models.ManyToManyField("members.Organization", blank=True, related_name="+")
    extra_addresses = models.TextField(blank=True, help_text="One address per line.")
    invitations_sent_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    # Set when time, place or agenda changed after invitations went out, until an update is sent.
    update_pending = models.BooleanField(default=False)
    attending_organizations = models.ManyToManyField(
        "members.Organization", blank=True, related_name="attended_meetings"
    )
    attendees = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="attended_meetings")
    attendance_recorded_at = models.DateTimeField(null=True, blank=True)
    minutes_markdown = models.TextField(blank=True)
    minutes_published_at = models.DateTimeField(null=True, blank=True)
    # Set when published minutes are edited, until the correction is sent.
    minutes_correction_pending = models.BooleanField(default=False)
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

    @property
    def length_minutes(self) -> int:
        return int((self.end - self.start).total_seconds() // 60)

    @property
    def is_upcoming(self) -> bool:
        from django.utils import timezone

        return self.end >= timezone.now()

    @property
    def is_past(self) -> bool:
        return not self.is_upcoming

    @property
    def has_started(self) -> bool:
        from django.utils import timezone

        return self.start <= timezone.now()

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def accepts_replies(self) -> bool:
        """Announced and still ahead: the meeting page offers the reply buttons."""
        return self.status == self.Status.SCHEDULED and self.is_upcoming

    @property
    def replies_closed(self) -> bool:
        return self.status == self.Status.CANCELLED or self.is_past

    def has_invitee(self, user) -> bool:
        """Was ``user`` invited to this meeting (by account or by address)?"""
        if user is None or not user.is_authenticated:
            return False
        return self.rsvps.filter(Q(user=user) | Q(email__iexact=user.email)).exists()


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    order = models.PositiveIntegerField(default=0)
    title = models.CharField(max_length=300, validators=[no_control_characters])
    presenter = models.ForeignKey(
        "members.Organization", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    minutes = models.PositiveIntegerField(default=15, help_text="Minutes allotted.")

    class Meta:
        ordering = ["meeting", "order", "id"]

    def __str__(self):
        return self.title


class Rsvp(models.Model):
    """One recipient of a meeting's invitation, and their reply (named apart from
    members' organization ``Invitation``)."""

    class Response(models.TextChoices):
        NONE = "none", "No reply"
        ACCEPTED = "accepted", "Accepted"
        TENTATIVE = "tentative", "Tentative"
        DECLINED = "declined", "Declined"

    class Source(models.TextChoices):
        WEB = "web", "Web"
        CALENDAR = "calendar", "Calendar"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="rsvps")
    email = models.EmailField()
    name = models.CharField(max_length=200, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="meeting_rsvps"
    )
    organization = models.ForeignKey(
        "members.Organization", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    response = models.CharField(max_length=10, choices=Response.choices, default=Response.NONE, db_index=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    # Where the reply came from: a web link or page, or the person's calendar
    # application (an iTIP REPLY read from the inbound mailbox, meetings.mail_in).
    response_source = models.CharField(max_length=10, choices=Source.choices, default=Source.WEB)
    comment = models.CharField(max_length=500, blank=True)
    substitute = models.CharField(max_length=200, blank=True, help_text="Who comes instead.")
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organization__name", "name", "email"]
        # The constraint keeps the name it was created with: the rows and the index stay as they are.
        constraints = [models.UniqueConstraint(fields=["meeting", "email"], name="invitation_once_per_address")]

    def __str__(self):
        return f"{self.email} → {self.meeting}"

    @property
    def display_name(self):
        return self.name or self.email


class ActionItem(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        DONE = "done", "Done"
        DROPPED = "dropped", "Dropped"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="action_items")
    description = models.CharField(max_length=500)
    owner = models.ForeignKey(
        "members.Organization", null=True, blank=True, on_delete=models.SET_NULL, related_name="action_items"
    )
    due_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["status", "due_on", "id"]

    def __str__(self):
        return self.description

    @property
    def is_overdue(self) -> bool:
        from django.utils import timezone

        return self.status == self.Status.OPEN and self.due_on is not None and self.due_on < timezone.localdate()


class DatePoll(models.Model):
    """Candidate slots offered to members before a meeting is scheduled."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    title = models.CharField(max_length=200, validators=[no_control_characters])
    description = models.TextField(blank=True)
    venue = models.CharField(max_length=300, blank=True)
    host = models.ForeignKey("members.Organization", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    deadline = models.DateField(null=True, blank=True, help_text="Answers close at the end of this day.")
    meeting = models.OneToOneField(Meeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="date_poll")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.title


class PollSlot(models.Model):
    poll = models.ForeignKey(DatePoll, on_delete=models.CASCADE, related_name="slots")
    start = models.DateTimeField()
    end = models.DateTimeField()

    class Meta:
        ordering = ["start", "id"]

    def __str__(self):
        return f"{self.start} – {self.end}"


class PollAnswer(models.Model):
    class Answer(models.TextChoices):
        YES = "yes", "Yes"
        MAYBE = "maybe", "If need be"
        NO = "no", "No"

    slot = models.ForeignKey(PollSlot, on_delete=models.CASCADE, related_name="answers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    answer = models.CharField(max_length=5, choices=Answer.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["slot", "user"], name="poll_answer_once")]

    def __str__(self):
        return f"{self.get_answer_display()} (slot {self.slot_id}, user {self.user_id})"


def _feed_key() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """A person's secret calendar subscription address; a new key revokes the old one."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed")
    key = models.CharField(max_length=64, unique=True, default=_feed_key)
    created_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        # Never the key: it is the secret part of the address.
        return f"Calendar feed of user {self.user_id}"


# What invitees send back by email lives with the code that reads it.
from .mail_in.models import InviteeMessage  # noqa: E402,F401
