"""Reads of what invitees sent back, for the meeting page."""

from __future__ import annotations

from .models import InviteeMessage

# What the coordinators read on the meeting page; calendar replies show as the
# replies themselves, bounces on the mailing page.
SHOWN = (InviteeMessage.Kind.COUNTER, InviteeMessage.Kind.WRITTEN, InviteeMessage.Kind.AUTOMATIC)


def invitee_messages(meeting, *, limit: int = 50) -> list[InviteeMessage]:
    """Messages from invitees about ``meeting``, newest first (one query)."""
    return list(
        InviteeMessage.objects.filter(meeting=meeting, kind__in=SHOWN)
        .select_related("invitation__organization")
        .order_by("-received_at", "-id")[:limit]
    )
