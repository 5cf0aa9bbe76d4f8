"""Reads shared by the members pages and the dashboard."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q

from .models import MembershipChange, Organization, OrganizationNote, User


def organizations_list(*, q: str = "", kind: str = "", status: str = ""):
    rows = Organization.objects.annotate(people_count=Count("people", filter=Q(people__is_active=True)))
    if q:
        rows = rows.filter(
            Q(name__icontains=q) | Q(acronym__icontains=q) | Q(country__icontains=q)
        )
    if kind:
        rows = rows.filter(kind=kind)
    if status:
        rows = rows.filter(status=status)
    return rows.order_by("name")


def organization_detail(pk: int) -> Organization:
    people = User.objects.filter(is_active=True).order_by("-is_focal_point", "full_name")
    return (
        Organization.objects.prefetch_related(
            Prefetch("people", queryset=people),
            Prefetch("membership_changes", queryset=MembershipChange.objects.select_related("changed_by")),
            Prefetch("notes", queryset=OrganizationNote.objects.select_related("author")),
        ).get(pk=pk)
    )


def group_at_a_glance() -> dict:
    """Counts of active members by kind, and who joined most recently."""
    active = Organization.objects.filter(status=Organization.Status.ACTIVE)
    counts = dict(active.values_list("kind").annotate(n=Count("pk")).values_list("kind", "n"))
    kinds = Organization.Kind
    return {
        "missions": counts.get(kinds.MISSION, 0),
        "un_agencies": counts.get(kinds.UN_AGENCY, 0),
        "ngos": counts.get(kinds.NGO, 0),
        "others": sum(n for k, n in counts.items() if k not in {kinds.MISSION, kinds.UN_AGENCY, kinds.NGO}),
        "total": sum(counts.values()),
        "cochairs": list(active.filter(is_cochair=True).order_by("name")),
        "recently_joined": list(active.exclude(joined_on=None).order_by("-joined_on", "name")[:5]),
        "invited": Organization.objects.filter(status=Organization.Status.INVITED).count(),
    }


def people_for_export():
    return User.objects.filter(is_active=True).select_related("organization").order_by(
        "organization__name", "full_name"
    )
