"""Reads shared by the meetings pages, the dashboard and other apps' hooks."""

from __future__ import annotations

from collections import OrderedDict

from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from members import cache as portal_cache
from members import permissions
from notifications.models import Mailing

from .models import ActionItem, AgendaItem, DatePoll, Invitation, Meeting, PollAnswer


DASHBOARD_ACTION_ITEMS = 10


def _visible(user):
    meetings = Meeting.objects.all()
    if not permissions.can(user, permissions.MANAGE_MEETINGS):
        meetings = meetings.exclude(status=Meeting.Status.DRAFT)
    return meetings


def _with_own_reply(meetings, user):
    own = Invitation.objects.filter(Q(user=user) | Q(email__iexact=user.email))
    return meetings.select_related("host").prefetch_related(Prefetch("invitations", queryset=own, to_attr="own_invitations"))


def meetings_upcoming_for(user):
    rows = _visible(user).filter(end__gte=timezone.now()).order_by("start")
    return _with_own_reply(rows, user)


def meetings_past_for(user):
    rows = _visible(user).filter(end__lt=timezone.now()).order_by("-start")
    return _with_own_reply(rows, user).annotate(organizations_present=Count("attending_organizations", distinct=True))


def meetings_visible_to(user):
    """Meetings a person may see in their calendar feed: all but drafts for members,
    the ones they were invited to for everyone else."""
    if permissions.is_member(user):
        rows = Meeting.objects.exclude(status=Meeting.Status.DRAFT)
    else:
        rows = Meeting.objects.filter(Q(invitations__user=user) | Q(invitations__email__iexact=user.email)).distinct()
    return rows.prefetch_related("agenda_items__presenter").order_by("start")


def attendance_chart(limit: int = 24) -> dict | None:
    """Chart.js config: organizations present at each meeting whose attendance was recorded.
    Cached until a meeting or its attendance changes (``members.cache``, scope "attendance")."""
    return portal_cache.cached("attendance", f"chart:{limit}", lambda: _attendance_chart(limit))


def _attendance_chart(limit: int) -> dict | None:
    rows = list(
        Meeting.objects.exclude(attendance_recorded_at=None)
        .annotate(present=Count("attending_organizations", distinct=True))
        .order_by("-start")
        .values("number", "start", "present")[:limit]
    )
    if not rows:
        return None
    rows.reverse()
    return {
        "type": "bar",
        "data": {
            "labels": [f"No. {r['number']} ({timezone.localtime(r['start']):%b %Y})" for r in rows],
            "datasets": [{"label": "Organizations present", "data": [r["present"] for r in rows],
                          "backgroundColor": "#1f4e79"}],
        },
        "options": {"plugins": {"legend": {"display": False}}, "scales": {"y": {"beginAtZero": True, "ticks": {"precision": 0}}}},
    }


def meeting_detail(pk: int) -> Meeting:
    return (
        Meeting.objects.select_related("host", "created_by")
        .prefetch_related(
            # An agenda item's briefing is the reverse side of briefings' link to it.
            Prefetch("agenda_items", queryset=AgendaItem.objects.select_related("presenter", "briefing")),
            "attending_organizations",
            "attendees__organization",
            Prefetch("action_items", queryset=ActionItem.objects.select_related("owner")),
        )
        .get(pk=pk)
    )


def attendance_ticked(meeting: Meeting) -> tuple[set, set, bool]:
    """(organization ids, person ids, prefilled): what the attendance form starts with.

    Once attendance is recorded, that record; before, those who accepted the
    invitation, so that the co-chair only corrects the list.
    """
    if meeting.attendance_recorded_at:
        return (set(meeting.attending_organizations.values_list("pk", flat=True)),
                set(meeting.attendees.values_list("pk", flat=True)), False)
    accepted = meeting.invitations.filter(response=Invitation.Response.ACCEPTED)
    return (set(accepted.exclude(organization=None).values_list("organization", flat=True)),
            set(accepted.exclude(user=None).values_list("user", flat=True)), True)


