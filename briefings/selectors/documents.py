"""Reads of the library: lists, facets, one document's page, its downloads."""

from __future__ import annotations

import datetime

from django.db.models import Count, Prefetch, Q
from django.db.models.functions import ExtractYear
from django.utils import timezone

from members import cache as portal_cache
from members import permissions

from ..models import Briefing, Document, DocumentVersion, Download, Topic

LIST_FIELDS = (
    "id", "title", "kind", "source_id", "publication_date", "access_level", "original_name", "size",
    "content_type", "file", "text_status", "created_at", "uploaded_by_id",
    "source__name", "source__acronym",
)

def documents_visible_to(user):
    """Every document ``user`` may know exists (the rule lives in ``briefings.rules``)."""
    return permissions.visible_to(user, Document.objects.all())


def for_list(rows):
    """The relations and columns a list of documents shows, in a constant number of queries."""
    return rows.select_related("source").prefetch_related("topics").only(*LIST_FIELDS)


SORTS = {
    "newest": ("-publication_date", "-created_at", "-id"),
    "oldest": ("publication_date", "created_at", "id"),
    "added": ("-created_at", "-id"),
    "title": ("title", "id"),
}


def documents_library(user, *, kind="", topic="", source=None, year=None, sort="newest", meeting=None):
    rows = documents_visible_to(user)
    if kind:
        rows = rows.filter(kind=kind)
    if topic:
        rows = rows.filter(topics__slug=topic)
    if source:
        rows = rows.filter(source=source)
    if year:
        rows = rows.filter(Q(publication_date__year=year) | Q(publication_date=None, created_at__year=year))
    if meeting:
        rows = rows.filter(meeting=meeting)
    return for_list(rows.order_by(*SORTS.get(sort, SORTS["newest"])))


# Cached parts of the library (``members.cache``, scope "library"): one entry per
# kind of reader (those who see co-chairs-only documents and those who do not),
# retired by any change to a document or its topics (briefings.apps).


def _reader(user) -> int:
    return int(permissions.can(user, permissions.VIEW_RESTRICTED))


def documents_library_count(user, **filters) -> int:
    """How many documents the library shows for these filters: counting 20,000 rows
    on each page view was most of the page's time."""
    key = "count:{}:{}".format(_reader(user), ":".join(f"{k}={filters.get(k) or ''}" for k in sorted(filters)))
    return portal_cache.cached("library", key, lambda: documents_library(user, **filters).order_by().count())


def documents_latest(user, *, limit: int = 6) -> list[Document]:
    return portal_cache.cached(
        "library", f"latest:{_reader(user)}:{limit}",
        lambda: list(for_list(documents_visible_to(user)).order_by("-created_at", "-id")[:limit]),
    )


def library_facets(user) -> dict:
    """The years and source organizations to filter the library by. Cached: scanning
    every document on each page view costs more than the rest of the page."""

    def compute():
        rows = documents_visible_to(user)
        years = (
            rows.exclude(publication_date=None).annotate(year=ExtractYear("publication_date"))
            .order_by("-year").values_list("year", flat=True).distinct()
        )
        sources = rows.exclude(source=None).order_by("source_id").values_list("source_id", flat=True).distinct()
        return {"years": list(years), "source_ids": list(sources)}

    return portal_cache.cached("library", f"facets:{_reader(user)}", compute)


def topics():
    return Topic.objects.all()


def document_page_queryset(user):
    """The documents ``user`` may see, with what a document's page shows."""
    briefings = permissions.visible_to(user, Briefing.objects.all()).select_related("presenter", "meeting")
    briefings = briefings.order_by("-given_on", "-id")
    return (
        documents_visible_to(user)
        .select_related("source", "uploaded_by", "uploaded_by__organization", "meeting")
        .prefetch_related(
            "topics",
            Prefetch("briefings", queryset=briefings),
            "versions__uploaded_by",
            "changes__by",
        )
        .annotate(download_count=Count("downloads", distinct=True))
    )


def document_file_queryset(user):
    """The documents ``user`` may see, with only the columns a download needs."""
    return documents_visible_to(user).only(
        "id", "file", "original_name", "content_type", "size", "access_level", "uploaded_by_id"
    )


def document_version(document: Document, version_pk) -> DocumentVersion | None:
    return DocumentVersion.objects.filter(pk=version_pk, document=document).first()


def document_downloads(user, document):
    """The downloads of ``document`` that ``user`` may see, newest first."""
    return permissions.visible_to(user, Download.objects.filter(document=document)).select_related(
        "user", "user__organization", "version"
    ).order_by("-at", "-id")


def document_duplicate_for(user, sha256: str, *, exclude_pk=None) -> Document | None:
    """The first document ``user`` may see that holds the same bytes.

    Only visible documents count: a duplicate of a co-chairs-only document must
    not tell a member that such a document exists.
    """
    rows = documents_visible_to(user).filter(sha256=sha256)
    if exclude_pk:
        rows = rows.exclude(pk=exclude_pk)
    return rows.order_by("created_at").first()


def documents_awaiting_extraction(*, older_than: datetime.timedelta, limit: int = 500) -> list[int]:
    """Ids of the documents whose text extraction was never picked up (the broker was down)."""
    cutoff = timezone.now() - older_than
    return list(
        Document.objects.filter(text_status=Document.TextStatus.PENDING, updated_at__lt=cutoff)
        .values_list("pk", flat=True)[:limit]
    )


def document_last_upload(document: Document):
    """The change that recorded the upload of the current file (who and when), if any."""
    return document.changes.filter(summary__startswith="Uploaded").first()
