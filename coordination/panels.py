"""What this app adds to pages it does not own: the organization page (through
``members.hooks``) and the dashboard (called by ``wgportal.views``)."""

from __future__ import annotations

from members import permissions
from members import rules as members_rules
from members.forms import OrganizationNoteForm

from . import rules, selectors


def dashboard_overlaps_count(user) -> int | None:
    """Open overlaps, for the co-chairs' dashboard; ``None`` for those who do not follow them."""
    if not permissions.can(user, rules.VIEW_OVERLAPS):
        return None
    return selectors.open_overlaps(user).count()


def recent_policy_moves(user, *, limit: int = 5) -> list:
    """Policy items that moved lately (their newest recorded stages)."""
    if not permissions.can(user, permissions.VIEW_PORTAL):
        return []
    return list(selectors.policy_moves_recent(user, limit=limit))


def cochair_panels(user) -> list[dict]:
    """The co-chairs' own work: open overlaps between projects to decide (none: no card)."""
    overlaps = dashboard_overlaps_count(user)
    if not overlaps:
        return []
    return [{"template": "wgportal/panels/overlaps.html", "overlaps": overlaps}]


def dashboard_panels(user, *, overlaps: bool = True) -> list[dict]:
    """The dashboard's coordination card: dicts with a ``template`` key, like the other apps' panels.
    ``overlaps=False`` for the co-chairs, whose own panels count them (``cochair_panels``)."""
    if not permissions.can(user, permissions.VIEW_PORTAL):
        return []
    overlaps, moves = dashboard_overlaps_count(user) if overlaps else None, recent_policy_moves(user)
    if overlaps is None and not moves:
        return []
    return [{"template": "coordination/_dashboard.html", "overlaps": overlaps, "moves": moves}]


def organization_panel(request, organization):
    """The organization page's one section of notes (never for its own people: not even
    its heading) and a link to the projects it reports (one query at most: the notes)."""
    user = request.user
    if not permissions.can(user, permissions.VIEW_PORTAL):
        return None
    own = bool(user.organization_id) and user.organization_id == organization.pk
    return "coordination/_organization_notes.html", {
        "organization": organization,
        "notes": [] if own else list(selectors.notes_about(user, organization)),
        "form": OrganizationNoteForm() if permissions.can(user, members_rules.ADD_NOTE, organization) else None,
        "show_notes": not own,
    }
