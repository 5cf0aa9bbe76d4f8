"""What the briefings views share: finding one visible object by its id, paging links."""

from django.http import Http404

from members import permissions
from members.ids import parse_id

PAGE_SIZE = 25


def visible_or_404(user, queryset, pk):
    """The object ``pk`` of ``queryset`` if ``user`` may know it exists, else 404 (a forged id too)."""
    pk = parse_id(pk)
    if pk is None:
        raise Http404("No such page")
    return permissions.get_visible_or_404(user, queryset, pk=pk)


def query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()
