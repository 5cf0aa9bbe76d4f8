"""allauth's hooks: signup opens only for an invitation, and its emails go through the outbox."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from allauth.core.exceptions import ImmediateHttpResponse
from django.contrib import messages
from django.contrib.sites.shortcuts import get_current_site

from notifications.services import message_queue

from . import emails, services
from .invitation_pages import Availability, invitation_dead_response
from .session import invitation_forget, invitation_in_session, invitation_state_in_session


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        """Public signup is closed: accounts come from an organization invitation
        (which opens signup for its own email only) or from the secretariat."""
        return invitation_in_session(request) is not None

    def is_email_verified(self, request, email):
        """The invitation link reached this address, so it is verified."""
        invitation = invitation_in_session(request)
        if invitation is not None and invitation.email.lower() == (email or "").lower():
            return True
        return super().is_email_verified(request, email)

    def save_user(self, request, user, form, commit=True):
        """Create the account by accepting the invitation, in one locked step:
        of two concurrent submissions the second finds the invitation used."""
        invitation = invitation_in_session(request)
        if invitation is None:
            state, stale = invitation_state_in_session(request)
            raise ImmediateHttpResponse(invitation_dead_response(request, state, stale))
        user = super().save_user(request, user, form, commit=False)
        user.email = invitation.email.lower()
        user.full_name = form.cleaned_data.get("full_name", "").strip()
        user.title = form.cleaned_data.get("title", "").strip()
        try:
            user = services.invitation_accept(invitation_id=invitation.pk, user=user)
        except services.InvitationUnusable as exc:
            invitation_forget(request)
            raise ImmediateHttpResponse(invitation_dead_response(request, exc.state, invitation)) from None
        invitation_forget(request)
        # setup_user_email, which runs next, records the address verified and primary.
        self.stash_verified_email(request, user.email)
        return user

    def post_login(self, request, user, **kwargs):
        """Signing in with the invited address completes a pending acceptance."""
        invitation = invitation_in_session(request)
        if invitation is not None and invitation.email.lower() == user.email.lower():
            try:
                services.invitation_accept(invitation_id=invitation.pk, user=user)
            except services.InvitationUnusable as exc:
                if exc.state == Availability.MOVE_NEEDS_CONFIRMATION:
                    services.invitation_move_request(invitation_id=invitation.pk, user=user)
                    messages.warning(request, f"Your account belongs to {user.organization.name}, so the invitation of "
                                     f"{invitation.organization.name} did not move it: the secretariat is asked to "
                                     "confirm the move.")
            else:
                messages.success(request,
                                 f"Welcome: you have joined the group as part of {invitation.organization.name}.")
        invitation_forget(request)
        return super().post_login(request, user, **kwargs)

    def send_mail(self, template_prefix, email, context):
        request = allauth_context.request
        ctx = {"request": request, "email": email, "current_site": get_current_site(request)}
        ctx.update(context)
        rendered = self.render_mail(template_prefix, email, ctx)
        message_queue(kind=emails.account_email_kind(template_prefix),
                      email=emails.account_email(rendered, secrets=emails.account_email_secrets(ctx)))
