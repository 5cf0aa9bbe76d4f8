"""One parser for ids from query strings and forms."""

import pytest
from django.http import Http404

from members.ids import MAX_ID, id_or_404, parse_id, parse_ids


@pytest.mark.parametrize("value, expected", [
    ("42", 42), (" 7 ", 7), (42, 42), (str(MAX_ID), MAX_ID),
    ("9" * 25, None), (str(MAX_ID + 1), None), ("0", None), ("-3", None), ("4.2", None), ("٤٢", None),
    ("", None), (None, None), (True, None), ("1e3", None),
])
def test_parse_id_accepts_only_keys_the_database_can_hold(value, expected):
    assert parse_id(value) == expected


def test_parse_ids_keeps_valid_ids_once_in_order():
    assert parse_ids(["3", "x", "1", "3", "9" * 25, "2"]) == [3, 1, 2]


@pytest.mark.parametrize("value", ["9" * 25, "abc", "-3", "", None])
def test_an_id_no_key_can_hold_names_no_page(value):
    with pytest.raises(Http404):
        id_or_404(value)


def test_a_good_id_passes_through():
    assert id_or_404("42") == 42
