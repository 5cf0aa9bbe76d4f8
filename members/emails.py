"""The members app's outgoing messages, composed and not sent: each function
turns a domain object and a recipient into an ``OutgoingEmail``. Services
decide who gets what and hand the result to the outbox."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse

from notifications.services import OutgoingEmail

from .models import Invitation, User


def _one_line(text: str) -> str:
    return " ".join(text.split())


def welcome_email(*, user: User, by: User | None) -> OutgoingEmail:
    """To a person the secretariat added: set a password through the reset page."""
    context = {
        "user": user,
        "by": by,
        "portal_name": settings.PORTAL_NAME,
        "reset_url": settings.SITE_URL + reverse("account_reset_password"),
        "site_url": settings.SITE_URL,
    }
    return OutgoingEmail(
        to_email=user.email,
        to_name=user.full_name,
        user_id=user.pk,
        subject=f"Your account on the {settings.PORTAL_NAME} portal",
        text=render_to_string("members/email/welcome.txt", context),
    )


def account_email_kind(template_prefix: str) -> str:
    """The outbox kind of one of allauth's messages ("account:password_reset_key"...)."""
    return ("account:" + template_prefix.rsplit("/", 1)[-1])[:40]


# The parts of allauth's email contexts that let their holder act as the recipient.
ACCOUNT_EMAIL_SECRETS = ("password_reset_url", "activate_url", "key", "code")


def account_email_secrets(context: dict) -> tuple[str, ...]:
    """The reset and confirmation links, keys and codes of an allauth message, which
    the outbox keeps sealed and forgets once sent."""
    return tuple(str(context[name]) for name in ACCOUNT_EMAIL_SECRETS if context.get(name))


def account_email(rendered, *, secrets: tuple[str, ...] = ()) -> OutgoingEmail:
    """One of allauth's messages (password reset, email confirmation), rendered by
    allauth from its templates, as an outbox message."""
    html = next((body for body, mimetype in getattr(rendered, "alternatives", []) if mimetype == "text/html"), "")
    return OutgoingEmail(to_email=rendered.to[0], subject=rendered.subject, text=rendered.body, html=html,
                         secrets=secrets)


def invitation_link(token: str) -> str:
    return settings.SITE_URL + reverse("members:invitation_public", args=[token])


def invitation_email(*, invitation: Invitation, link: str, reminder: bool = False,
                     dedupe_key: str | None = None) -> OutgoingEmail:
    """The email a contact receives; also what the preview shows (``invitation`` may be unsaved)."""
    context = {
        "invitation": invitation,
        "organization": invitation.organization,
        "inviter": invitation.invited_by,
        "link": link,
        "reminder": reminder,
        "portal_name": settings.PORTAL_NAME,
        "valid_days": settings.INVITATION_VALID_DAYS,
    }
    if invitation.kind == Invitation.Kind.COLLEAGUE:
        subject = f"Join your colleagues on the {settings.PORTAL_NAME} portal"
    else:
        subject = f"Invitation to join the {settings.PORTAL_NAME}"
    if reminder:
        subject = "Reminder: " + subject
    return OutgoingEmail(
        to_email=invitation.email,
        to_name=_one_line(invitation.full_name),
        subject=_one_line(subject),
        text=render_to_string("members/email/invitation.txt", context),
        dedupe_key=dedupe_key,
        # The link is the invitation: kept sealed in the outbox, forgotten once sent.
        secrets=(link,),
    )


def _notice(*, invitation: Invitation, to: User | None, subject: str, template: str,
            context: dict | None = None, dedupe_key: str | None = None) -> OutgoingEmail:
    """A note about ``invitation`` to ``to``, or to the secretariat's address when None."""
    body = render_to_string(template, {
        "invitation": invitation, "organization": invitation.organization, "inviter": invitation.invited_by,
        "portal_name": settings.PORTAL_NAME,
        "list_url": settings.SITE_URL + reverse("members:invitations"),
        **(context or {}),
    })
    return OutgoingEmail(
        to_email=to.email if to else settings.SECRETARIAT_EMAIL, to_name=to.full_name if to else "",
        user_id=to.pk if to else None, subject=_one_line(subject), text=body, dedupe_key=dedupe_key,
    )


def invitation_accepted_notice(*, invitation: Invitation, user: User, to: User | None) -> OutgoingEmail:
    return _notice(
        invitation=invitation, to=to,
        subject=f"{user.get_full_name()} accepted the invitation ({invitation.organization.name})",
        template="members/email/invitation_accepted.txt", context={"user": user},
    )


def invitation_move_notice(*, invitation: Invitation, user: User, current, dedupe_key: str) -> OutgoingEmail:
    """To the secretariat: someone of an active member accepted an invitation of another organization."""
    return _notice(
        invitation=invitation, to=None, dedupe_key=dedupe_key,
        subject=f"Confirm a move: {user.get_full_name()} from {current.name} to {invitation.organization.name}",
        template="members/email/invitation_move.txt",
        context={"user": user, "current": current,
                 "person_url": settings.SITE_URL + reverse("members:person_edit", args=[user.pk])},
    )


def invitation_declined_notice(*, invitation: Invitation, to: User | None) -> OutgoingEmail:
    return _notice(
        invitation=invitation, to=to,
        subject=f"{invitation.full_name or invitation.email} declined the invitation ({invitation.organization.name})",
        template="members/email/invitation_declined.txt",
    )


def invitation_new_link_notice(*, invitation: Invitation, state: str, to: User | None,
                               dedupe_key: str) -> OutgoingEmail:
    return _notice(
        invitation=invitation, to=to,
        subject=f"New invitation link asked for by {invitation.email} ({invitation.organization.name})",
        template="members/email/invitation_new_link.txt", context={"state": state}, dedupe_key=dedupe_key,
    )
