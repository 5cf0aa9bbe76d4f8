"""What meetings add to pages they do not own: the dashboard, members' organization
page and group facts (through members.hooks), and the attendance chart."""

from django.conf import settings
from django.urls import reverse
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


def dashboard_panels(user, *, next_meeting: bool = True) -> list[dict]:
    """What this app shows every member on the dashboard, below their role's own
    panels: the next meeting with their reply, open date polls, attendance. Dicts
    with a ``template`` key and that template's context; empty when there is nothing.
    ``next_meeting=False`` for the co-chairs, whose own panel shows it with the replies."""
    panels = []
    if next_meeting:
        upcoming = list(selectors.meetings_upcoming_for(user).filter(status=Meeting.Status.SCHEDULED)[:1])
        if upcoming:
            meeting = upcoming[0]
            own = meeting.own_rsvps[0] if meeting.own_rsvps else None
            panels.append({"template": "meetings/panels/next_meeting.html", "meeting": meeting, "invitation": own})
    polls = list(selectors.polls_open(user)[:3])
    if polls:
        panels.append({"template": "meetings/panels/polls.html", "polls": polls})
    chart = attendance_chart(user, limit=12)
    if chart:
        panels.append({"template": "meetings/panels/attendance_chart.html", "chart": chart})
    return panels


def action_items_panel(user, *, owner) -> dict | None:
    """Open action items of ``owner`` (the member's organization), the first ten."""
    items = list(selectors.open_action_items(user, owner=owner)[:DASHBOARD_ACTION_ITEMS + 1])
    if not items:
        return None
    shown = items[:DASHBOARD_ACTION_ITEMS]
    return {"template": "meetings/panels/action_items.html", "items": shown,
            "more": len(items) > DASHBOARD_ACTION_ITEMS, "overdue": sum(1 for item in shown if item.is_overdue)}


DASHBOARD_AWAITING = 5
DASHBOARD_DRAFTS = 5


def member_panels(user) -> list[dict]:
    """A member's own work: meetings awaiting their reply, their organization's open
    action items, their calendar feed. A fixed number of queries however much there is."""
    panels = []
    awaiting = list(selectors.meetings_awaiting_reply(user)[:DASHBOARD_AWAITING + 1])
    if awaiting:
        panels.append({"template": "wgportal/panels/awaiting_reply.html", "meetings": awaiting[:DASHBOARD_AWAITING],
                       "more": len(awaiting) > DASHBOARD_AWAITING})
    if user.organization_id:
        items = action_items_panel(user, owner=user.organization)
        if items:
            panels.append({**items, "template": "wgportal/panels/action_items.html",
                           "organization": user.organization})
    feed = selectors.feed_of(user)
    panels.append({"template": "wgportal/panels/calendar_feed.html",
                   "feed_url": settings.SITE_URL + reverse("meetings:feed", args=[feed.key]) if feed else ""})
    return panels


def cochair_panels(user) -> list[dict]:
    """The co-chairs' work on meetings: the next meeting with the replies received and
    awaited by organization (and the "New meeting" button), and drafts not yet scheduled."""
    if not permissions.can(user, permissions.MANAGE_MEETINGS):
        return []
    upcoming = list(visible_upcoming_scheduled(user)[:1])
    meeting = upcoming[0] if upcoming else None
    sent = meeting is not None and meeting.invitations_sent_at is not None
    panels = [{"template": "wgportal/panels/cochair_next_meeting.html", "meeting": meeting,
               "replies": selectors.replies_summary(meeting) if sent else None,
               # People who joined the audience since the invitations went out (new members).
               "new_invitees": selectors.send_audience(meeting, "invitations").people if sent else 0}]
    drafts = list(selectors.meetings_drafts(user)[:DASHBOARD_DRAFTS + 1])
    if drafts:
        panels.append({"template": "wgportal/panels/drafts.html", "drafts": drafts[:DASHBOARD_DRAFTS],
                       "more": len(drafts) > DASHBOARD_DRAFTS})
    return panels


def visible_upcoming_scheduled(user):
    return permissions.visible_to(user, Meeting.objects.filter(
        status=Meeting.Status.SCHEDULED, end__gte=timezone.now())).select_related("host").order_by("start")


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
