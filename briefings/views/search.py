"""The search page."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.functional import cached_property

from members import permissions

from ..selectors import search as selectors
from .common import PAGE_SIZE, query_without_page


class SearchPaginator(Paginator):
    """Counts matches only up to ``cap``: a word found in most of the library would
    otherwise make PostgreSQL read every match's search vector just to count it.
    Beyond the cap, people refine the query rather than page on."""

    cap = selectors.SEARCH_CAP

    @cached_property
    def count(self):
        if isinstance(self.object_list, selectors.RankedMatches):
            return self.object_list.count()  # already stops counting past the cap
        # Without the ranking and the snippets: only "is there a match" per row.
        return self.object_list.order_by().values("pk")[: self.cap + 1].count()

    @property
    def capped(self):
        return self.count > self.cap


@permissions.require(permissions.VIEW_PORTAL)
def search(request):
    results = selectors.search(request.user, request.GET.get("q", ""))
    page = SearchPaginator(results.documents, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = selectors.with_snippets(results, page.object_list)
    return render(
        request,
        "briefings/search.html",
        {"results": results, "page": page, "query": query_without_page(request),
         "searched": bool(selectors.search_terms(results.query))},
    )
