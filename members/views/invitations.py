"""Invitations, the inviters' side: the secretariat's list and invite page, a
focal point's invitation of colleagues, resend, revoke and reminders."""

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.views.decorators.http import require_POST

from notifications.models import Mailing
from notifications.selectors import mailing_progress

from .. import emails, permissions, selectors, services
from ..forms import InvitationFilterForm, InviteColleaguesForm, InviteOrganizationForm
from ..ids import parse_id, parse_ids
from ..models import Invitation, Organization
from ..navigation import next_url

INVITATION_PAGE_SIZE = 50


@permissions.require(permissions.MANAGE_INVITATIONS)
def invitations(request):
    form = InvitationFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    rows = permissions.visible_to(
        request.user, selectors.invitations_list(state=filters.get("state", ""), q=filters.get("q", "").strip()))
    page = Paginator(rows, INVITATION_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("sent", None)
    mailing = None
    if sent := parse_id(request.GET.get("sent")):
        # The mailing the user has just sent, whose progress the page follows.
        mailing = permissions.visible_to(request.user, Mailing.objects.all()).filter(
            pk=sent, created_by=request.user).first()
    return render(request, "members/invitations.html", {
        "form": form, "page": page, "query": query.urlencode(), "state": filters.get("state", ""),
        "counts": selectors.invitation_state_counts(permissions.visible_to(request.user, Invitation.objects.all())),
        "mailing": mailing, "progress": mailing_progress(mailing) if mailing else None,
        "reminder_days": settings.INVITATION_REMINDER_DAYS,
    })


def _invite(request, *, form, organization_for, kind, template, context):
    """Shared by both invite pages: "Preview" shows the email, "Send" sends it."""
    preview = None
    if request.method == "POST" and form.is_valid():
        organization = organization_for(form.cleaned_data)
        contacts = form.cleaned_data["contacts"]
        if request.POST.get("action") == "send":
            organization, mailing, sent, skipped = services.organization_invite(
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
            "email": emails.invitation_email(invitation=sample, link=settings.SITE_URL + "/members/join/…/"),
            "count": len(contacts), "organization": organization,
        }
    return render(request, template, {"form": form, "preview": preview, **context})


@permissions.require(permissions.MANAGE_INVITATIONS)
def invitation_new(request):
    initial = {}
    if organization_id := parse_id(request.GET.get("organization")):
        initial["organization"] = permissions.visible_to(request.user, Organization.objects.all()).filter(
            pk=organization_id).first()

    def organization_for(data):
        if data.get("organization"):
            return data["organization"]
        # Unsaved: the service adds it to the directory when the invitations go out.
        return Organization(name=data["new_name"].strip(), acronym=data["new_acronym"].strip(),
                            kind=data["new_kind"], country=data["new_country"].strip())

    form = InviteOrganizationForm(request.POST or None, initial=initial)
    return _invite(request, form=form, organization_for=organization_for, kind=Invitation.Kind.ORGANIZATION,
                   template="members/invitation_form.html", context={})


@permissions.require(permissions.INVITE_COLLEAGUES)
def organization_invite(request, pk):
    organization = permissions.get_visible_or_404(request.user, Organization.objects.all(), pk=parse_id(pk))
    if not permissions.can(request.user, permissions.INVITE_COLLEAGUES, organization):
        return permissions.deny(request)
    form = InviteColleaguesForm(request.POST or None)
    return _invite(request, form=form, organization_for=lambda data: organization,
                   kind=Invitation.Kind.COLLEAGUE, template="members/invitation_form.html",
                   context={"organization": organization})


def _back(request, invitation=None):
    if target := next_url(request):
        return redirect(target)
    if invitation is not None and not permissions.can(request.user, permissions.MANAGE_INVITATIONS):
        return redirect("members:organization", pk=invitation.organization_id)
    return redirect("members:invitations")


def _invitation_change(request, pk, *, change, done, refused):
    """Resend or revoke: whoever the invitation's rule lets handle it (coordinators
    any invitation, a focal point their colleagues')."""
    invitation = permissions.get_visible_or_404(
        request.user, Invitation.objects.select_related("organization"), pk=parse_id(pk))
    if not permissions.can(request.user, permissions.INVITE_COLLEAGUES, invitation):
        return permissions.deny(request)
    try:
        change(invitation=invitation, by=request.user)
    except services.InvitationUnusable as exc:
        messages.error(request, refused.format(state=exc.state))
    else:
        messages.success(request, done.format(email=invitation.email))
    return _back(request, invitation)


@require_POST
@permissions.require(permissions.INVITE_COLLEAGUES)
def invitation_resend(request, pk):
    return _invitation_change(
        request, pk, change=services.invitation_resend,
        done="A new link was sent to {email}; the earlier links no longer work.",
        refused="This invitation is {state}; it cannot be resent. Invite the contact anew.",
    )


@require_POST
@permissions.require(permissions.INVITE_COLLEAGUES)
def invitation_revoke(request, pk):
    return _invitation_change(
        request, pk, change=services.invitation_revoke,
        done="The invitation of {email} is revoked; its link no longer works.",
        refused="This invitation is already {state}.",
    )


@require_POST
@permissions.require(permissions.MANAGE_INVITATIONS)
def invitations_remind(request):
    ids = parse_ids(request.POST.getlist("invitation"))
    rows = permissions.visible_to(request.user, selectors.invitations_pending())
    if ids:
        rows = rows.filter(pk__in=ids)
    count = services.invitations_remind(invitations=list(rows.only("pk")), by=request.user)
    if count:
        messages.success(request, f"Reminder sent to {count} pending invitation{pluralize(count)}.")
    else:
        messages.info(request, "No reminder sent: nothing is pending, or every pending contact was reminded today.")
    return _back(request)
