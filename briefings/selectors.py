"""Reads shared by the briefings pages, the dashboard and the panels on other apps' pages.

Every list of documents starts from ``documents_visible_to(user)`` so that a
co-chairs-only document never reaches someone who may not see it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.core.cache import cache
from django.db import connection
from django.db.models import TextField
from django.db.models import Case, Count, F, IntegerField, Min, Prefetch, Q, Value, When
from django.db.models.functions import Concat, ExtractYear, Left
from django.utils.html import escape
from django.utils.safestring import mark_safe

from members import cache as portal_cache
from members import permissions
from notifications.models import Message

from .models import AccessLevel, Briefing, Circulation, Document, Download, Topic
from .services import SEARCH_CONFIG

LIST_FIELDS = (
    "id", "title", "kind", "source_id", "publication_date", "access_level", "original_name", "size",
    "content_type", "file", "text_status", "created_at", "uploaded_by_id",
    "source__name", "source__acronym",
)


def documents_visible_to(user):
    rows = Document.objects.all()
    if not permissions.can(user, permissions.VIEW_RESTRICTED):
        rows = rows.filter(access_level=AccessLevel.MEMBERS)
    return rows


def _for_list(rows):
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
    return _for_list(rows.order_by(*SORTS.get(sort, SORTS["newest"])))


def library_facets(user) -> dict:
    """The years and source organizations to filter the library by. Cached: scanning
    every document on each page view costs more than the rest of the page; any change
    to a document retires it (``members.cache``, scope "library")."""
    restricted = permissions.can(user, permissions.VIEW_RESTRICTED)

    def compute():
        rows = documents_visible_to(user)
        years = (
            rows.exclude(publication_date=None).annotate(year=ExtractYear("publication_date"))
            .order_by("-year").values_list("year", flat=True).distinct()
        )
        sources = rows.exclude(source=None).order_by("source_id").values_list("source_id", flat=True).distinct()
        return {"years": list(years), "source_ids": list(sources)}

    return portal_cache.cached("library", f"facets:{int(restricted)}", compute)


def documents_library_count(user, **filters) -> int:
    """How many documents the library shows for these filters: counting 20,000 rows
    on each page view is most of the page's time, so the figure is cached until a
    document changes (scope "library")."""
    restricted = permissions.can(user, permissions.VIEW_RESTRICTED)
    key = "count:{}:{}".format(int(restricted), ":".join(f"{k}={filters.get(k) or ''}" for k in sorted(filters)))
    return portal_cache.cached("library", key, lambda: documents_library(user, **filters).order_by().count())


def topics():
    return Topic.objects.all()


def _pk(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def document_for(user, pk) -> Document | None:
    """The document with its page's relations, or None if it does not exist or ``user`` may not see it."""
    pk = _pk(pk)
    briefings = Briefing.objects.select_related("presenter", "meeting").order_by("-given_on", "-id")
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
        .filter(pk=pk)
        .first()
    )


def document_downloads(document):
    return Download.objects.filter(document=document).select_related(
        "user", "user__organization", "version"
    ).order_by("-at", "-id")


def document_duplicate_of(sha256: str, *, exclude_pk=None):
    rows = Document.objects.filter(sha256=sha256)
    if exclude_pk:
        rows = rows.exclude(pk=exclude_pk)
    return rows.order_by("created_at").first()


# --- Search ------------------------------------------------------------------------

HIGHLIGHT_START, HIGHLIGHT_STOP = "\x02", "\x03"
MAX_QUERY_LENGTH = 200


def _highlighted(snippet: str) -> str:
    """Escape the snippet, then turn the markers into <mark>: the text came from a file."""
    html = escape(snippet or "")
    return mark_safe(html.replace(HIGHLIGHT_START, "<mark>").replace(HIGHLIGHT_STOP, "</mark>"))


def search_terms(q: str) -> list[str]:
    return [w for w in re.findall(r"\w+", q or "") if len(w) > 1][:10]


@dataclass
class SearchResults:
    query: str
    documents: object  # a queryset, paginated by the view
    briefings: list
    full_text: bool


def search(user, q: str) -> SearchResults:
    # Control characters (NUL above all) mean nothing in a query and PostgreSQL refuses NUL.
    q = re.sub(r"[\x00-\x1f\x7f]", " ", q or "").strip()[:MAX_QUERY_LENGTH]
    if not search_terms(q):
        return SearchResults(q, Document.objects.none(), [], connection.vendor == "postgresql")
    if connection.vendor == "postgresql":
        return _search_postgres(user, q)
    return _search_fallback(user, q)


