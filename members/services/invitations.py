"""Writes of the invitations: inviting an organization's contacts, resending,
revoking, reminding, and the invitee's answers."""

from __future__ import annotations

import datetime
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.defaultfilters import pluralize
from django.utils import timezone

from notifications.models import Mailing, Message
from notifications.selectors import subject_ref
from notifications.services import OutgoingEmail, mailing_create, message_queue, messages_queue

from .. import emails, hooks, selectors
from ..models import Invitation, InvitationToken, Organization, User
from .directory import organization_create, organization_status_set

Availability = Invitation.Availability


class InvitationUnusable(Exception):
    """The invitation can no longer be answered; ``state`` (an ``Invitation.Availability``) says why."""

    def __init__(self, state: str):
        super().__init__(state)
        self.state = Availability(state)


@dataclass(frozen=True)
class Contact:
    email: str
    full_name: str = ""


def _token_issue(invitation: Invitation) -> str:
    """A new link for ``invitation``: 32 random bytes, of which only the hash is kept."""
    token = secrets.token_urlsafe(32)
    InvitationToken.objects.create(invitation=invitation, token_hash=InvitationToken.hash(token))
    return token


def _notice_recipient(invitation: Invitation, *, to_secretariat: bool = False) -> User | None:
    """Whoever sent the invitation; None (the secretariat's address) when nobody
    did, they left, or the secretariat is the one to act."""
    inviter = invitation.invited_by
    if to_secretariat or not (inviter and inviter.is_active):
        return None
    return inviter


@transaction.atomic
def organization_invite(*, organization: Organization, contacts: list[Contact], message: str, by: User | None,
                        kind: str = Invitation.Kind.ORGANIZATION,
                        ) -> tuple[Organization, Mailing | None, list[Invitation], list[str]]:
    """Invite contacts of ``organization``, first adding it to the directory
    when it is new (unsaved): all in one transaction, so a failed send leaves
    no organization behind and a failed creation sends nothing.

    Returns the organization (saved), then what ``invitations_send`` returns.
    """
    if organization.pk is None:
        organization = organization_create(
            by=by, name=organization.name, acronym=organization.acronym, kind=organization.kind,
            country=organization.country,
        )
    mailing, sent, skipped = invitations_send(
        organization=organization, contacts=contacts, message=message, by=by, kind=kind,
    )
    return organization, mailing, sent, skipped


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
    pending = selectors.pending_emails_of(organization)
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
    mailing = mailing_create(kind="invitation", subject=subject, by=by, subject_ref=subject_ref(organization))
    invitations, outgoing = [], []
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
        outgoing.append(emails.invitation_email(invitation=invitation, link=emails.invitation_link(token)))
    messages_queue(kind="invitation", emails=outgoing, mailing=mailing)
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
    message_queue(kind="invitation",
                  email=emails.invitation_email(invitation=invitation, link=emails.invitation_link(token)))
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
        subject = f"Reminder to {len(due)} pending invitation{pluralize(len(due))}"
        mailing = mailing_create(kind="invitation-reminder", subject=subject, by=by)
    outgoing: list[OutgoingEmail] = []
    for invitation in due:
        token = _token_issue(invitation)
        outgoing.append(emails.invitation_email(
            invitation=invitation, link=emails.invitation_link(token), reminder=True, dedupe_key=keys[invitation.pk],
        ))
    queued = {row.dedupe_key for row in messages_queue(kind="invitation-reminder", emails=outgoing, mailing=mailing)}
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
    return invitations_remind(invitations=list(selectors.invitations_due_for_reminder()), by=None, automatic=True)


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
        raise InvitationUnusable(Availability.UNKNOWN)
    invitation.organization = Organization.objects.get(pk=invitation.organization_id)
    availability = invitation.availability
    if availability != Availability.VALID:
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
        raise InvitationUnusable(Availability.OTHER_ACCOUNT)
    if selectors.invitation_move_from(invitation, user) is not None:
        # See invitation_move_request: a coordinator moves the account, or not.
        raise InvitationUnusable(Availability.MOVE_NEEDS_CONFIRMATION)
    if user.pk and user.organization_id != organization.pk:
        # Moving (from no organization, or one no longer active): the focal-point
        # role belonged to the old organization.
        user.is_focal_point = False
    user.organization = organization
    if not user.full_name:
        user.full_name = invitation.full_name
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:  # the account was made by a concurrent request meanwhile
        raise InvitationUnusable(Availability.ACCEPTED) from None
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
    _joined_notices_queue(invitation=invitation, user=user)
    for func in hooks.member_joined:
        func(user=user, invitation=invitation)
    return user


def _joined_notices_queue(*, invitation: Invitation, user: User) -> None:
    """The inviter (or the secretariat's address) and the co-chairs are told of the
    newcomer, each once: the keys make a second run of the same acceptance a no-op."""
    inviter = _notice_recipient(invitation)
    recipients = [inviter, *selectors.cochair_people().exclude(pk=user.pk)]
    seen, outgoing = set(), []
    for to in recipients:
        who = to.pk if to else "secretariat"
        if who in seen:
            continue
        seen.add(who)
        outgoing.append(emails.invitation_accepted_notice(
            invitation=invitation, user=user, to=to, dedupe_key=f"invitation:{invitation.pk}:accepted:{who}"))
    messages_queue(kind="invitation-accepted", emails=outgoing)


@transaction.atomic
def invitation_move_request(*, invitation_id: int, user: User) -> None:
    """``user`` accepted an invitation that would move their account out of another
    active organization: nothing moves; the secretariat is asked (once per
    invitation) to confirm the move by editing the person, or to leave it."""
    invitation = Invitation.objects.select_related("organization", "invited_by").get(pk=invitation_id)
    current = selectors.invitation_move_from(invitation, user)
    if current is None:
        return
    message_queue(kind="invitation-move", email=emails.invitation_move_notice(
        invitation=invitation, user=user, current=current, dedupe_key=f"invitation-move:{invitation.pk}"))


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
        if selectors.organization_invitation_answers(organization) == {Invitation.Status.DECLINED}:
            invitation.organization = organization_status_set(
                organization=organization, status=Organization.Status.DECLINED, by=None,
                note="Every invited contact declined",
            )
    message_queue(kind="invitation-declined", email=emails.invitation_declined_notice(
        invitation=invitation, to=_notice_recipient(invitation)))
    return invitation


@transaction.atomic
def invitation_new_link_request(*, invitation: Invitation, state: str) -> bool:
    """Someone holding a dead link asks for a new one: the secretariat is told,
    at most once a day per invitation. Returns whether a message was queued."""
    return bool(message_queue(kind="invitation-new-link", email=emails.invitation_new_link_notice(
        invitation=invitation, state=state, to=_notice_recipient(invitation, to_secretariat=True),
        dedupe_key=f"invitation:{invitation.pk}:new-link:{timezone.localdate().isoformat()}",
    )))
