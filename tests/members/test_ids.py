"""One parser for ids from query strings and forms."""

import pytest

from members.ids import MAX_ID, parse_id, parse_ids


@pytest.mark.parametrize("value, expected", [
    ("42", 42), (" 7 ", 7), (42, 42), (str(MAX_ID), MAX_ID),
    ("9" * 25, None), (str(MAX_ID + 1), None), ("0", None), ("-3", None), ("4.2", None), ("٤٢", None),
    ("", None), (None, None), (True, None), ("1e3", None),
])
def test_parse_id_accepts_only_keys_the_database_can_hold(value, expected):
    assert parse_id(value) == expected


def test_parse_ids_keeps_valid_ids_once_in_order():
    assert parse_ids(["3", "x", "1", "3", "9" * 25, "2"]) == [3, 1, 2]
