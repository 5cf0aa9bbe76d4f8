"""Writes of the members app: organizations, their status history, people."""

from __future__ import annotations

import datetime
import secrets
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from notifications.models import Mailing, Message
from notifications.services import OutgoingEmail, mailing_create, message_queue, messages_queue

from .models import Invitation, InvitationToken, MembershipChange, Organization, OrganizationNote, User


@transaction.atomic
def organization_create(*, by: User | None, status: str = Organization.Status.INVITED,
                        status_on: datetime.date | None = None, **fields) -> Organization:
    status_on = status_on or timezone.localdate()
    organization = Organization(**fields, status=status, status_changed_on=status_on)
    if status == Organization.Status.ACTIVE:
        organization.joined_on = status_on
    organization.full_clean()
    organization.save()
    MembershipChange.objects.create(
        organization=organization, from_status="", to_status=status, changed_on=status_on, changed_by=by
    )
    return organization


@transaction.atomic
def organization_update(*, organization: Organization, by: User | None, **fields) -> Organization:
    for name, value in fields.items():
        setattr(organization, name, value)
    organization.full_clean()
    organization.save()
    return organization


@transaction.atomic
def organization_status_set(*, organization: Organization, status: str, by: User | None,
                            on: datetime.date | None = None, note: str = "") -> Organization:
    """Change the membership status and record the change with its date and author.

    The first time an organization becomes active is its join date. Leaving
    active status takes member access from its people at once, because access
    is computed from the status on every request.
    """
    on = on or timezone.localdate()
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    if organization.status == status:
        return organization
    MembershipChange.objects.create(
        organization=organization, from_status=organization.status, to_status=status,
        changed_on=on, changed_by=by, note=note[:300],
    )
    organization.status = status
    organization.status_changed_on = on
    if status == Organization.Status.ACTIVE and organization.joined_on is None:
        organization.joined_on = on
    organization.save(update_fields=["status", "status_changed_on", "joined_on"])
    return organization


@transaction.atomic
def person_create(*, by: User | None, email: str, full_name: str, organization: Organization | None,
                  title: str = "", phone: str = "", role: str = User.Role.MEMBER,
                  is_focal_point: bool = False, password: str | None = None,
                  send_welcome: bool = True) -> User:
    """Add a person to the directory with a verified address.

    The secretariat vouches for the address; the person sets a password through
    the link in the welcome email (the password reset page).
    """
    user = User.objects.create_user(
        email=email, password=password, full_name=full_name, organization=organization,
        title=title, phone=phone, role=role, is_focal_point=is_focal_point,
    )
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    if send_welcome:
        context = {
            "user": user,
            "by": by,
            "portal_name": settings.PORTAL_NAME,
            "reset_url": settings.SITE_URL + reverse("account_reset_password"),
            "site_url": settings.SITE_URL,
        }
        message_queue(
            kind="account:welcome",
            email=OutgoingEmail(
                to_email=user.email,
                to_name=user.full_name,
                user_id=user.pk,
                subject=f"Your account on the {settings.PORTAL_NAME} portal",
                text=render_to_string("members/email/welcome.txt", context),
            ),
        )
    return user


@transaction.atomic
def person_update(*, person: User, by: User | None, **fields) -> User:
    old_email = person.email
    for name, value in fields.items():
        setattr(person, name, value)
    person.full_clean()
    person.save()
    if person.email != old_email:
        EmailAddress.objects.filter(user=person).delete()
        EmailAddress.objects.create(user=person, email=person.email, verified=True, primary=True)
    return person


def note_add(*, organization: Organization, author: User, text: str) -> OrganizationNote:
    return OrganizationNote.objects.create(organization=organization, author=author, text=text.strip())


# --- Invitations ---------------------------------------------------------------


class InvitationUnusable(Exception):
    """The invitation can no longer be answered; ``state`` says why
    ("accepted", "declined", "revoked", "expired", "closed", "replaced", "unknown")."""

    def __init__(self, state: str):
        super().__init__(state)
        self.state = state


@dataclass(frozen=True)
class Contact:
    email: str
    full_name: str = ""


