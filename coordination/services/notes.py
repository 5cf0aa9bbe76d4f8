"""Members' notes on partner organizations."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from members.models import Organization, User

from ..models import PartnerNote


@transaction.atomic
def note_add(*, organization: Organization, author: User, text: str, noted_on: date | None = None) -> PartnerNote:
    return PartnerNote.objects.create(
        organization=organization, author=author, author_organization_id=author.organization_id,
        text=text.strip(), noted_on=noted_on or timezone.localdate(),
    )


@transaction.atomic
def note_edit(*, note: PartnerNote, text: str, noted_on: date) -> PartnerNote:
    note.text, note.noted_on = text.strip(), noted_on
    note.save(update_fields=["text", "noted_on", "updated_at"])
    return note


@transaction.atomic
def note_delete(*, note: PartnerNote) -> None:
    note.delete()


@transaction.atomic
def note_hide(*, note: PartnerNote, by: User, hidden: bool = True) -> PartnerNote:
    """Co-chairs hide a note from members (its author still sees it), or show it again."""
    note.hidden_at, note.hidden_by = (timezone.now(), by) if hidden else (None, None)
    note.save(update_fields=["hidden_at", "hidden_by", "updated_at"])
    return note
