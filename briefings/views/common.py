"""What the briefings views share: finding one visible object by its id, paging links."""

from members import permissions
from members.ids import id_or_404

PAGE_SIZE = 25


def visible_or_404(user, queryset, pk):
    """The object ``pk`` of ``queryset`` if ``user`` may know it exists, else 404 (a forged id too)."""
    return permissions.get_visible_or_404(user, queryset, pk=id_or_404(pk))


def query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()
