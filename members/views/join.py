"""Invitations, the invitee's side: the public pages a personal link opens."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from .. import selectors, services
from ..forms import DeclineForm
from ..invitation_pages import invitation_dead_response
from ..models import Invitation
from ..session import invitation_forget, invitation_remember

Availability = Invitation.Availability


def _public_context(invitation, user=None):
    return {
        "invitation": invitation,
        "organization": invitation.organization,
        "facts": selectors.group_facts(),
        "account_exists": selectors.account_exists(invitation.email),
        # What accepting does to the signed-in invitee's account (said before they press Accept).
        "move_from": selectors.invitation_move_from(invitation, user) if user is not None else None,
    }


@login_not_required
@never_cache
def invitation_public(request, token):
    state, invitation = selectors.invitation_resolve(token)
    if state != Availability.VALID:
        return invitation_dead_response(request, state, invitation, token)
    services.invitation_open(invitation=invitation)
    invitation_remember(request, token=token)
    user = request.user if request.user.is_authenticated and request.user.email.lower() == invitation.email.lower() \
        else None
    return render(request, "members/invitation_public.html",
                  {**_public_context(invitation, user), "token": token})


@login_not_required
@never_cache
@require_POST
def invitation_accept(request, token):
    state, invitation = selectors.invitation_resolve(token)
    if state != Availability.VALID:
        return invitation_dead_response(request, state, invitation, token)
    if request.user.is_authenticated:
        if request.user.email.lower() != invitation.email.lower():
            return invitation_dead_response(request, Availability.OTHER_ACCOUNT, invitation, token)
        try:
            services.invitation_accept(invitation_id=invitation.pk, user=request.user)
        except services.InvitationUnusable as exc:
            if exc.state == Availability.MOVE_NEEDS_CONFIRMATION:
                services.invitation_move_request(invitation_id=invitation.pk, user=request.user)
            return invitation_dead_response(request, exc.state, invitation, token)
        invitation_forget(request)
        messages.success(request, f"Welcome: you have joined the group as part of {invitation.organization.name}.")
        return redirect("dashboard")
    invitation_remember(request, token=token)
    if selectors.account_exists(invitation.email):
        return render(request, "members/invitation_sign_in.html", {"invitation": invitation, "token": token})
    return redirect("account_signup")


@login_not_required
@never_cache
def invitation_decline(request, token):
    state, invitation = selectors.invitation_resolve(token)
    if state != Availability.VALID:
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
    if state == Availability.VALID:  # nothing to ask for: the link works
        return redirect("members:invitation_public", token=token)
    if invitation is None:
        return invitation_dead_response(request, state, invitation, token)
    queued = services.invitation_new_link_request(invitation=invitation, state=state)
    return render(request, "members/invitation_new_link.html", {
        "invitation": invitation, "queued": queued, "secretariat_email": settings.SECRETARIAT_EMAIL,
    })
