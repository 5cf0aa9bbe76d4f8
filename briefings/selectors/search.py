"""Search over the documents a user may see (full text on PostgreSQL, a simpler
fallback elsewhere) and the briefings whose words match."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import connection
from django.db.models import Case, F, IntegerField, Q, TextField, Value, When
from django.db.models.functions import Concat
from django.utils.html import escape
from django.utils.safestring import mark_safe

from ..models import Document
from .briefings import briefings_list
from .documents import LIST_FIELDS, documents_visible_to, for_list

# The text search configuration of the stored vectors and of the queries (services build the vectors).
SEARCH_CONFIG = "english"
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
        return search_full_text(user, q)
    return search_fallback(user, q)


def search_full_text(user, q: str) -> SearchResults:
    query = SearchQuery(q, search_type="websearch", config=SEARCH_CONFIG)
    documents = (
        documents_visible_to(user)
        .filter(search_vector=query)
        .annotate(
            rank=SearchRank(F("search_vector"), query),
            snippet=SearchHeadline(
                Concat("description", Value(" … "), "text", output_field=TextField()),
                query,
                config=SEARCH_CONFIG,
                start_sel=HIGHLIGHT_START,
                stop_sel=HIGHLIGHT_STOP,
                max_fragments=2,
                max_words=30,
                min_words=12,
                fragment_delimiter=" … ",
            ),
        )
        .order_by("-rank", "-publication_date", "-id")
    )
    documents = for_list(documents).only(*LIST_FIELDS, "description")
    return SearchResults(q, documents, _briefings_matching(user, q), True)


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


def search_fallback(user, q: str) -> SearchResults:
    """Every word must appear in the title, description, text, topics or a briefing; title hits first."""
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
        for_list(Document.objects.filter(pk__in=ids))
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
