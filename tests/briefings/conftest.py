import pytest
from django.db import connection


@pytest.fixture
def on_postgres(db):
    if connection.vendor != "postgresql":
        pytest.skip("full-text search needs PostgreSQL: set DATABASE_URL=postgres://...")
