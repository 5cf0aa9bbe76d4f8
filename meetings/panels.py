"""What meetings add to pages they do not own: the dashboard, members' organization
page and group facts (through members.hooks), and the attendance chart."""

from django.utils import timezone

from members import cache as portal_cache
from members import permissions

from . import selectors
from .models import Meeting

DASHBOARD_ACTION_ITEMS = 10


def attendance_chart(user, limit: int = 24) -> dict | None:
    """Chart.js config: organizations present at each meeting whose attendance was recorded.
    The same for every member (and for every coordinator): cached until a meeting or
    its attendance changes (``members.cache``, scope "attendance")."""
    if not permissions.is_member(user):
        return _attendance_chart(user, limit)
    reader = "coordinator" if permissions.is_coordinator(user) else "member"
    return portal_cache.cached("attendance", f"chart:{reader}:{limit}", lambda: _attendance_chart(user, limit))


def _attendance_chart(user, limit: int) -> dict | None:
    rows = selectors.attendance_counts(user, limit=limit)
    if not rows:
        return None
    return {
        "type": "bar",
        "data": {
            "labels": [f"No. {r['number']} ({timezone.localtime(r['start']):%b %Y})" for r in rows],
            "datasets": [{"label": "Organizations present", "data": [r["present"] for r in rows],
                          "backgroundColor": "#1f4e79"}],
        },
        "options": {"plugins": {"legend": {"display": False}},
                    "scales": {"y": {"beginAtZero": True, "ticks": {"precision": 0}}}},
    }


def dashboard_panels(user) -> list[dict]:
    """What this app shows on the dashboard for ``user``: dicts with a
    ``template`` key and that template's context; empty when there is nothing."""
    panels = []
    upcoming = list(selectors.meetings_upcoming_for(user).filter(status=Meeting.Status.SCHEDULED)[:1])
    if upcoming:
        meeting = upcoming[0]
        own = meeting.own_rsvps[0] if meeting.own_rsvps else None
        panels.append({"template": "meetings/panels/next_meeting.html", "meeting": meeting, "invitation": own})
    items = list(selectors.open_action_items(user)[:DASHBOARD_ACTION_ITEMS + 1])
    if items:
        panels.append({"template": "meetings/panels/action_items.html", "items": items[:DASHBOARD_ACTION_ITEMS],
                       "more": len(items) > DASHBOARD_ACTION_ITEMS,
                       "overdue": sum(1 for item in items[:DASHBOARD_ACTION_ITEMS] if item.is_overdue)})
    polls = list(selectors.polls_open(user)[:3])
    if polls:
        panels.append({"template": "meetings/panels/polls.html", "polls": polls})
    chart = attendance_chart(user, limit=12)
    if chart:
        panels.append({"template": "meetings/panels/attendance_chart.html", "chart": chart})
    return panels


def organization_panel(request, organization):
    """The organization page: its open action items, the meetings it hosted and attended."""
    if not permissions.can(request.user, permissions.VIEW_PORTAL):
        return None
    items = list(selectors.open_action_items(request.user, owner=organization))
    hosted, attended = selectors.meetings_of_organization(request.user, organization)
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
