"""The gap matrix: organizations active per activity (or pillar) and county."""

from __future__ import annotations

from django.shortcuts import render
from django.utils.http import urlencode

from members import permissions

from .. import selectors
from ..selectors import ProjectFilters
from ..vocabularies import ActivityType, Pillar, counties


@permissions.require(permissions.VIEW_PORTAL)
def gaps(request):
    filters = ProjectFilters.from_query(request.GET)
    by = "pillar" if request.GET.get("by") == "pillar" else "activity"
    matrix = selectors.gaps_matrix(request.user, filters, by=by)
    base = filters.as_query(activity="", pillar="", county="")
    table = []
    for key, label in matrix.rows:
        cells = []
        for code, _ in matrix.columns:
            cell = matrix.cells.get((key, code), {"organizations": 0, "projects": 0})
            link = {**base, ("pillar" if by == "pillar" else "activity"): key, "county": code}
            shade = 0 if not cell["organizations"] else min(4, cell["organizations"])
            cells.append({**cell, "query": urlencode(link), "shade": shade})
        table.append((label, cells))
    return render(request, "coordination/gaps.html", {
        "matrix": matrix, "table": table, "by": by, "filters": filters,
        "choices": selectors.filter_choices(), "county_names": counties(),
        "activities": ActivityType.choices, "pillars": Pillar.choices,
    })

