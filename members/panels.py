"""What the members app adds to pages it does not own: the dashboard's
membership chart and the group at a glance."""

from __future__ import annotations

import datetime

from django.utils import timezone

from . import cache as portal_cache
from . import selectors
from .selectors import CHART_KINDS

CHART_COLOURS = ["#1b4f72", "#2e86c1", "#20c997", "#f39c12"]


def dashboard_context() -> dict:
    """What the dashboard shows of the membership, for every member."""
    return {"glance": selectors.group_at_a_glance(), "membership_chart": membership_chart()}


DASHBOARD_LIMIT = 8


def secretariat_panels() -> list[dict]:
    """The secretariat's work on the membership: invitations pending and about to
    expire, member organizations nobody can be written to, who joined lately.
    Six queries at most, however many rows there are."""
    panels = []
    pending = selectors.invitations_pending().count()
    expiring = list(selectors.invitations_expiring()[:DASHBOARD_LIMIT + 1])
    panels.append({"template": "wgportal/panels/invitations.html", "pending": pending,
                   "expiring": expiring[:DASHBOARD_LIMIT], "expiring_more": len(expiring) > DASHBOARD_LIMIT})
    without = selectors.organizations_without_contact()
    shown = list(without[:DASHBOARD_LIMIT])
    if shown:
        panels.append({"template": "wgportal/panels/without_contact.html", "organizations": shown,
                       "total": without.count()})
    joins = list(selectors.joins_recent()[:DASHBOARD_LIMIT])
    if joins:
        panels.append({"template": "wgportal/panels/recent_joins.html", "joins": joins})
    return panels


def membership_chart(*, until: datetime.date | None = None) -> dict:
    """The Chart.js configuration of the dashboard's membership chart: stacked
    areas, which stay readable over many years of months. Rebuilding 240 months of
    history took half of the dashboard's time: it is cached until an organization or
    its membership changes (``members.cache``, scope "membership"), and for the day."""
    until = until or timezone.localdate()
    return portal_cache.cached("membership", f"chart:{until.isoformat()}", lambda: _membership_chart(until=until))


def _membership_chart(*, until: datetime.date) -> dict:
    data = selectors.membership_by_month(until=until)
    return {
        "type": "line",
        "data": {
            "labels": [month.strftime("%b %Y") for month in data["months"]],
            "datasets": [
                {"label": label, "data": data["series"][label], "borderColor": colour, "backgroundColor": colour,
                 "fill": True, "stepped": True, "pointRadius": 0, "borderWidth": 1}
                for (label, _), colour in zip(CHART_KINDS, CHART_COLOURS, strict=False)
            ],
        },
        "options": {
            "interaction": {"mode": "index", "intersect": False},
            "plugins": {"legend": {"position": "bottom"}},
            "scales": {"x": {"ticks": {"autoSkip": True, "maxTicksLimit": 12}},
                       "y": {"stacked": True, "beginAtZero": True, "ticks": {"precision": 0}}},
        },
    }
