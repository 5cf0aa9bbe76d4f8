"""The dashboard of each role: which panels each app gives it, in which order.

The one place that names the apps' dashboard functions; each returns dicts with
a ``template`` key and that template's context, and nothing when there is
nothing to act on (no placeholders)."""

from __future__ import annotations

from django.db.models import Count, Q

import briefings.panels
import coordination.panels
import meetings.panels
from members import panels as members_panels
from members import permissions
from notifications.models import Mailing, Message

FAILED_MAILINGS = 5


def failed_mailings(user) -> list[dict]:
    """Mailings the user follows with messages that failed, newest first (one query)."""
    if not permissions.can(user, permissions.VIEW_MAILING):
        return []
    failed = Q(messages__status=Message.Status.FAILED)
    rows = list(
        permissions.visible_to(user, Mailing.objects.filter(failed).distinct())
        .annotate(failed=Count("messages", filter=failed)).order_by("-created_at", "-id")[:FAILED_MAILINGS]
    )
    return [{"template": "wgportal/panels/failed_mailings.html", "mailings": rows}] if rows else []


def own_panels(user) -> list[dict]:
    """What the user's role acts on, first on the page."""
    role = permissions.role_of(user)
    if role == permissions.Role.COCHAIR:
        return [*meetings.panels.cochair_panels(user), *coordination.panels.cochair_panels(user),
                *failed_mailings(user)]
    if role == permissions.Role.SECRETARIAT:
        return [*members_panels.secretariat_panels(), *failed_mailings(user)]
    return [*briefings.panels.member_panels(user), *meetings.panels.member_panels(user)]


def group_panels(user) -> list[dict]:
    """What every member sees of the group's life, below their own work."""
    # The co-chairs' own panels show the next meeting and the overlaps already.
    cochair = permissions.role_of(user) == permissions.Role.COCHAIR
    return [
        *meetings.panels.dashboard_panels(user, next_meeting=not cochair),
        *briefings.panels.dashboard_panels(user),
        *coordination.panels.dashboard_panels(user, overlaps=not cochair),
    ]
