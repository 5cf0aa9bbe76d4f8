"""The secrets inside an outgoing message (invitation links, reply links, password
reset keys) never sit readable in the database.

A caller names the secrets of an ``OutgoingEmail``; the outbox stores the
message with each secret replaced by a marker and keeps the secrets sealed
(Fernet, with a key derived from ``SECRET_KEY``) beside it, puts them back
only in the email it hands to the mail server, and forgets them once the
message is sent. A copy of the database then holds no working link: not
before sending (only ciphertext, useless without the secret key), not after
(nothing at all).
"""

from __future__ import annotations

import base64
import hashlib
import json

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings

MARKER = "⟦link removed once sent · {index}⟧"


def _fernet() -> MultiFernet:
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return MultiFernet([
        Fernet(base64.urlsafe_b64encode(hashlib.sha256(f"wgportal.outbox:{key}".encode()).digest()))
        for key in keys
    ])


def marker(index: int) -> str:
    return MARKER.format(index=index + 1)


def hide(text: str, secrets: list[str]) -> str:
    """``text`` with every secret replaced by its marker (longest first, so that a
    secret containing another is replaced whole)."""
    for index, secret in sorted(enumerate(secrets), key=lambda pair: -len(pair[1])):
        text = text.replace(secret, marker(index))
    return text


def reveal(text: str, secrets: list[str]) -> str:
    for index, secret in enumerate(secrets):
        text = text.replace(marker(index), secret)
    return text


def seal(secrets: list[str]) -> str:
    return _fernet().encrypt(json.dumps(secrets).encode()).decode() if secrets else ""


def unseal(sealed: str) -> list[str]:
    """The secrets, or an empty list when there are none (or the secret key changed
    beyond its fallbacks: the markers then go out as they are)."""
    if not sealed:
        return []
    try:
        return json.loads(_fernet().decrypt(sealed.encode()))
    except (InvalidToken, ValueError):
        return []
