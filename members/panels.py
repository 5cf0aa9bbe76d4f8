"""What the members app adds to pages it does not own: the dashboard's
membership chart and the group at a glance."""

from __future__ import annotations

import datetime

from django.utils import timezone

from . import cache as portal_cache
from . import selectors
from .selectors import CHART_KINDS

CHART_COLOURS = ["#1b4f72", "#2e86c1", "#20c997", "#f39c12"]


# Past this many months a month-by-month axis is a blur of labels: one point a year.
YEARLY_AFTER_MONTHS = 36
# Months of unchanged membership the chart still shows after the last change.
TAIL_MONTHS = 2


def dashboard_context() -> dict:
    """What the dashboard shows of the membership, for every member."""
    chart = membership_chart()
    return {"glance": selectors.group_at_a_glance(), "membership_chart": chart,
            "membership_chart_note": chart.pop("note", "")}


def _chart_range(months: list, series: dict) -> tuple[list, dict, str]:
    """Cut the unchanged years off the end (a group whose membership has not
    moved since 2007 does not need twenty years of flat line), then thin the
    axis to one point a year when the span is long."""
    last_change = 0
    for index in range(1, len(months)):
        if any(values[index] != values[index - 1] for values in series.values()):
            last_change = index
    note = ""
    end = min(len(months), last_change + TAIL_MONTHS + 1)
    if end < len(months):
        note = f"Unchanged since {months[last_change].strftime('%B %Y')}."
        months, series = months[:end], {label: values[:end] for label, values in series.items()}
    if len(months) <= YEARLY_AFTER_MONTHS:
        return [month.strftime("%b %Y") for month in months], series, note
    # The last month of each year (or the latest month of the current one).
    keep = [i for i, month in enumerate(months) if month.month == 12 or i == len(months) - 1]
    return ([str(months[i].year) for i in keep],
            {label: [values[i] for i in keep] for label, values in series.items()}, note)


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
    areas, month by month or year by year, with a ``note`` when the range stops
    before today because nothing changed since. Rebuilding 240 months of history took
    half of the dashboard's time: it is cached until an organization or its membership
    changes (``members.cache``, scope "membership"), and for the day."""
    until = until or timezone.localdate()
    return portal_cache.cached("membership", f"chart:{until.isoformat()}", lambda: _membership_chart(until=until))


def _membership_chart(*, until: datetime.date) -> dict:
    data = selectors.membership_by_month(until=until)
    labels, series, note = _chart_range(data["months"], data["series"])
    return {
        "type": "line",
        "note": note,
        "data": {
            "labels": labels,
            "datasets": [
                {"label": label, "data": series[label], "borderColor": colour, "backgroundColor": colour,
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