SEARCH_CAP = 1000  # matches counted at most; beyond, the page reads "more than 1,000"
# Characters of a document's text that its snippet is looked for in: a headline over
# a whole report costs more than the rest of the search.
SNIPPET_SOURCE_CHARS = 20_000


def _search_postgres(user, q: str) -> SearchResults:
    restricted = permissions.can(user, permissions.VIEW_RESTRICTED)
    documents = RankedMatches(q, levels=None if restricted else [AccessLevel.MEMBERS])
    return SearchResults(q, documents, _briefings_matching(user, q), True)


class RankedMatches:
    """The documents matching a query, best first, read a page at a time.

    Documents whose title, description, topics, source or briefings match come
    first, ranked by those (the small ``search_head`` vector; among the newest
    ``SEARCH_CAP`` of them when there are more); then the documents that match only
    inside their file's text, newest first. Neither step reads the large search
    vectors of the matches: ranking every match by its whole vector is what made
    a word found in most of the library take a quarter of a second.
    """

    ordered = True  # for the paginator

    def __init__(self, q: str, *, levels: list[str] | None):
        self.q, self.levels = q, levels
        self.query = SearchQuery(q, search_type="websearch", config=SEARCH_CONFIG)
        self._head_count = None

    def _visible(self):
        rows = Document.objects.all()
        return rows if self.levels is None else rows.filter(access_level__in=self.levels)

    def _head(self):
        return self._visible().filter(search_head=self.query)

    def head_count(self) -> int:
        if self._head_count is None:
            self._head_count = self._head().order_by().values("pk")[: SEARCH_CAP + 1].count()
        return self._head_count

    def _body_only(self, *, count: bool, limit: int, offset: int = 0):
        """Ids (or their number, at most ``limit``) of visible documents matching only in their text."""
        query_sql, query_params = "websearch_to_tsquery(%s::regconfig, %s)", [SEARCH_CONFIG, self.q]
        table = Document._meta.db_table
        levels = "" if self.levels is None else "AND access_level = ANY(%s)"
        level_params = [] if self.levels is None else [list(self.levels)]
        # A CTE that reads only the small columns of the matches, which the GIN
        # index alone finds; then ordered by date.
        matches = f"""WITH matches AS MATERIALIZED (
                SELECT id, publication_date, access_level, coalesce(search_head @@ {query_sql}, false) AS in_head
                FROM {table} WHERE search_vector @@ {query_sql})"""
        params = [*query_params, *query_params, *level_params]
        if count:
            return _through_gin_only(
                f"{matches} SELECT count(*) FROM (SELECT 1 FROM matches WHERE NOT in_head {levels} LIMIT %s) AS s",
                [*params, limit],
            )[0][0]
        rows = _through_gin_only(
            f"{matches} SELECT id FROM matches WHERE NOT in_head {levels} "
            f"ORDER BY publication_date DESC, id DESC LIMIT %s OFFSET %s",
            [*params, limit, offset],
        )
        return [row[0] for row in rows]

    def count(self) -> int:
        """The number of matches, at most SEARCH_CAP + 1."""
        head = self.head_count()
        if head > SEARCH_CAP:
            return head
        return head + self._body_only(count=True, limit=SEARCH_CAP + 1 - head)

    def __len__(self):
        return self.count()

    def __getitem__(self, key):
        if isinstance(key, int):
            return self[key:key + 1][0]
        start, stop = key.start or 0, key.stop if key.stop is not None else self.count()
        ids: list[int] = []
        if start < self.head_count():
            candidates = self._head().order_by("-publication_date", "-id").values("pk")[: SEARCH_CAP + 1]
            ids = list(
                Document.objects.filter(pk__in=candidates)
                .annotate(rank=SearchRank(F("search_head"), self.query))
                .order_by("-rank", "-publication_date", "-id")
                .values_list("pk", flat=True)[start:stop]
            )
        if len(ids) < stop - start:
            ids += self._body_only(count=False, limit=stop - start - len(ids),
                                   offset=max(0, start - self.head_count()))
        rows = _for_list(Document.objects.filter(pk__in=ids)).only(*LIST_FIELDS, "description").annotate(
            snippet=SearchHeadline(
                Concat("description", Value(" … "), Left("text", SNIPPET_SOURCE_CHARS), output_field=TextField()),
                self.query,
                config=SEARCH_CONFIG,
                start_sel=HIGHLIGHT_START,
                stop_sel=HIGHLIGHT_STOP,
                max_fragments=2,
                max_words=30,
                min_words=12,
                fragment_delimiter=" … ",
            ),
        )
        by_id = {row.pk: row for row in rows}
        return [by_id[pk] for pk in ids if pk in by_id]


