"""Row ids from query strings and forms: one parser for the whole portal.

Anything that is not a positive integer a database key can hold is ``None``,
so that a forged id answers 404 or a form error, never a 500 (SQLite refuses
integers beyond 64 bits rather than finding nothing).
"""

from collections.abc import Iterable

from django.http import Http404

# The largest value of a 64-bit signed key (BigAutoField).
MAX_ID = 2**63 - 1


def parse_id(value) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return value if 0 < value <= MAX_ID else None
    text = str(value or "").strip()
    if not text.isascii() or not text.isdigit() or len(text) > 19:
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None


def parse_ids(values: Iterable) -> list[int]:
    """The valid ids among ``values``, in order, each once."""
    seen: dict[int, None] = {}
    for value in values:
        number = parse_id(value)
        if number is not None:
            seen.setdefault(number, None)
    return list(seen)


def id_or_404(value) -> int:
    """An id from a URL that a database key can hold; anything else names no page."""
    number = parse_id(value)
    if number is None:
        raise Http404("No such page")
    return number
