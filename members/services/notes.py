"""Writes of members' notes on organizations (partner NGOs, usually)."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from ..models import Organization, OrganizationNote, User


@transaction.atomic
def note_add(*, organization: Organization, author: User, text: str,
             noted_on: date | None = None) -> OrganizationNote:
    return OrganizationNote.objects.create(
        organization=organization, author=author, author_organization_id=author.organization_id,
        text=text.strip(), noted_on=noted_on or timezone.localdate(),
    )


@transaction.atomic
def note_edit(*, note: OrganizationNote, text: str, noted_on: date) -> OrganizationNote:
    note.text, note.noted_on = text.strip(), noted_on
    note.save(update_fields=["text", "noted_on", "updated_at"])
    return note


@transaction.atomic
def note_delete(*, note: OrganizationNote) -> None:
    note.delete()


@transaction.atomic
def note_hide(*, note: OrganizationNote, by: User, hidden: bool = True) -> OrganizationNote:
    """Coordinators hide a note from members (its author still sees it), or show it again."""
    note.hidden_at, note.hidden_by = (timezone.now(), by) if hidden else (None, None)
    note.save(update_fields=["hidden_at", "hidden_by", "updated_at"])
    return note
