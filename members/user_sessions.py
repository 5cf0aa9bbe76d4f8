"""Ending a person's sessions when what they may do changes.

A role, organization or staff change made by someone else must not leave the
person's open sessions running on the old rights' assumptions (or on a
takeover's): every session allauth's ``usersessions`` tracks for them ends.
"""

from __future__ import annotations

from allauth.usersessions.models import UserSession


def sessions_end(*, user, keep_session_key: str | None = None) -> int:
    """End every tracked session of ``user`` except ``keep_session_key``; return how many."""
    ended = 0
    for session in UserSession.objects.filter(user_id=user.pk).exclude(session_key=keep_session_key or ""):
        session.end()
        ended += 1
    return ended
