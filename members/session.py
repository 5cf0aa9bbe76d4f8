"""The invitation a visitor is answering, kept in their session between the
invitation page and allauth's signup or sign-in pages.

Only the link's hash is kept, and it is checked again on every use: a link
revoked or answered meanwhile closes signup at once.
"""

from __future__ import annotations

from .models import Invitation, InvitationToken
from .selectors import invitation_resolve_hash

SESSION_KEY = "members_invitation"


def invitation_remember(request, *, token: str) -> None:
    request.session[SESSION_KEY] = InvitationToken.hash(token)


def invitation_in_session(request) -> Invitation | None:
    """The session's invitation while it may still be accepted, else None."""
    if request is None or not hasattr(request, "session"):
        return None
    token_hash = request.session.get(SESSION_KEY)
    if not token_hash:
        return None
    cached = getattr(request, "_members_invitation", None)
    if cached is not None and cached[0] == token_hash:
        return cached[1]
    state, invitation = invitation_resolve_hash(token_hash)
    invitation = invitation if state == Invitation.Availability.VALID else None
    request._members_invitation = (token_hash, invitation)
    return invitation


def invitation_state_in_session(request) -> tuple[Invitation.Availability, Invitation | None]:
    """Why the session's invitation can no longer be used (or ``VALID``)."""
    token_hash = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
    if not token_hash:
        return Invitation.Availability.UNKNOWN, None
    return invitation_resolve_hash(token_hash)


def invitation_forget(request) -> None:
    request.session.pop(SESSION_KEY, None)
    request._members_invitation = None
