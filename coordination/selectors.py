"""Reads shared by the coordination pages, the dashboard and the panels on other apps' pages.

Every list starts from ``members.permissions.visible_to``. The list, its CSV
export and the gap matrix filter with the same ``ProjectFilters``, so that a
cell of the matrix and the list it links to count the same projects.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, timedelta

from django.db import connection
from django.db.models import Case, CharField, Count, F, Prefetch, Q, Value, When
from django.utils import timezone

from members import permissions
from members.ids import parse_id
from members.models import Organization, OrganizationNote

from .models import (
    PolicyAgency,
    PolicyItem,
    PolicyStage,
    Project,
    ProjectLocation,
    ProjectPair,
    ProjectParticipant,
)
from .overlaps import Assessment, ProjectFacts, assess, fingerprint
from .vocabularies import (
    DAC_SECTORS,
    NATIONAL,
    PILLAR_OF_ACTIVITY,
    ActivityType,
    BeneficiaryGroup,
    ParticipantRole,
    Pillar,
    ProjectStatus,
    activities_of_pillar,
    counties,
)

# --- Filters -------------------------------------------------------------------


def _parse_date(value) -> date | None:
    try:
        return date.fromisoformat(str(value or "").strip()[:10])
    except ValueError:
        return None


@dataclass(frozen=True)
class ProjectFilters:
    """The list's filters, parsed from a query string; anything unknown is ignored."""

    activity: str = ""
    pillar: str = ""
    sector: str = ""
    county: str = ""
    funder: int | None = None
    status: int | None = None
    organization: int | None = None
    beneficiary: str = ""
    date_from: date | None = None
    date_to: date | None = None
    q: str = ""

    @classmethod
    def from_query(cls, query) -> ProjectFilters:
        def pick(name, allowed):
            value = str(query.get(name, "") or "")
            return value if value in allowed else ""

        status = parse_id(query.get("status"))
        return cls(
            activity=pick("activity", set(ActivityType.values)),
            pillar=pick("pillar", set(Pillar.values)),
            sector=pick("sector", set(DAC_SECTORS)),
            county=pick("county", {NATIONAL, *counties()}),
            funder=parse_id(query.get("funder")),
            status=status if status in ProjectStatus.values else None,
            organization=parse_id(query.get("organization")),
            beneficiary=pick("beneficiary", set(BeneficiaryGroup.values)),
            date_from=_parse_date(query.get("date_from")),
            date_to=_parse_date(query.get("date_to")),
            q=str(query.get("q", "") or "").strip()[:200],
        )

    def as_query(self, **changes) -> dict:
        """The filters as query-string values (for links and the export)."""
        values = {**asdict(self), **changes}
        return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in values.items() if v not in ("", None)}

    @property
    def is_empty(self) -> bool:
        return not self.as_query()


def projects_filter(rows, filters: ProjectFilters, *, for_matrix: bool = False):
    """Apply ``filters``; the matrix leaves out activity, pillar and county (they are its axes)."""
    if not for_matrix:
        if filters.activity:
            rows = rows.filter(activity_type=filters.activity)
        if filters.pillar:
            rows = rows.filter(activity_type__in=activities_of_pillar(filters.pillar))
        if filters.county:
            rows = rows.filter(locations__code=filters.county)
    if filters.sector:
        rows = rows.filter(sectors__code=filters.sector)
    if filters.funder:
        rows = rows.filter(
            participants__role=ParticipantRole.FUNDING, participants__organization_id=filters.funder
        )
    if filters.status:
        rows = rows.filter(status=filters.status)
    if filters.organization:
        rows = rows.filter(reporting_organization_id=filters.organization)
    if filters.beneficiary:
        rows = rows.filter(beneficiaries__group=filters.beneficiary)
    # Active in the window: starts before it ends and ends after it starts.
    if filters.date_to:
        rows = rows.filter(span_start__lte=filters.date_to)
    if filters.date_from:
        rows = rows.filter(span_end__gte=filters.date_from)
    if filters.q:
        rows = rows.filter(Q(title__icontains=filters.q) | Q(description__icontains=filters.q))
    return rows