def _token_issue(invitation: Invitation) -> str:
    """A new link for ``invitation``: 32 random bytes, of which only the hash is kept."""
    token = secrets.token_urlsafe(32)
    InvitationToken.objects.create(invitation=invitation, token_hash=InvitationToken.hash(token))
    return token


def invitation_link(token: str) -> str:
    return settings.SITE_URL + reverse("members:invitation_public", args=[token])


def invitation_email(*, invitation: Invitation, link: str, reminder: bool = False) -> OutgoingEmail:
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
        to_name=" ".join(invitation.full_name.split()),
        subject=" ".join(subject.split()),
        text=render_to_string("members/email/invitation.txt", context),
    )


def _notify_coordinators(*, invitation: Invitation, kind: str, subject: str, template: str,
                         context: dict | None = None, dedupe_key: str | None = None,
                         to_secretariat: bool = False) -> Message | None:
    """Tell whoever sent the invitation (the secretariat's address when nobody did)."""
    inviter = invitation.invited_by
    if to_secretariat or not (inviter and inviter.is_active):
        inviter = None
    to_email = inviter.email if inviter else settings.SECRETARIAT_EMAIL
    body = render_to_string(template, {
        "invitation": invitation, "organization": invitation.organization, "inviter": invitation.invited_by,
        "portal_name": settings.PORTAL_NAME,
        "list_url": settings.SITE_URL + reverse("members:invitations"),
        **(context or {}),
    })
    return message_queue(kind=kind, email=OutgoingEmail(
        to_email=to_email, to_name=inviter.full_name if inviter else "", user_id=inviter.pk if inviter else None,
        subject=" ".join(subject.split()), text=body, dedupe_key=dedupe_key,
    ))


@transaction.atomic
def invitations_send(*, organization: Organization, contacts: list[Contact], message: str, by: User | None,
                     kind: str = Invitation.Kind.ORGANIZATION) -> tuple[Mailing | None, list[Invitation], list[str]]:
    """Invite each contact with a personal link, in one mailing.

    Returns the mailing, the invitations made, and the emails skipped because
    an invitation to them is already pending (resend that one instead).
    Inviting an organization that had withdrawn, declined or was only a
    partner makes it *invited* again, recorded in its history.
    """
    if kind == Invitation.Kind.ORGANIZATION and organization.status in {
        Organization.Status.WITHDRAWN, Organization.Status.DECLINED, Organization.Status.PARTNER,
    }:
        organization = organization_status_set(organization=organization, status=Organization.Status.INVITED,
                                               by=by, note="Invited to the working group")
    pending = {email.lower() for email in Invitation.objects.filter(
        organization=organization, status=Invitation.Status.PENDING).values_list("email", flat=True)}
    skipped, fresh, seen = [], [], set()
    for contact in contacts:
        email = User.objects.normalize_email(contact.email).lower()
        if email in seen:
            continue
        seen.add(email)
        if email in pending:
            skipped.append(email)
        else:
            fresh.append(Contact(email=email, full_name=contact.full_name.strip()))
    if not fresh:
        return None, [], skipped

    now = timezone.now()
    subject = f"Invitation to {organization.name}" if kind == Invitation.Kind.ORGANIZATION \
        else f"Colleagues of {organization.name} invited"
    mailing = mailing_create(kind="invitation", subject=subject, by=by,
                             subject_ref=f"members.organization:{organization.pk}")
    invitations, emails = [], []
    for contact in fresh:
        try:
            with transaction.atomic():
                invitation = Invitation.objects.create(
                    organization=organization, kind=kind, email=contact.email, full_name=contact.full_name,
                    message=message.strip(), invited_by=by, mailing=mailing, created_at=now, sent_at=now,
                    expires_at=now + datetime.timedelta(days=settings.INVITATION_VALID_DAYS),
                )
        except IntegrityError:  # a concurrent send (a double click) invited this contact first
            skipped.append(contact.email)
            continue
        token = _token_issue(invitation)
        invitations.append(invitation)
        emails.append(invitation_email(invitation=invitation, link=invitation_link(token)))
    messages_queue(kind="invitation", emails=emails, mailing=mailing)
    return mailing, invitations, skipped


