"""A person's own record: their name, title and phone, and leaving the group.

Leaving (or being deactivated by the secretariat) switches the account off and
keeps everything it did: replies, attendance, uploads, downloads and notes stay
in the record under the person's name. Email addresses change through
allauth's verified-address flow (/accounts/email/), never here.
"""

from __future__ import annotations

from django.db import transaction

from ..models import User


@transaction.atomic
def profile_update(*, user: User, full_name: str, title: str = "", phone: str = "") -> User:
    user.full_name, user.title, user.phone = full_name.strip(), title.strip(), phone.strip()
    user.full_clean()
    user.save(update_fields=["full_name", "title", "phone"])
    return user


@transaction.atomic
def person_deactivate(*, person: User, by: User | None) -> User:
    """Switch the account off: no sign-in, no mailings (every audience counts
    active people only), no focal-point role; the history stays."""
    person = User.objects.select_for_update().get(pk=person.pk)
    if person.is_active:
        person.is_active = False
        person.is_focal_point = False
        person.save(update_fields=["is_active", "is_focal_point"])
    return person


def person_leave(*, person: User) -> User:
    """A member leaves the group of their own accord."""
    return person_deactivate(person=person, by=person)