def projects_with_details(rows):
    return rows.select_related("reporting_organization", "contact").prefetch_related(
        "locations", "sectors", "beneficiaries",
        Prefetch("participants", queryset=ProjectParticipant.objects.select_related("organization")),
    )


def projects_list(user, filters: ProjectFilters):
    """The projects the user may see, filtered, each once, with what the list shows."""
    ids = projects_filter(permissions.visible_to(user, Project.objects.all()), filters).values("pk")
    return projects_with_details(Project.objects.filter(pk__in=ids)).order_by("-updated_at", "-id")


def project_detail(user, pk: int) -> Project:
    return permissions.get_visible_or_404(user, projects_with_details(Project.objects.all()), pk=pk)


def project_pairs(project: Project) -> list[ProjectPair]:
    """The pairs of ``project`` worth showing: flagged today, or decided."""
    rows = (
        ProjectPair.objects.filter(Q(project_a=project) | Q(project_b=project))
        .filter(Q(is_current=True) | ~Q(decision=""))
        .select_related(
            "project_a__reporting_organization", "project_a__contact",
            "project_b__reporting_organization", "project_b__contact", "decided_by__organization",
        )
    )
    return list(rows)


def filter_choices() -> dict:
    return {
        "activities": ActivityType.choices,
        "pillars": Pillar.choices,
        "sectors": sorted(DAC_SECTORS.items()),
        "counties": [(NATIONAL, "National")] + list(counties().items()),
        "statuses": ProjectStatus.choices,
        "beneficiaries": BeneficiaryGroup.choices,
        "organizations": Organization.objects.filter(coordination_projects__isnull=False)
        .distinct().order_by("name").only("id", "name"),
        "funders": Organization.objects.filter(
            pk__in=ProjectParticipant.objects.filter(role=ParticipantRole.FUNDING, organization__isnull=False)
            .values("organization_id")
        ).order_by("name").only("id", "name"),
    }


# --- Export (the usual 3W columns) --------------------------------------------

EXPORT_HEADER = [
    "Project ID", "IATI identifier", "Title", "Reporting organization", "Funders", "Implementing partners",
    "Activity type", "Pillar", "Sectors (DAC)", "Beneficiary groups", "Counties (ISO 3166-2)", "County names",
    "Status", "Start", "End", "Contact", "Last updated",
]


def projects_export_rows(projects):
    for project in projects:
        participants = list(project.participants.all())
        locations = list(project.locations.all())
        yield [
            project.pk, project.iati_identifier, project.title, project.reporting_organization.name,
            "; ".join(p.display_name for p in participants if p.role == ParticipantRole.FUNDING),
            "; ".join(p.display_name for p in participants if p.role == ParticipantRole.IMPLEMENTING),
            project.get_activity_type_display(),
            dict(Pillar.choices).get(PILLAR_OF_ACTIVITY.get(project.activity_type), ""),
            "; ".join(s.code for s in project.sectors.all()),
            "; ".join(b.get_group_display() for b in project.beneficiaries.all()),
            "; ".join(loc.code for loc in locations),
            "; ".join(loc.name for loc in locations),
            project.get_status_display(), project.start or "", project.end or "",
            project.contact_display, timezone.localtime(project.updated_at).date(),
        ]


# --- Gaps ----------------------------------------------------------------------


@dataclass
class Matrix:
    rows: list[tuple[str, str]]  # (key, label)
    columns: list[tuple[str, str]]  # (code, label)
    cells: dict[tuple[str, str], dict]  # (row, column) -> {"organizations": n, "projects": n}
    max_organizations: int


def gaps_matrix(user, filters: ProjectFilters, *, by: str = "activity") -> Matrix:
    """Organizations (and projects) active per activity (or pillar) and place, in one query."""
    projects = projects_filter(permissions.visible_to(user, Project.objects.all()), filters, for_matrix=True)
    locations = ProjectLocation.objects.filter(project__in=projects.values("pk"))
    if by == "pillar":
        rows = list(Pillar.choices)
        locations = locations.annotate(row=Case(
            *[When(project__activity_type=activity, then=Value(str(pillar)))
              for activity, pillar in PILLAR_OF_ACTIVITY.items()],
            default=Value(""), output_field=CharField(),
        ))
    else:
        rows = list(ActivityType.choices)
        locations = locations.annotate(row=F("project__activity_type"))
    counts = locations.values("row", "code").annotate(
        organizations=Count("project__reporting_organization", distinct=True),
        projects=Count("project", distinct=True),
    )
    cells = {
        (row["row"], row["code"]): {"organizations": row["organizations"], "projects": row["projects"]}
        for row in counts
    }
    columns = [(NATIONAL, "National")] + list(counties().items())
    top = max((cell["organizations"] for cell in cells.values()), default=0)
    return Matrix(rows=rows, columns=columns, cells=cells, max_organizations=top)


