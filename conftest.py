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
from django.conf import settings  # noqa: E402

# Tests render templates without running collectstatic first.
settings.STORAGES = {
    **settings.STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Hashing passwords slowly protects nothing in tests.
settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

pytest_plugins = ["tests.fixtures.services", "tests.fixtures.browser", "tests.fixtures.object_storage"]


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
    return "correct horse battery staple 2007"


@pytest.fixture
def member(db, password):
    from tests.members.factories import OrganizationFactory, UserFactory

    org = OrganizationFactory(name="Embassy of the Federal Republic of Germany", kind="mission", country="Germany")
    return UserFactory(email="member@germany.example", organization=org, password=password)


@pytest.fixture
def cochair(db, password):
    from tests.members.factories import OrganizationFactory, UserFactory

    org = OrganizationFactory(name="United Nations Children's Fund", acronym="UNICEF", kind="un_agency", is_cochair=True)
    return UserFactory(email="cochair@unicef.example", organization=org, password=password)


@pytest.fixture
def secretariat(db, password):
    from tests.members.factories import UserFactory

    return UserFactory(email="secretariat@wgportal.example", organization=None, role="secretariat", password=password)


@pytest.fixture
def outsider(db, password):
    """Signed-in, but their organization is only invited."""
    from tests.members.factories import OrganizationFactory, UserFactory

    org = OrganizationFactory(name="High Commission of India", status="invited", joined_on=None)
    return UserFactory(email="contact@india.example", organization=org, password=password)


@pytest.fixture
def former_member(db, password):
    """Their organization withdrew from the group."""
    from tests.members.factories import OrganizationFactory, UserFactory

    org = OrganizationFactory(name="Embassy of Ruritania", status="withdrawn")
    return UserFactory(email="former@ruritania.example", organization=org, password=password)


@pytest.fixture
def users_by_role(member, cochair, secretariat, outsider):
    return {"member": member, "cochair": cochair, "secretariat": secretariat, "outsider": outsider}
