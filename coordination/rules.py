"""Access rules of projects, overlaps, partner notes and policy items, registered
with ``members.permissions`` from ``CoordinationConfig.ready()``.

Members see the registry and the policy tracker; a project's budget is for
its own organization and the coordinators only; a note on an organization is
never shown to that organization's people.
"""

from django.db.models import Q

from members import permissions as p

from .models import PartnerNote, PolicyItem, PolicyStage, Project, ProjectPair

# Capabilities of this app (objects only).
VIEW_BUDGET = "coordination.view_budget"  # obj: project
EDIT_PROJECT = "coordination.edit_project"  # obj: project
DECIDE_OVERLAP = "coordination.decide_overlap"  # obj: project pair
EDIT_NOTE = "coordination.edit_note"  # obj: partner note; its author
HIDE_NOTE = "coordination.hide_note"  # obj: partner note; coordinators
EDIT_POLICY = "coordination.edit_policy"  # obj: policy item
# Role-only capabilities, added to members.permissions.ROLE_RULES by register().
VIEW_OVERLAPS = "coordination.view_overlaps"  # the co-chairs' page of open overlaps
MANAGE_POLICY = "coordination.manage_policy"  # add policy items


def _own_or_coordinator(user, project) -> bool:
    if p.is_coordinator(user):
        return True
    return p.is_member(user) and user.organization_id == project.reporting_organization_id


def _members_only(user, queryset):
    return queryset if p.is_member(user) else queryset.none()


def _pair_party(user, pair) -> bool:
    if p.is_coordinator(user):
        return True
    return p.is_member(user) and user.organization_id in (
        pair.project_a.reporting_organization_id, pair.project_b.reporting_organization_id
    )


def notes_visible(user, queryset):
    """Members see notes, never those about their own organization; hidden notes only
    their author and the coordinators."""
    if not p.is_member(user):
        return queryset.none()
    if user.organization_id:
        queryset = queryset.exclude(organization_id=user.organization_id)
    if p.is_coordinator(user):
        return queryset
    return queryset.filter(Q(hidden_at__isnull=True) | Q(author=user))


def _view_note(user, note) -> bool:
    if not p.is_member(user) or (user.organization_id and note.organization_id == user.organization_id):
        return False
    return note.hidden_at is None or p.is_coordinator(user) or note.author_id == user.pk


def register() -> None:
    p.ROLE_RULES.setdefault(VIEW_OVERLAPS, p.is_coordinator)
    p.ROLE_RULES.setdefault(MANAGE_POLICY, p.is_coordinator)
    p.register(
        Project,
        visible=_members_only,
        rules={
            p.VIEW: lambda user, project: p.is_member(user),
            VIEW_BUDGET: _own_or_coordinator,
            EDIT_PROJECT: _own_or_coordinator,
        },
    )
    p.register(
        ProjectPair,
        visible=_members_only,
        rules={p.VIEW: lambda user, pair: p.is_member(user), DECIDE_OVERLAP: _pair_party},
    )
    p.register(
        PartnerNote,
        visible=notes_visible,
        rules={
            p.VIEW: _view_note,
            EDIT_NOTE: lambda user, note: _view_note(user, note) and note.author_id == user.pk,
            HIDE_NOTE: lambda user, note: _view_note(user, note) and p.is_coordinator(user),
        },
    )
    p.register(
        PolicyItem,
        visible=_members_only,
        rules={
            p.VIEW: lambda user, item: p.is_member(user),
            EDIT_POLICY: lambda user, item: p.is_coordinator(user),
        },
    )
    p.register(PolicyStage, visible=_members_only)
