"""Access rules of projects, overlaps and policy items, registered with
``members.permissions`` from ``CoordinationConfig.ready()``.

Members see the registry and the policy tracker; a project's budget is for
its own organization and the coordinators only. (Notes on partner
organizations are ``members.OrganizationNote``, ruled in ``members.rules``.)
"""

from members import permissions as p

from .models import PolicyItem, PolicyStage, Project, ProjectPair

# Capabilities of this app (objects only).
VIEW_BUDGET = "coordination.view_budget"  # obj: project
EDIT_PROJECT = "coordination.edit_project"  # obj: project
DECIDE_OVERLAP = "coordination.decide_overlap"  # obj: project pair
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
        PolicyItem,
        visible=_members_only,
        rules={
            p.VIEW: lambda user, item: p.is_member(user),
            EDIT_POLICY: lambda user, item: p.is_coordinator(user),
        },
    )
    p.register(PolicyStage, visible=_members_only)
