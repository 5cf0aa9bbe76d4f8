"""Search over the documents a user may see (full text on PostgreSQL, a simpler
fallback elsewhere) and the briefings whose words match."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import connection
from django.db.models import Case, F, IntegerField, Q, TextField, Value, When
from django.db.models.functions import Concat, Greatest, Left, Lower, StrIndex, Substr
from django.utils.html import escape
from django.utils.safestring import mark_safe

from members import permissions

from ..models import AccessLevel, Document
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
    documents: object  # a queryset or RankedMatches, paginated by the view
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


SEARCH_CAP = 1000  # matches counted at most; beyond, the page reads "more than 1,000"
# The snippet is looked for in this many characters of the text, from a little
# before the first place where the query's first word appears: a headline over a
# whole report costs more than the rest of the search.
SNIPPET_WINDOW = 3000
SNIPPET_LEAD = 300


def search_full_text(user, q: str) -> SearchResults:
    # The access levels whose documents the user may see, as the object rule answers
    # them (the raw query below filters on them; the rest uses the queryset rule).
    levels = [level for level in AccessLevel.values
              if permissions.can(user, permissions.VIEW, Document(access_level=level))]
    documents = RankedMatches(q, visible=documents_visible_to(user), levels=levels)
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

    def __init__(self, q: str, *, visible, levels: list[str]):
        self.q, self.visible, self.levels = q, visible, levels
        self.query = SearchQuery(q, search_type="websearch", config=SEARCH_CONFIG)
        self._head_count = None

    def _head(self):
        return self.visible.filter(search_head=self.query)

    def head_count(self) -> int:
        if self._head_count is None:
            self._head_count = self._head().order_by().values("pk")[: SEARCH_CAP + 1].count()
        return self._head_count

    def _body_only(self, *, count: bool, limit: int, offset: int = 0):
        """Ids (or their number, at most ``limit``) of visible documents matching only in their text."""
        query_sql, query_params = "websearch_to_tsquery(%s::regconfig, %s)", [SEARCH_CONFIG, self.q]
        table = Document._meta.db_table
        levels, level_params = "AND access_level = ANY(%s)", [list(self.levels)]
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

    def _text_window(self):
        terms = search_terms(self.q)
        if not terms:
            return Left("text", SNIPPET_WINDOW)
        # strpos answers 0 when the word is only found as another form (a stem):
        # the window then starts at the beginning of the text.
        found = StrIndex(Lower("text"), Value(terms[0].lower()))
        start = Greatest(found - SNIPPET_LEAD, Value(1))
        return Substr("text", start, SNIPPET_WINDOW)

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
        rows = for_list(Document.objects.filter(pk__in=ids)).only(*LIST_FIELDS, "description").annotate(
            snippet=SearchHeadline(
                Concat("description", Value(" … "), self._text_window(), output_field=TextField()),
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
