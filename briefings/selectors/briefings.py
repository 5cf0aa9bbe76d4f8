"""Reads of briefings: the list, one briefing's page, the documents a briefing keeps."""

from __future__ import annotations

from django.db.models import Prefetch

from members import permissions

from ..models import Briefing, Document
from .documents import documents_visible_to, for_list


def _with_visible_documents(user, rows):
    documents = for_list(documents_visible_to(user)).order_by("title")
    return rows.prefetch_related(Prefetch("documents", queryset=documents))


def briefings_visible_to(user):
    return permissions.visible_to(user, Briefing.objects.all())


def briefings_list(user, *, meeting=None, presenter=None):
    rows = _with_visible_documents(user, briefings_visible_to(user).select_related("presenter", "meeting"))
    if meeting is not None:
        rows = rows.filter(meeting=meeting)
    if presenter is not None:
        rows = rows.filter(presenter=presenter)
    return rows.order_by("-given_on", "-created_at", "-id")


def briefing_page_queryset(user):
    """The briefings ``user`` may see, with what a briefing's page shows (its visible documents)."""
    return _with_visible_documents(
        user,
        briefings_visible_to(user).select_related("presenter", "meeting", "agenda_item", "created_by"),
    )


def briefing_documents_hidden_from(user, briefing: Briefing) -> list[Document]:
    """The documents of ``briefing`` that ``user`` may not see (read from the database, not a prefetch)."""
    return list(
        Document.objects.filter(briefings=briefing).exclude(pk__in=documents_visible_to(user).values("pk"))
    )


def agenda_item_taken(agenda_item, *, exclude_pk=None) -> bool:
    rows = Briefing.objects.filter(agenda_item=agenda_item)
    if exclude_pk:
        rows = rows.exclude(pk=exclude_pk)
    return rows.exists()