def _through_gin_only(sql: str, params: list) -> list[tuple]:
    """Run ``sql`` with PostgreSQL finding matches through the GIN index alone. For a
    word in most documents its planner would rather scan the table and test every
    row's search vector, tens of kilobytes each stored out of line: ten times slower."""
    with connection.cursor() as cursor:
        try:
            cursor.execute(f"SET enable_seqscan = off; SET enable_indexscan = off; {sql}", params)
            return cursor.fetchall()
        finally:
            cursor.execute("RESET enable_seqscan; RESET enable_indexscan")


def _fallback_snippet(document, terms: list[str]) -> str:
    for source in (document.text, document.description):
        lower = (source or "").lower()
        for term in terms:
            at = lower.find(term.lower())
            if at >= 0:
                start = max(0, at - 80)
                piece = source[start:at + 160]
                marked = re.sub(
                    "(" + "|".join(re.escape(t) for t in terms) + ")",
                    lambda m: HIGHLIGHT_START + m.group(0) + HIGHLIGHT_STOP,
                    piece,
                    flags=re.IGNORECASE,
                )
                return ("… " if start else "") + marked + " …"
    return (document.description or "")[:200]


def _search_fallback(user, q: str) -> SearchResults:
    terms = search_terms(q)
    rows = documents_visible_to(user)
    for term in terms:
        rows = rows.filter(
            Q(title__icontains=term) | Q(description__icontains=term) | Q(text__icontains=term)
            | Q(topics__name__icontains=term) | Q(briefings__summary__icontains=term)
            | Q(briefings__title__icontains=term)
        )
    ids = rows.values("pk").distinct()
    title_hits = Q()
    for term in terms:
        title_hits &= Q(title__icontains=term)
    documents = (
        _for_list(Document.objects.filter(pk__in=ids))
        .only(*LIST_FIELDS, "description")
        .annotate(rank=Case(When(title_hits, then=Value(1)), default=Value(0), output_field=IntegerField()))
        .order_by("-rank", "-publication_date", "-id")
    )
    return SearchResults(q, documents, _briefings_matching(user, q), False)


def with_snippets(results: SearchResults, page_documents) -> list:
    """Attach ``snippet_html`` to the documents of one page of results."""
    documents = list(page_documents)
    if results.full_text:
        for document in documents:
            document.snippet_html = _highlighted(getattr(document, "snippet", ""))
        return documents
    terms = search_terms(results.query)
    texts = dict(Document.objects.filter(pk__in=[d.pk for d in documents]).values_list("pk", "text"))
    for document in documents:
        document.text = texts.get(document.pk, "")
        document.snippet_html = _highlighted(_fallback_snippet(document, terms))
    return documents


def _briefings_matching(user, q: str) -> list:
    terms = search_terms(q)
    rows = briefings_list(user)
    for term in terms:
        rows = rows.filter(
            Q(title__icontains=term) | Q(summary__icontains=term) | Q(presenter__name__icontains=term)
            | Q(presenter__acronym__icontains=term)
        )
    return list(rows[:5])


# --- Briefings ---------------------------------------------------------------------


def briefings_list(user, *, meeting=None, presenter=None):
    documents = _for_list(documents_visible_to(user)).order_by("title")
    rows = Briefing.objects.select_related("presenter", "meeting").prefetch_related(
        Prefetch("documents", queryset=documents)
    )
    if meeting is not None:
        rows = rows.filter(meeting=meeting)
    if presenter is not None:
        rows = rows.filter(presenter=presenter)
    return rows.order_by("-given_on", "-created_at", "-id")


def briefing_for(user, pk) -> Briefing | None:
    pk = _pk(pk)
    documents = _for_list(documents_visible_to(user)).order_by("title")
    return (
        Briefing.objects.select_related("presenter", "meeting", "agenda_item", "created_by")
        .prefetch_related(Prefetch("documents", queryset=documents))
        .filter(pk=pk)
        .first()
    )


# --- Circulations ------------------------------------------------------------------


