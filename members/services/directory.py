"""Writes of the directory: organizations, their status history, people."""

from __future__ import annotations

import datetime

from allauth.account.models import EmailAddress
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from notifications.services import message_queue

from .. import emails, permissions
from ..models import MembershipChange, Organization, User
from ..user_sessions import sessions_end


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
    the link in the welcome email (the password reset page). Only the
    secretariat (or a superuser) adds someone with the secretariat role.
    """
    if by is not None and role == User.Role.SECRETARIAT and not permissions.can(by, permissions.GRANT_SECRETARIAT):
        raise PermissionDenied("Only the secretariat gives the secretariat role.")
    user = User.objects.create_user(
        email=email, password=password, full_name=full_name, organization=organization,
        title=title, phone=phone, role=role, is_focal_point=is_focal_point,
    )
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    if send_welcome:
        message_queue(kind="account:welcome", email=emails.welcome_email(user=user, by=by))
    return user


# What a person may do follows these: a change made by someone else ends their sessions.
ACCESS_FIELDS = ("role", "organization_id", "is_staff", "is_superuser", "is_active")


@transaction.atomic
def person_update(*, person: User, by: User | None, keep_session_key: str | None = None, **fields) -> User:
    """Save changes to a person, checked against the stored row (a ModelForm has
    already written the new values onto ``person``).

    - ``by`` must be allowed to edit the person as stored, and to give the
      secretariat role if the change gives it;
    - a new email becomes the person's one verified, primary allauth address
      (password resets go there, the old address controls nothing any more);
    - a move to another organization ends the focal-point role of the old one;
    - a change of role, organization or staff flags ends the person's sessions
      (except ``keep_session_key``, the editor's own when they edit themselves).
    """
    stored = User.objects.select_for_update().get(pk=person.pk)
    if by is not None:
        if not permissions.can(by, permissions.MANAGE_DIRECTORY, stored):
            raise PermissionDenied("You may not edit this person.")
        if (fields.get("role", stored.role) == User.Role.SECRETARIAT and stored.role != User.Role.SECRETARIAT
                and not permissions.can(by, permissions.GRANT_SECRETARIAT)):
            raise PermissionDenied("Only the secretariat gives the secretariat role.")
    for name, value in fields.items():
        setattr(person, name, value)
    if person.organization_id != stored.organization_id and stored.is_focal_point:
        person.is_focal_point = False
    person.full_clean()
    person.save()
    if person.email.lower() != stored.email.lower():
        EmailAddress.objects.filter(user=person).exclude(email__iexact=person.email).delete()
        EmailAddress.objects.update_or_create(
            user=person, email=person.email, defaults={"verified": True, "primary": True})
    if any(getattr(person, name) != getattr(stored, name) for name in ACCESS_FIELDS):
        sessions_end(user=person, keep_session_key=keep_session_key)
    return person

