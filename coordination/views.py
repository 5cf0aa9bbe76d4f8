"""Pages of the registry ("who does what where"), overlaps, gaps, partner notes and the policy tracker.

Every view asks ``members.permissions``; objects a user may not know exist
answer 404. Every state change is a POST.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from briefings.models import Briefing, Document
from members import permissions
from members.exports import csv_response
from members.ids import parse_id
from members.models import Organization

from . import rules, selectors, services
from .forms import (
    OverlapDecisionForm,
    PartnerNoteForm,
    PolicyAgencyForm,
    PolicyItemForm,
    PolicyStageForm,
    ProjectForm,
)
from .models import PartnerNote, PolicyAgency, PolicyItem, PolicyStage, Project, ProjectPair
from .selectors import ProjectFilters
from .vocabularies import ActivityType, Pillar, counties

PAGE_SIZE = 50


def _pk_or_404(value) -> int:
    pk = parse_id(value)
    if pk is None:
        raise Http404("No such page")
    return pk


# --- Projects ------------------------------------------------------------------


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
    project = selectors.project_detail(request.user, _pk_or_404(pk))
    refused = permissions.require_object(request, rules.EDIT_PROJECT, project)
    if refused:
        return refused
    return _project_form_page(request, project=project)


@permissions.require(permissions.VIEW_PORTAL)
def project_detail(request, pk):
    project = selectors.project_detail(request.user, _pk_or_404(pk))
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
        request.user, ProjectPair.objects.select_related("project_a", "project_b"), pk=_pk_or_404(pk)
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


# --- Gaps ----------------------------------------------------------------------


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


# --- Partner notes -------------------------------------------------------------


@permissions.require(permissions.VIEW_PORTAL)
def notes(request):
    partners = Organization.objects.filter(status=Organization.Status.PARTNER).order_by("name")
    if request.user.organization_id:
        partners = partners.exclude(pk=request.user.organization_id)
    return render(request, "coordination/notes.html", {
        "partners": partners, "notes": selectors.notes_recent(request.user),
    })


@require_POST
@permissions.require(permissions.CONTRIBUTE)
def note_add(request, organization_pk):
    organization = permissions.get_visible_or_404(request.user, Organization.objects.all(),
                                                  pk=_pk_or_404(organization_pk))
    if organization.pk == request.user.organization_id:
        raise Http404("No such page")
    form = PartnerNoteForm(request.POST)
    if form.is_valid():
        services.note_add(organization=organization, author=request.user, text=form.cleaned_data["text"],
                          noted_on=form.cleaned_data["noted_on"])
        messages.success(request, "Note added. The people of this organization never see it.")
    else:
        messages.error(request, "A note needs a date and a text of at most 10,000 characters.")
    return redirect("members:organization", pk=organization.pk)


def _note_or_404(request, pk) -> PartnerNote:
    return permissions.get_visible_or_404(request.user, PartnerNote.objects.select_related("organization"),
                                          pk=_pk_or_404(pk))


@permissions.require(permissions.VIEW_PORTAL)
def note_edit(request, pk):
    note = _note_or_404(request, pk)
    refused = permissions.require_object(request, rules.EDIT_NOTE, note)
    if refused:
        return refused
    form = PartnerNoteForm(request.POST or None, initial={"text": note.text, "noted_on": note.noted_on})
    if request.method == "POST" and form.is_valid():
        services.note_edit(note=note, text=form.cleaned_data["text"], noted_on=form.cleaned_data["noted_on"])
        messages.success(request, "Note saved.")
        return redirect("members:organization", pk=note.organization_id)
    return render(request, "coordination/note_form.html", {"form": form, "note": note})


@require_POST
@permissions.require(permissions.VIEW_PORTAL)
def note_delete(request, pk):
    note = _note_or_404(request, pk)
    refused = permissions.require_object(request, rules.EDIT_NOTE, note)
    if refused:
        return refused
    organization_id = note.organization_id
    services.note_delete(note=note)
    messages.success(request, "Note deleted.")
    return redirect("members:organization", pk=organization_id)


@require_POST
@permissions.require(permissions.VIEW_PORTAL)
def note_hide(request, pk):
    note = _note_or_404(request, pk)
    refused = permissions.require_object(request, rules.HIDE_NOTE, note)
    if refused:
        return refused
    hide = request.POST.get("hide", "1") == "1"
    services.note_hide(note=note, by=request.user, hidden=hide)
    messages.success(request, "Note hidden from members." if hide else "Note shown again.")
    return redirect("members:organization", pk=note.organization_id)


# --- Policy tracker ------------------------------------------------------------


@permissions.require(permissions.VIEW_PORTAL)
def policies(request):
    return render(request, "coordination/policies.html", {
        "items": selectors.policy_items(request.user),
        "can_edit": permissions.can(request.user, rules.MANAGE_POLICY),
    })


def _stage_form(request, item, data=None):
    briefings = permissions.visible_to(request.user, Briefing.objects.all()).order_by("-given_on", "-id")
    documents = permissions.visible_to(request.user, Document.objects.all()).order_by("-publication_date", "-id")
    return PolicyStageForm(data, item=item, briefings=briefings.only("id", "title", "given_on"),
                           documents=documents.only("id", "title", "publication_date"))


@permissions.require(permissions.VIEW_PORTAL)
def policy_detail(request, pk):
    item = selectors.policy_item_detail(request.user, _pk_or_404(pk))
    can_edit = permissions.can(request.user, rules.EDIT_POLICY, item)
    stages = list(item.stages.all())
    briefing_ids = {s.source_briefing_id for s in stages if s.source_briefing_id}
    briefings = permissions.visible_to(request.user, Briefing.objects.filter(pk__in=briefing_ids)).select_related(
        "presenter"
    )
    return render(request, "coordination/policy_detail.html", {
        "item": item, "stages": stages, "agencies": list(item.agencies.all()), "briefings": briefings,
        "can_edit": can_edit,
        "stage_form": _stage_form(request, item) if can_edit else None,
        "agency_form": PolicyAgencyForm() if can_edit else None,
    })


def _policy_form_page(request, item: PolicyItem | None):
    initial = None
    if item is not None:
        initial = {"title": item.title, "kind": item.kind, "route": item.route, "outcome": item.outcome,
                   "description": item.description}
    form = PolicyItemForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = services.policy_item_save(by=request.user, item=item, **form.cleaned_data)
        messages.success(request, "Policy item saved.")
        return redirect(saved.get_absolute_url())
    return render(request, "coordination/policy_form.html", {"form": form, "item": item})


@permissions.require(rules.MANAGE_POLICY)
def policy_create(request):
    return _policy_form_page(request, None)


@permissions.require(permissions.VIEW_PORTAL)
def policy_edit(request, pk):
    item = selectors.policy_item_detail(request.user, _pk_or_404(pk))
    refused = permissions.require_object(request, rules.EDIT_POLICY, item)
    if refused:
        return refused
    return _policy_form_page(request, item)


def _editable_item(request, pk):
    item = permissions.get_visible_or_404(request.user, PolicyItem.objects.all(), pk=_pk_or_404(pk))
    return item, permissions.require_object(request, rules.EDIT_POLICY, item)


@require_POST
@permissions.require(permissions.VIEW_PORTAL)
def policy_stage_add(request, pk):
    item, refused = _editable_item(request, pk)
    if refused:
        return refused
    form = _stage_form(request, item, request.POST)
    if form.is_valid():
        services.policy_stage_add(item=item, by=request.user, **form.cleaned_data)
        messages.success(request, "Stage recorded.")
    else:
        messages.error(request, "The stage was not recorded: " + "; ".join(
            f"{error}" for errors in form.errors.values() for error in errors))
    return redirect(item.get_absolute_url())


@require_POST
@permissions.require(permissions.VIEW_PORTAL)
def policy_stage_delete(request, pk, stage_pk):
    item, refused = _editable_item(request, pk)
    if refused:
        return refused
    stage = PolicyStage.objects.filter(item=item, pk=_pk_or_404(stage_pk)).first()
    if stage is None:
        raise Http404("No such stage")
    services.policy_stage_delete(stage=stage)
    messages.success(request, "Stage removed.")
    return redirect(item.get_absolute_url())


@require_POST
@permissions.require(permissions.VIEW_PORTAL)
def policy_agency_add(request, pk):
    item, refused = _editable_item(request, pk)
    if refused:
        return refused
    form = PolicyAgencyForm(request.POST)
    if form.is_valid():
        services.policy_agency_add(item=item, organization=form.cleaned_data["organization"],
                                   name=form.cleaned_data["name"], role=form.cleaned_data["role"])
        messages.success(request, "Agency added.")
    else:
        messages.error(request, "Choose an agency (or give its name) and its role.")
    return redirect(item.get_absolute_url())


@require_POST
@permissions.require(permissions.VIEW_PORTAL)
def policy_agency_remove(request, pk, agency_pk):
    item, refused = _editable_item(request, pk)
    if refused:
        return refused
    agency = PolicyAgency.objects.filter(item=item, pk=_pk_or_404(agency_pk)).first()
    if agency is None:
        raise Http404("No such agency")
    services.policy_agency_remove(agency=agency)
    messages.success(request, "Agency removed.")
    return redirect(item.get_absolute_url())
