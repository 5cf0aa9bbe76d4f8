"""Who does what where, possible duplicates and the decisions about them, and the
policy tracker. (Notes on partner organizations are ``members.OrganizationNote``.)

The project fields map onto IATI 2.03 activities: ``iati_identifier``,
``status`` (ActivityStatus 1-6), planned/actual dates (activity-date types
1-4), sectors (DAC 5-digit, vocabulary 1, with percentages), ``budget`` with
``currency``, the reporting organization, participating organizations with
roles 1 (funding) and 4 (implementing), and locations (a Kenyan county by its
ISO 3166-2 code, or national).
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from .vocabularies import (
    CLOSED_STATUSES,
    DAC_SECTORS,
    PILLAR_OF_ACTIVITY,
    ActivityType,
    BeneficiaryGroup,
    OverlapDecisionKind,
    ParticipantRole,
    PolicyKind,
    PolicyOutcome,
    PolicyRoute,
    PolicyStageKind,
    ProjectStatus,
    county_name,
)


class ProjectQuerySet(models.QuerySet):
    def open(self):
        return self.exclude(status__in=CLOSED_STATUSES)


class Project(models.Model):
    iati_identifier = models.CharField(
        "IATI identifier", max_length=150, blank=True,
        help_text="Set when the project is published to IATI (reporting organization's ref, a dash, an id).",
    )
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    reporting_organization = models.ForeignKey(
        "members.Organization", on_delete=models.PROTECT, related_name="coordination_projects"
    )
    activity_type = models.CharField(max_length=20, choices=ActivityType.choices, db_index=True)
    status = models.PositiveSmallIntegerField(
        choices=ProjectStatus.choices, default=ProjectStatus.IMPLEMENTATION, db_index=True
    )
    planned_start = models.DateField(null=True, blank=True)
    planned_end = models.DateField(null=True, blank=True)
    actual_start = models.DateField(null=True, blank=True)
    actual_end = models.DateField(null=True, blank=True)
    budget = models.DecimalField(max_digits=15, decimal_places=2, null=True, blank=True)
    currency = models.CharField(max_length=3, blank=True, help_text="ISO 4217 code.")
    contact = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text="The person others should ask about the project.",
    )
    # For projects whose contact has no account (imported ones).
    contact_name = models.CharField(max_length=200, blank=True)
    contact_email = models.EmailField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # Set by the services when the project itself changes, not by housekeeping writes.
    updated_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The span that overlaps and date windows compare, derived on every save:
    # actual or planned start; actual or planned end, else 12 months after the start.
    span_start = models.DateField(null=True, blank=True, editable=False, db_index=True)
    span_end = models.DateField(null=True, blank=True, editable=False, db_index=True)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["iati_identifier"], condition=~Q(iati_identifier=""), name="project_iati_identifier_unique"
            ),
        ]
        indexes = [models.Index(fields=["activity_type", "status"], name="project_activity_status")]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.span_start, self.span_end = self.start, self.end
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "span_start", "span_end"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("coordination:project", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status not in CLOSED_STATUSES

    @property
    def pillar(self):
        return PILLAR_OF_ACTIVITY.get(self.activity_type)

    @property
    def start(self) -> date | None:
        return self.actual_start or self.planned_start

    @property
    def end(self) -> date | None:
        """When the project ends, for overlaps: actual, else planned, else 12 months after its start."""
        if self.actual_end or self.planned_end:
            return self.actual_end or self.planned_end
        start = self.start
        return _add_months(start, 12) if start else None

    @property
    def is_stale(self) -> bool:
        months = getattr(settings, "PROJECT_STALE_MONTHS", 6)
        return self.is_open and self.updated_at < timezone.now() - timedelta(days=round(months * 30.44))

    @property
    def funders(self) -> list:
        return [p for p in self.participants.all() if p.role == ParticipantRole.FUNDING]

    @property
    def implementers(self) -> list:
        return [p for p in self.participants.all() if p.role == ParticipantRole.IMPLEMENTING]

    @property
    def contact_display(self) -> str:
        if self.contact_id:
            return str(self.contact)
        return self.contact_name or self.contact_email

    @property
    def contact_address(self) -> str:
        return self.contact.email if self.contact_id else self.contact_email


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    if year > date.max.year:
        return date.max
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


class ProjectLocation(models.Model):
    """A county (ISO 3166-2:KE code) or ``national``."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="locations")
    code = models.CharField(max_length=8, db_index=True)

    class Meta:
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["project", "code"], name="project_location_once")]

    def __str__(self):
        return county_name(self.code)

    @property
    def name(self) -> str:
        return county_name(self.code)


