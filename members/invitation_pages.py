"""The page for an invitation link that cannot be used, shared by the public
invitation views, the signup form and the account adapter."""

from django.conf import settings
from django.shortcuts import render

from .models import Invitation

Availability = Invitation.Availability

# A forged link is not found; someone else's is forbidden; the rest are gone.
DEAD_STATUS = {Availability.UNKNOWN: 404, Availability.OTHER_ACCOUNT: 403, Availability.MOVE_NEEDS_CONFIRMATION: 409}


def invitation_dead_response(request, state: Availability, invitation: Invitation | None, token: str | None = None):
    """The page for a link that cannot be used, saying why; nothing is created."""
    return render(request, "members/invitation_dead.html", {
        "state": state, "invitation": invitation, "token": token, "secretariat_email": settings.SECRETARIAT_EMAIL,
    }, status=DEAD_STATUS.get(state, 410))
