"""The registry's pages: the list, its 3W export, a project, the form with its warnings, overlaps."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from members import permissions
from members.exports import csv_response
from members.ids import id_or_404, parse_id

from .. import rules, selectors, services
from ..forms import (
    OverlapDecisionForm,
    ProjectForm,
)
from ..models import Project, ProjectPair
from ..selectors import ProjectFilters
from .common import PAGE_SIZE


@permissions.require(permissions.VIEW_PORTAL)
def projects(request):
    filters = ProjectFilters.from_query(request.GET)
    rows = selectors.projects_list(request.user, filters)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = filters.as_query()
    return render(request, "coordination/projects.html", {
        "page": page, "filters": filters, "choices": selectors.filter_choices(),
        "query": urlencode(query),
        "organizations_count": rows.values("reporting_organization").distinct().count(),
        "stale_before": services.stale_cutoff(),
    })


@permissions.require(permissions.VIEW_PORTAL)
def projects_export(request):
    filters = ProjectFilters.from_query(request.GET)
    rows = selectors.projects_list(request.user, filters)
    stamp = timezone.localdate().isoformat()
    return csv_response(f"3w-projects-{stamp}.csv", selectors.EXPORT_HEADER, selectors.projects_export_rows(rows))


def _decision_forms(request, candidates):
    """One decision form per warning; bound only once the person has seen that warning."""
    seen = set(request.POST.getlist("seen")) if request.method == "POST" else set()
    forms = []
    for candidate in candidates:
        prefix = f"pair-{candidate.project.pk}"
        bound = str(candidate.project.pk) in seen
        forms.append((candidate, OverlapDecisionForm(request.POST if bound else None, prefix=prefix)))
    return forms


def _project_form_page(request, *, project: Project | None):
    form = ProjectForm(request.POST or None, user=request.user, project=project)
    warnings = []
    if request.method == "POST" and form.is_valid():
        organization = form.organization
        if organization is None:
            form.add_error(None, "Only people of a member organization register projects.")
        else:
            data = form.project_data()
            candidates = selectors.overlap_candidates(
                data.facts(organization_id=organization.pk, pk=project.pk if project else None)
            )
            warnings = _decision_forms(request, candidates)
            if all(f.is_bound and f.is_valid() for _, f in warnings):
                decisions = {c.project.pk: (f.cleaned_data["decision"], f.cleaned_data["note"]) for c, f in warnings}
                saved = services.project_save(organization=organization, data=data, by=request.user,
                                              project=project, decisions=decisions)
                messages.success(request, "Project saved." + (
                    f" Your decision on {len(decisions)} possible duplicate{'s' if len(decisions) > 1 else ''} "
                    "was recorded and both contacts were told." if decisions else ""))
                return redirect(saved.get_absolute_url())
    return render(request, "coordination/project_form.html", {
        "form": form, "project": project, "warnings": warnings,
    })


@permissions.require(permissions.CONTRIBUTE)
def project_create(request):
    return _project_form_page(request, project=None)


def project_edit(request, pk):
    if not permissions.can(request.user, permissions.VIEW_PORTAL):
        return permissions.deny(request)
    project = selectors.project_detail(request.user, id_or_404(pk))
    refused = permissions.require_object(request, rules.EDIT_PROJECT, project)
    if refused:
        return refused
    return _project_form_page(request, project=project)


@permissions.require(permissions.VIEW_PORTAL)
def project_detail(request, pk):
    project = selectors.project_detail(request.user, id_or_404(pk))
    pairs = selectors.project_pairs(project)
    return render(request, "coordination/project_detail.html", {
        "project": project,
        "pairs": [(pair, pair.other(project)) for pair in pairs],
        "can_see_budget": permissions.can(request.user, rules.VIEW_BUDGET, project),
        "can_edit": permissions.can(request.user, rules.EDIT_PROJECT, project),
        "decision_form": OverlapDecisionForm(),
    })


@require_POST
def pair_decide(request, pk):
    if not permissions.can(request.user, permissions.VIEW_PORTAL):
        return permissions.deny(request)
    pair = permissions.get_visible_or_404(
        request.user, ProjectPair.objects.select_related("project_a", "project_b"), pk=id_or_404(pk)
    )
    refused = permissions.require_object(request, rules.DECIDE_OVERLAP, pair)
    if refused:
        return refused
    form = OverlapDecisionForm(request.POST)
    back = parse_id(request.POST.get("project"))
    target = back if back in (pair.project_a_id, pair.project_b_id) else pair.project_a_id
    if not pair.is_current:
        messages.error(request, "These projects are no longer flagged as possible duplicates.")
    elif form.is_valid():
        services.overlap_decide(pair=pair, kind=form.cleaned_data["decision"], note=form.cleaned_data["note"],
                                by=request.user)
        messages.success(request, "Decision recorded; both contacts were told.")
    else:
        messages.error(request, "Choose what the two projects are.")
    return redirect("coordination:project", pk=target)


@permissions.require(rules.VIEW_OVERLAPS)
def overlaps(request):
    page = Paginator(selectors.open_overlaps(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "coordination/overlaps.html", {"page": page})