def _locked_pending(invitation: Invitation) -> Invitation:
    invitation = (Invitation.objects.select_for_update(of=("self",)).select_related("organization", "invited_by")
                  .get(pk=invitation.pk))
    if invitation.status != Invitation.Status.PENDING:
        raise InvitationUnusable(invitation.status)
    return invitation


@transaction.atomic
def invitation_resend(*, invitation: Invitation, by: User | None) -> Invitation:
    """A new link, valid for the full period again; every earlier link dies."""
    invitation = _locked_pending(invitation)
    now = timezone.now()
    invitation.tokens.filter(replaced_at=None).update(replaced_at=now)
    token = _token_issue(invitation)
    invitation.sent_at = now
    invitation.expires_at = now + datetime.timedelta(days=settings.INVITATION_VALID_DAYS)
    invitation.auto_reminded = False
    invitation.times_sent += 1
    invitation.save(update_fields=["sent_at", "expires_at", "auto_reminded", "times_sent"])
    message_queue(kind="invitation", email=invitation_email(invitation=invitation, link=invitation_link(token)))
    return invitation


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, by: User | None) -> Invitation:
    invitation = _locked_pending(invitation)
    now = timezone.now()
    invitation.status = Invitation.Status.REVOKED
    invitation.revoked_by = by
    invitation.responded_at = now
    invitation.save(update_fields=["status", "revoked_by", "responded_at"])
    invitation.tokens.filter(replaced_at=None).update(replaced_at=now)
    return invitation


@transaction.atomic
def invitations_remind(*, invitations, by: User | None, automatic: bool = False) -> int:
    """Send a reminder with a fresh link to each pending, unexpired invitation.

    Each reminder carries a ``dedupe_key``: the automatic one is keyed on the
    link period (one per invitation until it is resent), a manual one on the
    day, so a double click or a concurrent run sends nothing twice.
    """
    rows = list(Invitation.objects.select_for_update(of=("self",)).filter(
        pk__in=[i.pk for i in invitations], status=Invitation.Status.PENDING, expires_at__gt=timezone.now(),
    ).select_related("organization", "invited_by").order_by("pk"))
    if not rows:
        return 0
    keys = {}
    for invitation in rows:
        if automatic:
            keys[invitation.pk] = f"invitation:{invitation.pk}:auto-reminder:{invitation.times_sent}"
        else:
            keys[invitation.pk] = f"invitation:{invitation.pk}:reminder:{timezone.localdate().isoformat()}"
    taken = set(Message.objects.filter(dedupe_key__in=keys.values()).values_list("dedupe_key", flat=True))
    due = [i for i in rows if keys[i.pk] not in taken]
    if not due:
        return 0
    mailing = None
    if not automatic:
        mailing = mailing_create(kind="invitation-reminder", subject=f"Reminder to {len(due)} pending invitation(s)",
                                 by=by)
    emails = []
    for invitation in due:
        token = _token_issue(invitation)
        email = invitation_email(invitation=invitation, link=invitation_link(token), reminder=True)
        emails.append(OutgoingEmail(**{**email.__dict__, "dedupe_key": keys[invitation.pk]}))
    queued = {row.dedupe_key for row in messages_queue(kind="invitation-reminder", emails=emails, mailing=mailing)}
    now = timezone.now()
    sent = [i.pk for i in due if keys[i.pk] in queued]
    for invitation in due:
        if invitation.pk in sent:
            invitation.reminders_sent += 1
            invitation.last_reminded_at = now
            invitation.auto_reminded = invitation.auto_reminded or automatic
    Invitation.objects.bulk_update([i for i in due if i.pk in sent],
                                   ["reminders_sent", "last_reminded_at", "auto_reminded"])
    return len(sent)


def invitation_reminders_send_due() -> int:
    """The beat task's work: one automatic reminder to each invitation still
    unanswered INVITATION_REMINDER_DAYS after its link was sent."""
    from .selectors import invitations_due_for_reminder

    return invitations_remind(invitations=list(invitations_due_for_reminder()), by=None, automatic=True)


