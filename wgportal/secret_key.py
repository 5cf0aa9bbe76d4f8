"""Is the configured secret key fit for production?

Read by ``settings`` before Django is set up, so it imports nothing of Django's
machinery beyond the constants of its own deployment check.
"""

from __future__ import annotations

from django.core.checks.security.base import (
    SECRET_KEY_INSECURE_PREFIX,
    SECRET_KEY_MIN_LENGTH,
    SECRET_KEY_MIN_UNIQUE_CHARACTERS,
)


def weak_secret_key_reason(key: str, *, development_key: str) -> str | None:
    """Why ``key`` must not sign production cookies and links, or None if it may.

    Django's own deployment check misses the portal's development default (it is
    long and varied), so that one is named here first.
    """
    if not key:
        return "is not set"
    if key == development_key:
        return "is not set (the portal would run on its public development key)"
    if key.startswith(SECRET_KEY_INSECURE_PREFIX):
        return f"starts with {SECRET_KEY_INSECURE_PREFIX!r}, Django's marker of a throw-away key"
    if len(key) < SECRET_KEY_MIN_LENGTH:
        return f"is too short ({len(key)} characters; at least {SECRET_KEY_MIN_LENGTH})"
    if len(set(key)) < SECRET_KEY_MIN_UNIQUE_CHARACTERS:
        return "has too few different characters"
    return None
