"""The policy tracker: items, their stages with sources, the agencies involved."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from briefings.models import Briefing, Document
from members import permissions
from members.ids import id_or_404

from .. import rules, selectors, services
from ..forms import (
    PolicyAgencyForm,
    PolicyItemForm,
    PolicyStageForm,
)
from ..models import PolicyAgency, PolicyItem, PolicyStage


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
    item = selectors.policy_item_detail(request.user, id_or_404(pk))
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
    item = selectors.policy_item_detail(request.user, id_or_404(pk))
    refused = permissions.require_object(request, rules.EDIT_POLICY, item)
    if refused:
        return refused
    return _policy_form_page(request, item)


def _editable_item(request, pk):
    item = permissions.get_visible_or_404(request.user, PolicyItem.objects.all(), pk=id_or_404(pk))
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
    stage = PolicyStage.objects.filter(item=item, pk=id_or_404(stage_pk)).first()
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
    agency = PolicyAgency.objects.filter(item=item, pk=id_or_404(agency_pk)).first()
    if agency is None:
        raise Http404("No such agency")
    services.policy_agency_remove(agency=agency)
    messages.success(request, "Agency removed.")
    return redirect(item.get_absolute_url())
