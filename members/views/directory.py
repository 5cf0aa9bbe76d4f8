"""The directory: the list of organizations, an organization's page, its edits, the export."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from .. import hooks, permissions, selectors, services
from ..exports import csv_response
from ..forms import DirectoryFilterForm, OrganizationForm, OrganizationStatusForm
from ..ids import id_or_404
from ..models import Organization

PAGE_SIZE = 25


def organization_visible_or_404(request, pk):
    return permissions.get_visible_or_404(request.user, Organization.objects.all(), pk=id_or_404(pk))


@permissions.require(permissions.VIEW_PORTAL)
def directory(request):
    form = DirectoryFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    rows = permissions.visible_to(request.user, selectors.organizations_list(
        q=filters.get("q", "").strip(), kind=filters.get("kind", ""), status=filters.get("status", "")
    ))
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
    organization = permissions.get_visible_or_404(request.user, selectors.organizations_with_details(),
                                                  pk=id_or_404(pk))
    panels = []
    for panel in hooks.organization_panels:
        result = panel(request, organization)
        if result:
            panels.append(result)
    may_invite = permissions.can(request.user, permissions.INVITE_COLLEAGUES, organization)
    invitations = []
    if may_invite:
        invitations = list(permissions.visible_to(
            request.user, selectors.invitations_list(organization=organization))[:20])
    return render(
        request,
        "members/organization_detail.html",
        {
            "organization": organization,
            "panels": panels,
            "may_invite": may_invite,
            "invitations": invitations,
            "status_form": OrganizationStatusForm(
                initial={"status": organization.status, "changed_on": timezone.localdate()}
            ),
        },
    )


@require_POST
@permissions.require(permissions.MANAGE_DIRECTORY)
def organization_status(request, pk):
    organization = organization_visible_or_404(request, pk)
    if not permissions.can(request.user, permissions.MANAGE_DIRECTORY, organization):
        return permissions.deny(request)
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
    return redirect("members:organization", pk=organization.pk)


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
    organization = organization_visible_or_404(request, pk)
    if not permissions.can(request.user, permissions.MANAGE_DIRECTORY, organization):
        return permissions.deny(request)
    form = OrganizationForm(request.POST or None, instance=organization)
    if request.method == "POST" and form.is_valid():
        services.organization_update(organization=organization, by=request.user, **form.cleaned_data)
        messages.success(request, "Organization saved.")
        return redirect("members:organization", pk=organization.pk)
    return render(request, "members/organization_form.html", {"form": form, "organization": organization})


EXPORT_HEADER = ["Organization", "Acronym", "Kind", "Country", "Status", "Co-chair", "Joined",
                 "Name", "Title", "Email", "Phone", "Focal point"]


def _organization_cells(org) -> list:
    if org is None:
        return [""] * 7
    return [org.name, org.acronym, org.get_kind_display(), org.country, org.get_status_display(),
            "yes" if org.is_cochair else "", org.joined_on.isoformat() if org.joined_on else ""]


@permissions.require(permissions.EXPORT_DIRECTORY)
def directory_export(request):
    people = permissions.visible_to(request.user, selectors.people_for_export())
    empty = permissions.visible_to(request.user, selectors.organizations_without_people())
    rows = [
        *([*_organization_cells(person.organization), person.full_name, person.title, person.email, person.phone,
           "yes" if person.is_focal_point else ""] for person in people),
        *([*_organization_cells(org), "", "", "", "", ""] for org in empty),
    ]
    return csv_response("working-group-directory.csv", EXPORT_HEADER, rows)
