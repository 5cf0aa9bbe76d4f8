"""The cache of shared page parts: a value per generation, retired when its data change."""

import pytest
from django.db import transaction

from members import cache as portal_cache
from members.models import Organization


def test_a_value_is_computed_once_until_its_scope_is_invalidated(db):
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    assert portal_cache.cached("test-scope", "k", compute) == 1
    assert portal_cache.cached("test-scope", "k", compute) == 1
    portal_cache.invalidate("test-scope")
    assert portal_cache.cached("test-scope", "k", compute) == 2
    assert portal_cache.cached("other-scope", "k", compute) == 3  # scopes are independent


def test_a_value_computed_before_the_commit_is_retired_by_the_commit(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            portal_cache.invalidate("test-scope")
            # Another request, not yet seeing the change, caches the old figure now.
            stale = portal_cache.cached("test-scope", "k", lambda: "old")
    assert stale == "old"
    assert portal_cache.cached("test-scope", "k", lambda: "new") == "new"


def test_saving_a_watched_model_invalidates_its_scope(db):
    portal_cache.invalidate_on_change("test-organizations", Organization)
    assert portal_cache.cached("test-organizations", "n", lambda: Organization.objects.count()) == 0
    Organization.objects.create(name="Embassy of Finland", kind="mission")
    assert portal_cache.cached("test-organizations", "n", lambda: Organization.objects.count()) == 1
    Organization.objects.all().delete()
    assert portal_cache.cached("test-organizations", "n", lambda: Organization.objects.count()) == 0


@pytest.mark.parametrize("value", [0, None, [], ""])
def test_falsy_values_are_cached_too(db, value):
    calls = []
    for _ in range(2):
        portal_cache.cached("test-falsy", repr(value), lambda: calls.append(1) or value)
    assert len(calls) == 1