# --- Overlaps ------------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    project: Project
    assessment: Assessment
    fingerprint: str


def _similarities(title: str, rows) -> dict[int, float]:
    if connection.vendor != "postgresql" or not title:
        return {}
    from django.contrib.postgres.search import TrigramSimilarity

    return dict(rows.annotate(similarity=TrigramSimilarity("title", title)).values_list("pk", "similarity"))


def overlap_candidates(facts: ProjectFacts, *, include_decided: bool = False) -> list[Candidate]:
    """Other organizations' open projects that may duplicate ``facts``, strongest first.

    Pairs decided on the same dates and places are left out unless ``include_decided``.
    """
    if not facts.is_open:
        return []
    rows = (
        Project.objects.open()
        .filter(activity_type=facts.activity_type)
        .exclude(reporting_organization_id=facts.organization_id)
    )
    if facts.pk:
        rows = rows.exclude(pk=facts.pk)
    similarities = _similarities(facts.title, rows)
    found = []
    for project in projects_with_details(rows):
        other = ProjectFacts.of(project)
        result = assess(facts, other, similarity=similarities.get(project.pk))
        if result is not None:
            found.append(Candidate(project=project, assessment=result, fingerprint=fingerprint(facts, other)))
    if facts.pk and found and not include_decided:
        decided = {
            (pair.project_a_id, pair.project_b_id): pair.decided_fingerprint
            for pair in ProjectPair.objects.filter(Q(project_a_id=facts.pk) | Q(project_b_id=facts.pk))
            .exclude(decision="").only("project_a_id", "project_b_id", "decided_fingerprint")
        }
        found = [
            c for c in found
            if decided.get(tuple(sorted((facts.pk, c.project.pk)))) != c.fingerprint
        ]
    found.sort(key=lambda c: c.assessment.sort_key, reverse=True)
    return found


def open_overlaps(user):
    """Pairs flagged and not decided on their current dates and places (the co-chairs' page)."""
    return permissions.visible_to(user, ProjectPair.objects.filter(is_open=True)).select_related(
        "project_a__reporting_organization", "project_a__contact",
        "project_b__reporting_organization", "project_b__contact",
    ).order_by("-score", "-id")


# --- Partner notes (members.OrganizationNote, ruled by members.rules) ---------


def notes_about(user, organization):
    return permissions.visible_to(user, OrganizationNote.objects.filter(organization=organization)).select_related(
        "author", "author_organization", "hidden_by"
    )


def notes_recent(user, *, limit: int = 50):
    return permissions.visible_to(user, OrganizationNote.objects.all()).select_related(
        "organization", "author", "author_organization", "hidden_by"
    )[:limit]


# --- Policy tracker ------------------------------------------------------------


def policy_items(user):
    return permissions.visible_to(user, PolicyItem.objects.all()).order_by("-current_stage_on", "title")


def policy_item_detail(user, pk: int) -> PolicyItem:
    return permissions.get_visible_or_404(
        user,
        PolicyItem.objects.prefetch_related(
            Prefetch("stages", queryset=PolicyStage.objects.select_related(
                "source_briefing__presenter", "source_document", "recorded_by"
            )),
            Prefetch("agencies", queryset=PolicyAgency.objects.select_related("organization")),
        ),
        pk=pk,
    )


def policy_moves_recent(user, *, days: int = 60, limit: int = 5):
    """Stages recorded lately, newest first (the dashboard's "policy moves")."""
    since = timezone.now() - timedelta(days=days)
    return permissions.visible_to(user, PolicyStage.objects.filter(created_at__gte=since)).select_related(
        "item", "source_briefing", "source_document"
    ).order_by("-created_at", "-id")[:limit]
