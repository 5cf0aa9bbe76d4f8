"""Writing projects: create, update, and the stale reminders."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from members.models import Organization, User
from notifications.services import messages_queue

from .. import emails
from ..models import Project, ProjectBeneficiary, ProjectLocation, ProjectParticipant, ProjectSector
from ..overlaps import ProjectFacts
from ..vocabularies import ParticipantRole, ProjectStatus
from .pairs import overlap_decide, overlaps_refresh


@dataclass(frozen=True)
class Participant:
    """A funder or implementing partner: an organization of the directory, or a name (and IATI ref)."""

    organization: Organization | None = None
    name: str = ""
    ref: str = ""


@dataclass
class ProjectData:
    """Every field a person (or an import) gives for a project."""

    title: str
    activity_type: str
    status: int = ProjectStatus.IMPLEMENTATION
    description: str = ""
    planned_start: date | None = None
    planned_end: date | None = None
    actual_start: date | None = None
    actual_end: date | None = None
    budget: Decimal | None = None
    currency: str = ""
    contact: User | None = None
    contact_name: str = ""
    contact_email: str = ""
    iati_identifier: str = ""
    sectors: list[tuple[str, Decimal | None]] = field(default_factory=list)
    locations: list[str] = field(default_factory=list)
    beneficiaries: list[str] = field(default_factory=list)
    funders: list[Participant] = field(default_factory=list)
    implementers: list[Participant] = field(default_factory=list)

    SCALAR_FIELDS = (
        "title", "activity_type", "status", "description", "planned_start", "planned_end", "actual_start",
        "actual_end", "budget", "currency", "contact", "contact_name", "contact_email", "iati_identifier",
    )

    def facts(self, *, organization_id: int, pk: int | None = None) -> ProjectFacts:
        """What the overlap rules read, before anything is saved."""
        draft = Project(**{name: getattr(self, name) for name in self.SCALAR_FIELDS})
        return ProjectFacts(
            pk=pk, organization_id=organization_id, title=self.title, activity_type=self.activity_type,
            status=self.status, start=draft.start, end=draft.end,
            locations=frozenset(self.locations), beneficiaries=frozenset(self.beneficiaries),
            funder_ids=frozenset(p.organization.pk for p in self.funders if p.organization is not None),
        )

    @classmethod
    def of(cls, project: Project) -> ProjectData:
        participants = list(project.participants.all())

        def people(role):
            return [Participant(organization=p.organization, name=p.name, ref=p.ref)
                    for p in participants if p.role == role]

        return cls(
            **{name: getattr(project, name) for name in cls.SCALAR_FIELDS},
            sectors=[(s.code, s.percentage) for s in project.sectors.all()],
            locations=[loc.code for loc in project.locations.all()],
            beneficiaries=[b.group for b in project.beneficiaries.all()],
            funders=people(ParticipantRole.FUNDING), implementers=people(ParticipantRole.IMPLEMENTING),
        )


def _write_children(project: Project, data: ProjectData) -> None:
    for model in (ProjectSector, ProjectLocation, ProjectBeneficiary, ProjectParticipant):
        model.objects.filter(project=project).delete()
    ProjectSector.objects.bulk_create(
        [ProjectSector(project=project, code=code, percentage=pct) for code, pct in dict(data.sectors).items()]
    )
    ProjectLocation.objects.bulk_create(
        [ProjectLocation(project=project, code=code) for code in dict.fromkeys(data.locations)]
    )
    ProjectBeneficiary.objects.bulk_create(
        [ProjectBeneficiary(project=project, group=group) for group in dict.fromkeys(data.beneficiaries)]
    )
    ProjectParticipant.objects.bulk_create(
        [
            ProjectParticipant(project=project, role=role, organization=p.organization,
                               name="" if p.organization else p.name[:200], ref=p.ref[:100])
            for role, group in ((ParticipantRole.FUNDING, data.funders),
                                (ParticipantRole.IMPLEMENTING, data.implementers))
            for p in group
        ]
    )


@transaction.atomic
def project_save(
    *,
    organization: Organization,
    data: ProjectData,
    by: User | None,
    project: Project | None = None,
    decisions: dict[int, tuple[str, str]] | None = None,
    notify: bool = True,
) -> Project:
    """Create (``project`` None) or update a project, refresh its possible duplicates,
    and record the decisions taken on them (other project id -> (kind, note)); both contacts
    are told unless ``notify`` is false (the demo)."""
    now = timezone.now()
    if project is None:
        project = Project(created_by=by, created_at=now)
    for name in ProjectData.SCALAR_FIELDS:
        setattr(project, name, getattr(data, name))
    project.reporting_organization = organization
    project.updated_at, project.updated_by = now, by
    project.save()
    _write_children(project, data)
    pairs = overlaps_refresh(project=project)
    for other_id, (kind, note) in (decisions or {}).items():
        pair = pairs.get(other_id)
        if pair is not None:
            overlap_decide(pair=pair, kind=kind, note=note, by=by, notify=notify)
    return project


def stale_cutoff():
    months = getattr(settings, "PROJECT_STALE_MONTHS", 6)
    return timezone.now() - timedelta(days=round(months * 30.44))


def stale_reminders_send() -> int:
    """One reminder to the contact of each open project not updated for PROJECT_STALE_MONTHS.

    The outbox key holds the project's last update, so a project reminded once
    is not reminded again until it is updated and goes stale anew.
    """
    months = getattr(settings, "PROJECT_STALE_MONTHS", 6)
    projects = Project.objects.open().filter(updated_at__lt=stale_cutoff()).select_related("contact")
    outgoing = [email for project in projects.iterator() if (email := emails.stale_reminder_email(project,
                                                                                             months=months))]
    return len(messages_queue(kind="coordination.stale_reminder", emails=outgoing)) if outgoing else 0
