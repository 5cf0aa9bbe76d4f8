import csv

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from notifications import services as outbox
from notifications.models import Mailing

from . import hooks, permissions, selectors, services
from .forms import (
    DeclineForm,
    DirectoryFilterForm,
    InvitationFilterForm,
    InviteColleaguesForm,
    InviteOrganizationForm,
    OrganizationForm,
    OrganizationNoteForm,
    OrganizationStatusForm,
    PersonForm,
)
from .models import Invitation, Organization, User
from .navigation import next_url
from .session import invitation_forget, invitation_remember

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
    may_invite = permissions.can(request.user, permissions.INVITE_COLLEAGUES, organization)
    return render(
        request,
        "members/organization_detail.html",
        {
            "organization": organization,
            "panels": panels,
            "may_invite": may_invite,
            "invitations": list(selectors.invitations_list(organization=organization)[:20]) if may_invite else [],
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


# --- Invitations: the secretariat's side ----------------------------------------------


def _id(value) -> int | None:
    """A row id from a query string or form, or None for anything else (SQLite
    refuses integers beyond 64 bits rather than finding nothing)."""
    value = (value or "").strip()
    return int(value) if value.isdigit() and len(value) <= 18 else None

INVITATION_PAGE_SIZE = 50


@permissions.require(permissions.MANAGE_INVITATIONS)
def invitations(request):
    form = InvitationFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    rows = selectors.invitations_list(state=filters.get("state", ""), q=filters.get("q", "").strip())
    page = Paginator(rows, INVITATION_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("sent", None)
    mailing = None
    if _id(request.GET.get("sent")):
        mailing = Mailing.objects.filter(pk=_id(request.GET["sent"]), created_by=request.user).first()
    return render(request, "members/invitations.html", {
        "form": form, "page": page, "query": query.urlencode(), "state": filters.get("state", ""),
        "counts": selectors.invitation_state_counts(),
        "mailing": mailing, "progress": outbox.mailing_progress(mailing) if mailing else None,
        "reminder_days": settings.INVITATION_REMINDER_DAYS,
    })


def _invite(request, *, form, organization_for, kind, template, context):
    """Shared by both invite pages: "Preview" shows the email, "Send" sends it."""
    preview = None
    if request.method == "POST" and form.is_valid():
        organization = organization_for(form.cleaned_data)
        contacts = form.cleaned_data["contacts"]
        if request.POST.get("action") == "send":
            with transaction.atomic():
                if organization.pk is None:
                    organization = services.organization_create(
                        by=request.user, name=organization.name, acronym=organization.acronym,
                        kind=organization.kind, country=organization.country,
                    )
                mailing, sent, skipped = services.invitations_send(
                    organization=organization, contacts=contacts, message=form.cleaned_data["message"],
                    by=request.user, kind=kind,
                )
            if skipped:
                messages.warning(request, "Already invited and not yet answered (resend from the list instead): "
                                 + ", ".join(skipped))
            if sent:
                messages.success(request, f"Invitation sent to {len(sent)} contact{pluralize(len(sent))} "
                                 f"of {organization.name}.")
            if kind == Invitation.Kind.COLLEAGUE or not permissions.can(request.user, permissions.MANAGE_INVITATIONS):
                return redirect("members:organization", pk=organization.pk)
            url = reverse("members:invitations")
            return redirect(f"{url}?sent={mailing.pk}" if mailing else url)
        first = contacts[0]
        sample = Invitation(organization=organization, kind=kind, email=first.email, full_name=first.full_name,
                            message=form.cleaned_data["message"].strip(), invited_by=request.user)
        preview = {
            "email": services.invitation_email(invitation=sample, link=settings.SITE_URL + "/members/join/…/"),
            "count": len(contacts), "organization": organization,
        }
    return render(request, template, {"form": form, "preview": preview, **context})


@permissions.require(permissions.MANAGE_INVITATIONS)
def invitation_new(request):
    initial = {}
    if _id(request.GET.get("organization")):
        initial["organization"] = Organization.objects.filter(pk=_id(request.GET["organization"])).first()

    def organization_for(data):
        if data.get("organization"):
            return data["organization"]
        return Organization(name=data["new_name"].strip(), acronym=data["new_acronym"].strip(),
                            kind=data["new_kind"], country=data["new_country"].strip())

    form = InviteOrganizationForm(request.POST or None, initial=initial)
    return _invite(request, form=form, organization_for=organization_for, kind=Invitation.Kind.ORGANIZATION,
                   template="members/invitation_form.html", context={})


def organization_invite(request, pk):
    organization = Organization.objects.filter(pk=pk).first()
    if not permissions.can(request.user, permissions.INVITE_COLLEAGUES, organization):
        return permissions.deny(request)
    if organization is None:
        raise Http404("No such organization")
    form = InviteColleaguesForm(request.POST or None)
    return _invite(request, form=form, organization_for=lambda data: organization,
                   kind=Invitation.Kind.COLLEAGUE, template="members/invitation_form.html",
                   context={"organization": organization})


def _invitation_for_change(request, pk):
    """The invitation ``request.user`` may resend or revoke, or None."""
    invitation = Invitation.objects.select_related("organization").filter(pk=pk).first()
    if invitation is None:
        return None
    if permissions.can(request.user, permissions.MANAGE_INVITATIONS):
        return invitation
    if invitation.kind == Invitation.Kind.COLLEAGUE and permissions.can(
            request.user, permissions.INVITE_COLLEAGUES, invitation.organization):
        return invitation
    return None


def _back(request, invitation=None):
    if target := next_url(request):
        return redirect(target)
    if invitation is not None and not permissions.can(request.user, permissions.MANAGE_INVITATIONS):
        return redirect("members:organization", pk=invitation.organization_id)
    return redirect("members:invitations")


def _invitation_change(request, pk, *, change, done, refused):
    """Resend or revoke: coordinators any invitation, a focal point their colleagues'."""
    if not permissions.can(request.user, permissions.INVITE_COLLEAGUES):
        return permissions.deny(request)
    invitation = _invitation_for_change(request, pk)
    if invitation is None:
        raise Http404("No such invitation")
    try:
        change(invitation=invitation, by=request.user)
    except services.InvitationUnusable as exc:
        messages.error(request, refused.format(state=exc.state))
    else:
        messages.success(request, done.format(email=invitation.email))
    return _back(request, invitation)


@require_POST
def invitation_resend(request, pk):
    return _invitation_change(
        request, pk, change=services.invitation_resend,
        done="A new link was sent to {email}; the earlier links no longer work.",
        refused="This invitation is {state}; it cannot be resent. Invite the contact anew.",
    )


@require_POST
def invitation_revoke(request, pk):
    return _invitation_change(
        request, pk, change=services.invitation_revoke,
        done="The invitation of {email} is revoked; its link no longer works.",
        refused="This invitation is already {state}.",
    )


@require_POST
@permissions.require(permissions.MANAGE_INVITATIONS)
def invitations_remind(request):
    ids = [_id(value) for value in request.POST.getlist("invitation") if _id(value)]
    rows = selectors.invitations_pending()
    if ids:
        rows = rows.filter(pk__in=ids)
    count = services.invitations_remind(invitations=list(rows.only("pk")), by=request.user)
    if count:
        messages.success(request, f"Reminder sent to {count} pending invitation{pluralize(count)}.")
    else:
        messages.info(request, "No reminder sent: nothing is pending, or every pending contact was reminded today.")
    return _back(request)


# --- Invitations: the invitee's side (public pages) ----------------------------------

DEAD_STATUS = {"unknown": 404, "other-account": 403}


def invitation_dead_response(request, state, invitation, token=None):
    """The page for a link that cannot be used, saying why; nothing is created."""
    return render(request, "members/invitation_dead.html", {
        "state": state, "invitation": invitation, "token": token, "secretariat_email": settings.SECRETARIAT_EMAIL,
    }, status=DEAD_STATUS.get(state, 410))


def _public_context(invitation):
    return {
        "invitation": invitation,
        "organization": invitation.organization,
        "facts": selectors.group_facts(),
        "account_exists": User.objects.filter(email__iexact=invitation.email).exists(),
    }


@login_not_required
@never_cache
def invitation_public(request, token):
    state, invitation = selectors.invitation_resolve(token)
    if state != "valid":
        return invitation_dead_response(request, state, invitation, token)
    services.invitation_open(invitation=invitation)
    invitation_remember(request, token=token)
    return render(request, "members/invitation_public.html", {**_public_context(invitation), "token": token})


@login_not_required
@never_cache
@require_POST
def invitation_accept(request, token):
    state, invitation = selectors.invitation_resolve(token)
    if state != "valid":
        return invitation_dead_response(request, state, invitation, token)
    if request.user.is_authenticated:
        if request.user.email.lower() != invitation.email.lower():
            return invitation_dead_response(request, "other-account", invitation, token)
        try:
            services.invitation_accept(invitation_id=invitation.pk, user=request.user)
        except services.InvitationUnusable as exc:
            return invitation_dead_response(request, exc.state, invitation, token)
        invitation_forget(request)
        messages.success(request, f"Welcome: you have joined the group as part of {invitation.organization.name}.")
        return redirect("dashboard")
    invitation_remember(request, token=token)
    if User.objects.filter(email__iexact=invitation.email).exists():
        return render(request, "members/invitation_sign_in.html", {"invitation": invitation, "token": token})
    return redirect("account_signup")


@login_not_required
@never_cache
def invitation_decline(request, token):
    state, invitation = selectors.invitation_resolve(token)
    if state != "valid":
        return invitation_dead_response(request, state, invitation, token)
    form = DeclineForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.invitation_decline(invitation_id=invitation.pk, reason=form.cleaned_data["reason"])
        except services.InvitationUnusable as exc:
            return invitation_dead_response(request, exc.state, invitation, token)
        invitation_forget(request)
        return render(request, "members/invitation_declined.html", {
            "invitation": invitation, "secretariat_email": settings.SECRETARIAT_EMAIL})
    return render(request, "members/invitation_decline.html", {"invitation": invitation, "form": form, "token": token})


@login_not_required
@never_cache
@require_POST
def invitation_new_link(request, token):
    state, invitation = selectors.invitation_resolve(token)
    if state == "valid":  # nothing to ask for: the link works
        return redirect("members:invitation_public", token=token)
    if invitation is None:
        return invitation_dead_response(request, state, invitation, token)
    queued = services.invitation_new_link_request(invitation=invitation, state=state)
    return render(request, "members/invitation_new_link.html", {
        "invitation": invitation, "queued": queued, "secretariat_email": settings.SECRETARIAT_EMAIL,
    })