def circulations_list():
    return (
        Circulation.objects.select_related("created_by", "mailing")
        .prefetch_related(Prefetch("documents", queryset=Document.objects.only("id", "title", "access_level")))
        .order_by("-created_at", "-id")
    )


def circulation_for(pk) -> Circulation | None:
    pk = _pk(pk)
    return (
        Circulation.objects.select_related("created_by", "created_by__organization", "mailing")
        .prefetch_related(
            Prefetch("documents", queryset=Document.objects.select_related("source").order_by("title")),
            "organizations",
        )
        .filter(pk=pk)
        .first()
    )


def circulation_recipient_rows(circulation: Circulation):
    """The outbox rows of a circulation, one per recipient, for pagination."""
    if circulation.mailing_id is None:
        return Message.objects.none()
    return (
        Message.objects.filter(mailing_id=circulation.mailing_id)
        .only("id", "recipient_email", "recipient_name", "recipient_user_id", "status", "attempts",
              "last_error", "sent_at")
        .order_by("recipient_email", "id")
    )


def circulation_downloads(circulation: Circulation, user_ids) -> dict:
    """{(user_id, document_id): first download since the circulation} for these recipients."""
    documents = [d.pk for d in circulation.documents.all()]
    rows = (
        Download.objects.filter(
            document_id__in=documents, user_id__in=[u for u in user_ids if u], at__gte=circulation.created_at
        )
        .values("user_id", "document_id")
        .annotate(first=Min("at"))
    )
    return {(r["user_id"], r["document_id"]): r["first"] for r in rows}


def circulation_download_totals(circulation: Circulation) -> dict:
    """{document_id: recipients who downloaded it since} over all recipients."""
    if circulation.mailing_id is None:
        return {}
    recipients = Message.objects.filter(mailing_id=circulation.mailing_id).values("recipient_user_id")
    rows = (
        Download.objects.filter(
            document__in=circulation.documents.all(), user_id__in=recipients, at__gte=circulation.created_at
        )
        .values("document_id")
        .annotate(people=Count("user_id", distinct=True))
    )
    return {r["document_id"]: r["people"] for r in rows}


def circulations_to(user, *, limit=5):
    """Circulations that reached ``user`` (by their outbox row), newest first."""
    mailings = Message.objects.filter(recipient_user=user, kind="circulation").values("mailing_id")
    return list(
        Circulation.objects.filter(mailing_id__in=mailings)
        .select_related("created_by", "created_by__organization")
        .prefetch_related(
            Prefetch("documents", queryset=documents_visible_to(user).only("id", "title", "access_level"))
        )
        .order_by("-created_at", "-id")[:limit]
    )


# --- Dashboard and panels on other apps' pages --------------------------------------


def dashboard_panels(user) -> list[dict]:
    """What this app shows on the dashboard for ``user``: dicts with a
    ``template`` key and that template's context; empty when there is nothing."""
    if not permissions.can(user, permissions.VIEW_PORTAL):
        return []
    panels = []
    restricted = permissions.can(user, permissions.VIEW_RESTRICTED)
    latest = portal_cache.cached(
        "library", f"latest:{int(restricted)}",
        lambda: list(_for_list(documents_visible_to(user)).order_by("-created_at", "-id")[:6]),
    )
    if latest:
        panels.append({"template": "briefings/panels/dashboard_documents.html", "documents": latest})
    circulated = circulations_to(user)
    if circulated:
        downloaded = set(
            Download.objects.filter(
                user=user, document__in=[d.pk for c in circulated for d in c.documents.all()]
            ).values_list("document_id", flat=True)
        )
        panels.append(
            {"template": "briefings/panels/dashboard_circulations.html", "circulations": circulated,
             "downloaded": downloaded}
        )
    return panels


def meeting_panel(user, meeting) -> dict | None:
    briefings = list(briefings_list(user, meeting=meeting))
    documents = list(_for_list(documents_visible_to(user).filter(meeting=meeting)).order_by("title"))
    if not briefings and not documents:
        return None
    return {"meeting": meeting, "briefings": briefings, "documents": documents}


def organization_panel(user, organization) -> dict | None:
    briefings = list(briefings_list(user, presenter=organization)[:10])
    rows = documents_visible_to(user).filter(source=organization)
    documents = list(_for_list(rows).order_by("-publication_date", "-created_at")[:10])
    if not briefings and not documents:
        return None
    return {
        "organization": organization, "briefings": briefings, "documents": documents,
        "documents_total": rows.count() if len(documents) == 10 else len(documents),
    }
