"""Writes of the directory: organizations, their status history, people, notes."""

from __future__ import annotations

import datetime

from allauth.account.models import EmailAddress
from django.db import transaction
from django.utils import timezone

from notifications.services import message_queue

from .. import emails
from ..models import MembershipChange, Organization, OrganizationNote, User


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
        message_queue(kind="account:welcome", email=emails.welcome_email(user=user, by=by))
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
