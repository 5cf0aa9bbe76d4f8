"""What meetings contribute to members' pages through members.hooks."""

from django.utils import timezone

from members import permissions

from . import selectors
from .models import Meeting


def organization_panel(request, organization):
    """The organization page: its open action items, the meetings it hosted and attended."""
    if not permissions.can(request.user, permissions.VIEW_PORTAL):
        return None
    items = list(selectors.open_action_items(owner=organization))
    visible = Meeting.objects.exclude(status=Meeting.Status.DRAFT).order_by("start").only("pk", "number", "start")
    hosted = list(visible.filter(host=organization))
    attended = list(visible.filter(attending_organizations=organization))
    if not (items or hosted or attended):
        return None
    return "meetings/panels/organization.html", {"items": items, "hosted": hosted, "attended": attended}


def next_meeting_fact():
    meeting = selectors.next_meeting()
    if meeting is None:
        return []
    start = timezone.localtime(meeting.start)
    where = f", {meeting.venue}" if meeting.venue else ""
    return [("Next meeting", f"{start:%-d %B %Y}{where}")]