def invitation_open(*, invitation: Invitation) -> None:
    if invitation.opened_at is None:
        now = timezone.now()
        Invitation.objects.filter(pk=invitation.pk, opened_at=None).update(opened_at=now)
        invitation.opened_at = now


def _usable(invitation_id: int) -> Invitation:
    """Lock the invitation and check it may still be answered: the second of two
    concurrent answers waits here, then finds the first one's result."""
    invitation = Invitation.objects.select_for_update().filter(pk=invitation_id).first()
    if invitation is None:
        raise InvitationUnusable("unknown")
    invitation.organization = Organization.objects.get(pk=invitation.organization_id)
    availability = invitation.availability
    if availability != "valid":
        raise InvitationUnusable(availability)
    return invitation


@transaction.atomic
def invitation_accept(*, invitation_id: int, user: User) -> User:
    """Accept for ``user``: a new account (unsaved, from the signup form) or an
    existing one whose email the invitation was sent to.

    The account joins the organization; an organization invitation makes the
    organization an active member on its first acceptance; the inviter is told.
    """
    invitation = _usable(invitation_id)
    organization = invitation.organization
    if user.email.lower() != invitation.email.lower():
        raise InvitationUnusable("other-account")
    user.organization = organization
    if not user.full_name:
        user.full_name = invitation.full_name
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:  # the account was made by a concurrent request meanwhile
        raise InvitationUnusable("accepted") from None
    now = timezone.now()
    invitation.status = Invitation.Status.ACCEPTED
    invitation.accepted_by = user
    invitation.responded_at = now
    invitation.save(update_fields=["status", "accepted_by", "responded_at"])
    if invitation.kind == Invitation.Kind.ORGANIZATION and organization.status != Organization.Status.ACTIVE:
        organization = organization_status_set(
            organization=organization, status=Organization.Status.ACTIVE, by=user,
            note=f"Accepted the invitation sent to {invitation.email}",
        )
        invitation.organization = organization
    _notify_coordinators(
        invitation=invitation, kind="invitation-accepted",
        subject=f"{user.get_full_name()} accepted the invitation ({organization.name})",
        template="members/email/invitation_accepted.txt", context={"user": user},
    )
    return user


@transaction.atomic
def invitation_decline(*, invitation_id: int, reason: str = "") -> Invitation:
    """Record the refusal and tell the inviter. When every contact invited for
    the organization has declined, the organization becomes *declined*."""
    invitation = _usable(invitation_id)
    invitation.status = Invitation.Status.DECLINED
    invitation.decline_reason = reason.strip()[:2000]
    invitation.responded_at = timezone.now()
    invitation.save(update_fields=["status", "decline_reason", "responded_at"])
    organization = invitation.organization
    if invitation.kind == Invitation.Kind.ORGANIZATION and organization.status == Organization.Status.INVITED:
        answers = set(organization.invitations.filter(kind=Invitation.Kind.ORGANIZATION).exclude(
            status=Invitation.Status.REVOKED).values_list("status", flat=True))
        if answers == {Invitation.Status.DECLINED}:
            invitation.organization = organization_status_set(
                organization=organization, status=Organization.Status.DECLINED, by=None,
                note="Every invited contact declined",
            )
    _notify_coordinators(
        invitation=invitation, kind="invitation-declined",
        subject=f"{invitation.full_name or invitation.email} declined the invitation ({organization.name})",
        template="members/email/invitation_declined.txt",
    )
    return invitation


@transaction.atomic
def invitation_new_link_request(*, invitation: Invitation, state: str) -> bool:
    """Someone holding a dead link asks for a new one: the secretariat is told,
    at most once a day per invitation. Returns whether a message was queued."""
    return bool(_notify_coordinators(
        invitation=invitation, kind="invitation-new-link",
        subject=f"New invitation link asked for by {invitation.email} ({invitation.organization.name})",
        template="members/email/invitation_new_link.txt", context={"state": state},
        dedupe_key=f"invitation:{invitation.pk}:new-link:{timezone.localdate().isoformat()}",
        to_secretariat=True,
    ))
