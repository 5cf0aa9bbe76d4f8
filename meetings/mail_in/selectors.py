"""Reads of what invitees sent back, for the meeting page."""

from __future__ import annotations

from django.db.models import Q

from members.models import Organization, User

from .models import InviteeMessage

# What the coordinators read on the meeting page; calendar replies show as the
# replies themselves, bounces on the mailing page.
SHOWN = (InviteeMessage.Kind.COUNTER, InviteeMessage.Kind.WRITTEN, InviteeMessage.Kind.AUTOMATIC)


def invitee_messages(meeting, *, limit: int = 50) -> list[InviteeMessage]:
    """Messages from invitees about ``meeting``, newest first (one query)."""
    return list(
        InviteeMessage.objects.filter(meeting=meeting, kind__in=SHOWN)
        .select_related("rsvp__organization")
        .order_by("-received_at", "-id")[:limit]
    )


def coordinators():
    """Who runs the group's meetings: the co-chairs' people and the secretariat."""
    return (
        User.objects.filter(is_active=True)
        .filter(
            Q(role=User.Role.SECRETARIAT)
            | Q(organization__is_cochair=True, organization__status=Organization.Status.ACTIVE)
        )
        .order_by("email")
    )
