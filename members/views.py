import csv

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from . import hooks, permissions, selectors, services
from .forms import (
    DirectoryFilterForm,
    OrganizationForm,
    OrganizationNoteForm,
    OrganizationStatusForm,
    PersonForm,
)
from .models import Organization, User

PAGE_SIZE = 25


@permissions.require(permissions.VIEW_PORTAL)
def directory(request):
    form = DirectoryFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    rows = selectors.organizations_list(
        q=filters.get("q", "").strip(), kind=filters.get("kind", ""), status=filters.get("status", "")
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "members/directory.html",
        {"form": form, "page": page, "query": query.urlencode(), "total": page.paginator.count},
    )


@permissions.require(permissions.VIEW_PORTAL)
def organization_detail(request, pk):
    try:
        organization = selectors.organization_detail(pk)
    except Organization.DoesNotExist:
        raise Http404("No such organization")
    panels = []
    for panel in hooks.organization_panels:
        result = panel(request, organization)
        if result:
            panels.append(result)
    return render(
        request,
        "members/organization_detail.html",
        {
            "organization": organization,
            "panels": panels,
            "note_form": OrganizationNoteForm(),
            "status_form": OrganizationStatusForm(
                initial={"status": organization.status, "changed_on": timezone.localdate()}
            ),
        },
    )


@require_POST
@permissions.require(permissions.VIEW_PORTAL)
def organization_note_add(request, pk):
    organization = get_object_or_404(Organization, pk=pk)
    form = OrganizationNoteForm(request.POST)
    if form.is_valid() and form.cleaned_data["text"].strip():
        services.note_add(organization=organization, author=request.user, text=form.cleaned_data["text"])
        messages.success(request, "Note added.")
    else:
        messages.error(request, "A note cannot be empty.")
    return redirect("members:organization", pk=pk)


@require_POST
@permissions.require(permissions.MANAGE_DIRECTORY)
def organization_status(request, pk):
    organization = get_object_or_404(Organization, pk=pk)
    form = OrganizationStatusForm(request.POST)
    if form.is_valid():
        services.organization_status_set(
            organization=organization, status=form.cleaned_data["status"], by=request.user,
            on=form.cleaned_data["changed_on"], note=form.cleaned_data["note"],
        )
        messages.success(request, "Membership status updated.")
    else:
        messages.error(request, "The status change was not saved: " + "; ".join(
            f"{field}: {' '.join(errors)}" for field, errors in form.errors.items()))
    return redirect("members:organization", pk=pk)


@permissions.require(permissions.MANAGE_DIRECTORY)
def organization_create(request):
    form = OrganizationForm(request.POST or None)
    status_form = OrganizationStatusForm(
        request.POST or None, initial={"status": Organization.Status.INVITED, "changed_on": timezone.localdate()},
        prefix="status",
    )
    if request.method == "POST" and form.is_valid() and status_form.is_valid():
        organization = services.organization_create(
            by=request.user, status=status_form.cleaned_data["status"],
            status_on=status_form.cleaned_data["changed_on"], **form.cleaned_data,
        )
        messages.success(request, f"{organization.name} added to the directory.")
        return redirect("members:organization", pk=organization.pk)
    return render(request, "members/organization_form.html", {"form": form, "status_form": status_form})


@permissions.require(permissions.MANAGE_DIRECTORY)
def organization_edit(request, pk):
    organization = get_object_or_404(Organization, pk=pk)
    form = OrganizationForm(request.POST or None, instance=organization)
    if request.method == "POST" and form.is_valid():
        services.organization_update(organization=organization, by=request.user, **form.cleaned_data)
        messages.success(request, "Organization saved.")
        return redirect("members:organization", pk=organization.pk)
    return render(request, "members/organization_form.html", {"form": form, "organization": organization})


@permissions.require(permissions.MANAGE_DIRECTORY)
def person_create(request):
    organization = None
    if request.GET.get("organization", "").isdigit():
        organization = Organization.objects.filter(pk=request.GET["organization"]).first()
    form = PersonForm(request.POST or None, organization=organization)
    if request.method == "POST" and form.is_valid():
        person = services.person_create(by=request.user, **form.cleaned_data)
        messages.success(request, f"{person} added; a welcome email with a link to set a password is on its way.")
        return _back_to_directory(person)
    return render(request, "members/person_form.html", {"form": form})


@permissions.require(permissions.MANAGE_DIRECTORY)
def person_edit(request, pk):
    person = get_object_or_404(User, pk=pk)
    form = PersonForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid():
        services.person_update(person=person, by=request.user, **form.cleaned_data)
        messages.success(request, f"{person} saved.")
        return _back_to_directory(person)
    return render(request, "members/person_form.html", {"form": form, "person": person})


def _back_to_directory(person):
    if person.organization_id:
        return redirect("members:organization", pk=person.organization_id)
    return redirect("members:directory")


@permissions.require(permissions.EXPORT_DIRECTORY)
def directory_export(request):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="working-group-directory.csv"'
    writer = csv.writer(response)
    writer.writerow(["Organization", "Acronym", "Kind", "Country", "Status", "Co-chair", "Joined",
                     "Name", "Title", "Email", "Phone", "Focal point"])
    for person in selectors.people_for_export():
        org = person.organization
        writer.writerow([
            _cell(org.name) if org else "", _cell(org.acronym) if org else "",
            org.get_kind_display() if org else "", _cell(org.country) if org else "",
            org.get_status_display() if org else "", "yes" if org and org.is_cochair else "",
            org.joined_on.isoformat() if org and org.joined_on else "",
            _cell(person.full_name), _cell(person.title), person.email, _cell(person.phone),
            "yes" if person.is_focal_point else "",
        ])
    for org in Organization.objects.filter(people=None).order_by("name"):
        writer.writerow([_cell(org.name), _cell(org.acronym), org.get_kind_display(), _cell(org.country),
                         org.get_status_display(), "yes" if org.is_cochair else "",
                         org.joined_on.isoformat() if org.joined_on else "", "", "", "", "", ""])
    return response


def _cell(value: str) -> str:
    """Keep spreadsheet programs from running a cell as a formula."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value
