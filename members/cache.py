"""Expensive parts of shared pages kept in the cache (Redis in production), and
dropped the moment the data under them change.

Each cached value belongs to a *scope* ("membership", "library", …) with a
generation number in the cache; the value's key carries the generation, so
``invalidate(scope)`` retires every value of the scope at once, on every web
node, without knowing their keys. The generation moves when the change
happens and again when its transaction commits: a page computed from the old
rows in between (by another request, before the commit made the change
visible) is stored under a generation that is already retired.

``invalidate_on_change(scope, Model, …)`` ties a scope to the models it is
computed from, through Django's save, delete and many-to-many signals, so that
every write path (services, admin, shell) invalidates it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

DEFAULT_TIMEOUT = 3600  # a safety net only: invalidation is what keeps values fresh
_MISSING = object()


def _generation_key(scope: str) -> str:
    return f"portal-cache:{scope}:generation"


def generation(scope: str) -> int:
    value = cache.get(_generation_key(scope))
    if value is None:
        cache.add(_generation_key(scope), 1, None)
        value = cache.get(_generation_key(scope), 1)
    return value


def _bump(scope: str) -> None:
    try:
        cache.incr(_generation_key(scope))
    except ValueError:  # no generation yet (or the cache was flushed): nothing cached to retire
        cache.add(_generation_key(scope), 1, None)


def invalidate(*scopes: str) -> None:
    """Retire every cached value of these scopes, now and again once the transaction commits."""
    for scope in scopes:
        _bump(scope)
        transaction.on_commit(lambda scope=scope: _bump(scope))


def cached(scope: str, key: str, compute: Callable[[], Any], *, timeout: int = DEFAULT_TIMEOUT) -> Any:
    """The value of ``compute()`` for ``key`` in ``scope``, computed once per generation."""
    full_key = f"portal-cache:{scope}:{generation(scope)}:{key}"
    value = cache.get(full_key, _MISSING)
    if value is _MISSING:
        value = compute()
        cache.set(full_key, value, timeout)
    return value


def invalidate_on_change(scope: str, *models, m2m: tuple = ()) -> None:
    """Invalidate ``scope`` whenever a row of ``models`` is saved or deleted, or a
    many-to-many relation in ``m2m`` (``Model.field.through``) changes."""

    def receiver(sender, **kwargs):
        invalidate(scope)

    def m2m_receiver(sender, action, **kwargs):
        if action in {"post_add", "post_remove", "post_clear"}:
            invalidate(scope)

    for model in models:
        uid = f"portal-cache:{scope}:{model._meta.label}"
        post_save.connect(receiver, sender=model, weak=False, dispatch_uid=uid + ":save")
        post_delete.connect(receiver, sender=model, weak=False, dispatch_uid=uid + ":delete")
    for through in m2m:
        m2m_changed.connect(m2m_receiver, sender=through, weak=False,
                            dispatch_uid=f"portal-cache:{scope}:{through._meta.label}:m2m")
