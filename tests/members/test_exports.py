"""CSV exports: no cell a spreadsheet program would run as a formula."""

import csv
import io

import pytest

from members.exports import csv_cell, csv_response


@pytest.mark.parametrize("value, expected", [
    ("=1+1", "'=1+1"), ("+SUM(A1)", "'+SUM(A1)"), ("-2", "'-2"), ("@cmd", "'@cmd"), ("\tx", "'\tx"),
    ("Embassy of Sweden", "Embassy of Sweden"), (None, ""), (7, "7"),
])
def test_csv_cell_neutralises_formulas(value, expected):
    assert csv_cell(value) == expected


def test_csv_response_neutralises_header_and_rows():
    response = csv_response("x.csv", ["=Name"], [["=a"], ["b"]])
    assert response["Content-Disposition"] == 'attachment; filename="x.csv"'
    assert list(csv.reader(io.StringIO(response.content.decode()))) == [["'=Name"], ["'=a"], ["b"]]