def attendees_by_organization(meeting: Meeting) -> list[tuple]:
    """[(organization, [people])] from the prefetched attendance."""
    groups = OrderedDict((org.pk, (org, [])) for org in sorted(meeting.attending_organizations.all(), key=lambda o: o.name))
    for person in meeting.attendees.all():
        if person.organization_id in groups:
            groups[person.organization_id][1].append(person)
    return list(groups.values())


def replies_by_organization(meeting: Meeting) -> dict:
    """Replies counted overall and grouped by organization (one query)."""
    invitations = list(meeting.invitations.select_related("organization").order_by("organization__name", "name", "email"))
    totals = {value: 0 for value in Invitation.Response.values}
    groups: OrderedDict = OrderedDict()
    for invitation in invitations:
        totals[invitation.response] += 1
        key = invitation.organization.name if invitation.organization else "Other addresses"
        groups.setdefault(key, []).append(invitation)
    return {"totals": totals, "groups": list(groups.items()), "count": len(invitations)}


def meeting_mailings(meeting: Meeting, limit: int = 5) -> list[Mailing]:
    return list(Mailing.objects.filter(subject_ref=f"meetings.meeting:{meeting.pk}").order_by("-created_at", "-id")[:limit])


def open_action_items(*, owner=None):
    rows = ActionItem.objects.filter(status=ActionItem.Status.OPEN).select_related("owner", "meeting")
    if owner is not None:
        rows = rows.filter(owner=owner)
    return rows.order_by("due_on", "id")


def next_meeting():
    return (
        Meeting.objects.filter(status=Meeting.Status.SCHEDULED, start__gte=timezone.now())
        .select_related("host").order_by("start").first()
    )


def polls_open():
    return DatePoll.objects.filter(status=DatePoll.Status.OPEN).prefetch_related("slots")


def poll_detail(poll: DatePoll, user) -> dict:
    """Slots with their tally, and the user's own answers."""
    slots = list(poll.slots.prefetch_related(Prefetch("answers", queryset=PollAnswer.objects.select_related("user"))))
    tally, mine = [], {}
    for slot in slots:
        counts = {value: 0 for value in PollAnswer.Answer.values}
        for answer in slot.answers.all():
            counts[answer.answer] += 1
            if answer.user_id == user.pk:
                mine[slot.pk] = answer.answer
        tally.append({"slot": slot, "counts": counts, "score": counts["yes"] * 2 + counts["maybe"],
                      "people": [a for a in slot.answers.all()]})
    best = max((row["score"] for row in tally), default=0)
    for row in tally:
        row["best"] = best > 0 and row["score"] == best
    return {"tally": tally, "mine": mine}


def dashboard_panels(user) -> list[dict]:
    """What this app shows on the dashboard for ``user``: dicts with a
    ``template`` key and that template's context; empty when there is nothing."""
    panels = []
    upcoming = list(meetings_upcoming_for(user).exclude(status=Meeting.Status.CANCELLED).filter(
        status=Meeting.Status.SCHEDULED)[:1])
    if upcoming:
        meeting = upcoming[0]
        own = meeting.own_invitations[0] if meeting.own_invitations else None
        panels.append({"template": "meetings/panels/next_meeting.html", "meeting": meeting, "invitation": own})
    items = list(open_action_items()[:DASHBOARD_ACTION_ITEMS + 1])
    if items:
        panels.append({"template": "meetings/panels/action_items.html", "items": items[:DASHBOARD_ACTION_ITEMS],
                       "more": len(items) > DASHBOARD_ACTION_ITEMS,
                       "overdue": sum(1 for item in items[:DASHBOARD_ACTION_ITEMS] if item.is_overdue)})
    polls = list(polls_open()[:3])
    if polls:
        panels.append({"template": "meetings/panels/polls.html", "polls": polls})
    chart = attendance_chart(limit=12)
    if chart:
        panels.append({"template": "meetings/panels/attendance_chart.html", "chart": chart})
    return panels
