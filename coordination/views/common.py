"""What the coordination pages share."""

from django.http import Http404

from members.ids import parse_id

PAGE_SIZE = 50


def pk_or_404(value) -> int:
    pk = parse_id(value)
    if pk is None:
        raise Http404("No such page")
    return pk