class ProjectSector(models.Model):
    """A DAC 5-digit sector (IATI vocabulary 1); percentages of one project sum to 100 when given."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="sectors")
    code = models.CharField(max_length=5, db_index=True)
    percentage = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["project", "code"], name="project_sector_once")]

    def __str__(self):
        return f"{self.code} {self.name}"

    @property
    def name(self) -> str:
        return DAC_SECTORS.get(self.code, "")


class ProjectBeneficiary(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="beneficiaries")
    group = models.CharField(max_length=20, choices=BeneficiaryGroup.choices, db_index=True)

    class Meta:
        ordering = ["group"]
        constraints = [models.UniqueConstraint(fields=["project", "group"], name="project_beneficiary_once")]

    def __str__(self):
        return self.get_group_display()


class ProjectParticipant(models.Model):
    """A funder or implementing partner: an organization of the directory, or only a name."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="participants")
    role = models.PositiveSmallIntegerField(choices=ParticipantRole.choices, db_index=True)
    organization = models.ForeignKey(
        "members.Organization", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    name = models.CharField(max_length=200, blank=True)
    ref = models.CharField("IATI organisation identifier", max_length=100, blank=True)

    class Meta:
        ordering = ["role", "id"]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.organization.name if self.organization_id else self.name


class ProjectPair(models.Model):
    """Two projects of different organizations that may duplicate each other.

    Kept up to date by ``services.overlaps_refresh`` whenever either project
    changes. ``project_a`` has the lower id. A decision holds while the
    pair's ``fingerprint`` (both projects' dates and places) is the one it
    was made on; when dates or places change the pair is raised again.
    """

    project_a = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    project_b = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    is_current = models.BooleanField(default=True, db_index=True, help_text="The rules flag the pair today.")
    score = models.PositiveSmallIntegerField(default=0)
    reasons = models.JSONField(default=list)
    fingerprint = models.CharField(max_length=64, blank=True)
    decision = models.CharField(max_length=15, choices=OverlapDecisionKind.choices, blank=True)
    decision_note = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_fingerprint = models.CharField(max_length=64, blank=True)
    is_open = models.BooleanField(
        default=True, db_index=True, help_text="Flagged today and not decided on the current dates and places."
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-score", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["project_a", "project_b"], name="project_pair_once"),
            models.CheckConstraint(condition=Q(project_a__lt=models.F("project_b")), name="project_pair_ordered"),
        ]

    def __str__(self):
        return f"{self.project_a_id} ~ {self.project_b_id}"

    def other(self, project):
        return self.project_b if project.pk == self.project_a_id else self.project_a


class PolicyItem(models.Model):
    title = models.CharField(max_length=300)
    kind = models.CharField(max_length=12, choices=PolicyKind.choices)
    route = models.CharField(max_length=12, choices=PolicyRoute.choices, blank=True)
    description = models.TextField(blank=True)
    current_stage = models.CharField(max_length=20, choices=PolicyStageKind.choices, blank=True)
    current_stage_on = models.DateField(null=True, blank=True, db_index=True)
    outcome = models.CharField(max_length=12, choices=PolicyOutcome.choices, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("coordination:policy", args=[self.pk])


class PolicyStage(models.Model):
    """One dated step of an item's history, with its source in the library."""

    item = models.ForeignKey(PolicyItem, on_delete=models.CASCADE, related_name="stages")
    stage = models.CharField(max_length=20, choices=PolicyStageKind.choices)
    on = models.DateField()
    note = models.TextField(blank=True)
    source_briefing = models.ForeignKey(
        "briefings.Briefing", null=True, blank=True, on_delete=models.SET_NULL, related_name="policy_stages"
    )
    source_document = models.ForeignKey(
        "briefings.Document", null=True, blank=True, on_delete=models.SET_NULL, related_name="policy_stages"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["on", "id"]
        indexes = [models.Index(fields=["-created_at"], name="policystage_recent")]

    def __str__(self):
        return f"{self.get_stage_display()} on {self.on}"


class PolicyAgency(models.Model):
    """A government agency involved in an item, and its role."""

    item = models.ForeignKey(PolicyItem, on_delete=models.CASCADE, related_name="agencies")
    organization = models.ForeignKey(
        "members.Organization", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    name = models.CharField(max_length=200, blank=True)
    role = models.CharField(max_length=300)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.organization.name if self.organization_id else self.name
