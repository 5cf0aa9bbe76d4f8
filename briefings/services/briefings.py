"""Briefings given at meetings: recorded, changed, and their documents kept searchable."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from members import permissions
from members.markup import markdown_to_html
from members.models import Organization, User

from ..models import Briefing, Document
from ..selectors import briefings as selectors
from .indexing import search_vectors_refresh


def presenter_allowed(user, presenter: Organization | None, *, briefing: Briefing | None = None) -> bool:
    """A member presents in their own organization's name; a coordinator records any
    organization's briefing. Keeping a briefing's presenter unchanged is always allowed."""
    if permissions.is_coordinator(user):
        return True
    if briefing is not None and presenter is not None and briefing.presenter_id == presenter.pk:
        return True
    return presenter is None or presenter.pk == getattr(user, "organization_id", None)


def briefing_check(*, meeting=None, agenda_item=None, briefing: Briefing | None = None,
                   presenter: Organization | None = None, by: User | None = None):
    """Refuse an agenda item of another meeting, one that already has a briefing, or
    one whose slot is another organization's; refuse a presenter ``by`` may not name.

    Returns the briefing's meeting: the agenda item's when none was chosen.
    Raises ValidationError keyed by field; forms call it in their validation.
    """
    if by is not None and not presenter_allowed(by, presenter, briefing=briefing):
        raise ValidationError({"presenter": "You present briefings in your own organization's name; "
                                            "a co-chair or the secretariat records those of others."})
    if agenda_item is None:
        return meeting
    if meeting is None:
        meeting = agenda_item.meeting
    if agenda_item.meeting_id != meeting.pk:
        raise ValidationError({"agenda_item": "The agenda item must belong to the chosen meeting."})
    if selectors.agenda_item_taken(agenda_item, exclude_pk=briefing.pk if briefing else None):
        raise ValidationError({"agenda_item": "That agenda item already has a briefing."})
    if agenda_item.presenter_id and agenda_item.presenter_id != (presenter.pk if presenter else None):
        raise ValidationError({"agenda_item": f"That agenda item is {agenda_item.presenter}'s to present."})
    return meeting


@transaction.atomic
def briefing_save(
    *,
    by: User,
    briefing: Briefing | None = None,
    title: str,
    summary: str = "",
    presenter: Organization | None = None,
    given_on: datetime.date | None = None,
    meeting=None,
    agenda_item=None,
    documents: Iterable[Document] = (),
) -> Briefing:
    """Record a new briefing (``briefing=None``) or change one; its documents' search vectors follow.

    ``documents`` are those ``by`` chose among the ones they may see: the
    briefing's documents hidden from ``by`` stay attached whatever they chose.
    """
    if briefing is not None and briefing.meeting_id and not permissions.can(by, permissions.VIEW, briefing.meeting):
        # A meeting the editor may not see (a draft) was never offered to them: it and its item stay.
        meeting, agenda_item = briefing.meeting, briefing.agenda_item
    meeting = briefing_check(meeting=meeting, agenda_item=agenda_item, briefing=briefing, presenter=presenter, by=by)
    documents = list(documents)
    if briefing is None:
        briefing = Briefing(created_by=by)
        before = set()
        if given_on is None and meeting is not None:
            given_on = timezone.localtime(meeting.start).date()
    else:
        before = set(briefing.documents.values_list("pk", flat=True))
        documents += selectors.briefing_documents_hidden_from(by, briefing)
    briefing.title = title.strip()
    briefing.summary = summary
    briefing.summary_html = markdown_to_html(summary)
    briefing.presenter = presenter
    briefing.given_on = given_on
    briefing.meeting = meeting
    briefing.agenda_item = agenda_item
    briefing.save()
    briefing.documents.set(documents)
    search_vectors_refresh(document_ids=before | {d.pk for d in documents})
    return briefing


def briefing_create(**fields) -> Briefing:
    return briefing_save(briefing=None, **fields)


def briefing_update(*, briefing: Briefing, **fields) -> Briefing:
    return briefing_save(briefing=briefing, **fields)
