"""Signed reply links: one token per invitation (an ``Rsvp``: one recipient of one meeting).

The token carries the invitation and the meeting; a link whose signature does
not match, or that names another meeting than the one in the URL, is refused.
The same link keeps working so that a recipient can change their mind.
"""

from __future__ import annotations

from django.core import signing

SALT = "meetings.reply"


class InvalidToken(Exception):
    """The link was altered, or belongs to another meeting."""


def reply_token(rsvp) -> str:
    return signing.dumps({"i": rsvp.pk, "m": rsvp.meeting_id}, salt=SALT, compress=True)


def reply_token_read(token: str, *, meeting_id: int) -> int:
    """The rsvp id of a valid token for ``meeting_id``; raises InvalidToken otherwise."""
    try:
        data = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        raise InvalidToken("This reply link is not valid: it may have been altered or cut short.") from None
    if not isinstance(data, dict) or not isinstance(data.get("i"), int) or data.get("m") != meeting_id:
        raise InvalidToken("This reply link belongs to another meeting.")
    return data["i"]
