"""Fixtures shared by the whole suite: people of each role, real services.

Unit tests run Celery tasks eagerly; tests marked ``worker`` start a real
``celery worker`` process that consumes from Redis and delivers to an SMTP
server on loopback (see ``celery_worker`` and ``smtp_sink``).
"""

import os

# Playwright's sync API runs an event loop in the test thread; Django's
# async-safety check would otherwise refuse database access from it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import pytest  # noqa: E402

from tests.fixtures import people  # noqa: E402

# Settings for tests live in tests/settings.py (pytest.ini names it); nothing here changes them.

pytest_plugins = [
    "tests.fixtures.services", "tests.fixtures.browser", "tests.fixtures.dovecot", "tests.fixtures.object_storage",
]


@pytest.fixture(autouse=True)
def _portal_test_settings(settings, tmp_path):
    """Every test: private media in a temporary folder, tasks eager, a clean cache."""
    from django.core.cache import cache

    from wgportal.celery import app

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SITE_URL = "http://testserver"
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = True
    cache.clear()
    yield
    app.conf.task_always_eager = eager


@pytest.fixture
def password():
    return people.PASSWORD


@pytest.fixture
def member(db, password):
    return people.make_member(password)


@pytest.fixture
def cochair(db, password):
    return people.make_cochair(password)


@pytest.fixture
def secretariat(db, password):
    return people.make_secretariat(password)


@pytest.fixture
def outsider(db, password):
    """Signed-in, but their organization is only invited."""
    return people.make_outsider(password)


@pytest.fixture
def former_member(db, password):
    """Their organization withdrew from the group."""
    return people.make_former_member(password)


@pytest.fixture
def users_by_role(member, cochair, secretariat, outsider):
    return {"member": member, "cochair": cochair, "secretariat": secretariat, "outsider": outsider}
