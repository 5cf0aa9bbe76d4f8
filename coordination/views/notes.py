"""The pages of members' notes on partner organizations: the recent notes, and the
add, edit, delete and hide of one. The notes are ``members.OrganizationNote``, with
their rules (``members.rules``) and writes (``members.services``); the organization
page shows them through this app's panel."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from members import permissions
from members import rules as members_rules
from members import services as members_services
from members.forms import OrganizationNoteForm
from members.ids import id_or_404
from members.models import Organization, OrganizationNote

from .. import selectors


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
                                                  pk=id_or_404(organization_pk))
    if not permissions.can(request.user, members_rules.ADD_NOTE, organization):
        # Its own people: notes on their organization do not exist for them.
        raise Http404("No such page")
    form = OrganizationNoteForm(request.POST)
    if form.is_valid():
        members_services.note_add(organization=organization, author=request.user, text=form.cleaned_data["text"],
                                  noted_on=form.cleaned_data["noted_on"])
        messages.success(request, "Note added. The people of this organization never see it.")
    else:
        messages.error(request, "A note needs a date and a text of at most 10,000 characters.")
    return redirect("members:organization", pk=organization.pk)


def _note_or_404(request, pk) -> OrganizationNote:
    return permissions.get_visible_or_404(request.user, OrganizationNote.objects.select_related("organization"),
                                          pk=id_or_404(pk))


@permissions.require(permissions.VIEW_PORTAL)
def note_edit(request, pk):
    note = _note_or_404(request, pk)
    refused = permissions.require_object(request, members_rules.EDIT_NOTE, note)
    if refused:
        return refused
    form = OrganizationNoteForm(request.POST or None, initial={"text": note.text, "noted_on": note.noted_on})
    if request.method == "POST" and form.is_valid():
        members_services.note_edit(note=note, text=form.cleaned_data["text"], noted_on=form.cleaned_data["noted_on"])
        messages.success(request, "Note saved.")
        return redirect("members:organization", pk=note.organization_id)
    return render(request, "coordination/note_form.html", {"form": form, "note": note})


@require_POST
@permissions.require(permissions.VIEW_PORTAL)
def note_delete(request, pk):
    note = _note_or_404(request, pk)
    refused = permissions.require_object(request, members_rules.EDIT_NOTE, note)
    if refused:
        return refused
    organization_id = note.organization_id
    members_services.note_delete(note=note)
    messages.success(request, "Note deleted.")
    return redirect("members:organization", pk=organization_id)


@require_POST
@permissions.require(permissions.VIEW_PORTAL)
def note_hide(request, pk):
    note = _note_or_404(request, pk)
    refused = permissions.require_object(request, members_rules.HIDE_NOTE, note)
    if refused:
        return refused
    hide = request.POST.get("hide", "1") == "1"
    members_services.note_hide(note=note, by=request.user, hidden=hide)
    messages.success(request, "Note hidden from members." if hide else "Note shown again.")
    return redirect("members:organization", pk=note.organization_id)
