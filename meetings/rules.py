"""Access rules of meetings and what hangs on them, registered with
``members.permissions`` from ``MeetingsConfig.ready()``.

Drafts are the co-chairs' and the secretariat's alone: to anyone else a draft
meeting, its agenda items and its action items do not exist. Date polls, their
slots and answers are the members'. A calendar feed is its owner's alone.
"""

from django.db.models import Q

from members import permissions as p

from .models import (
    ActionItem,
    AgendaItem,
    CalendarFeed,
    DatePoll,
    Meeting,
    PollAnswer,
    PollSlot,
    Rsvp,
)


def meetings_visible(user, queryset):
    if p.is_coordinator(user):
        return queryset
    published = queryset.exclude(status=Meeting.Status.DRAFT)
    if p.is_member(user):
        return published
    if p.is_signed_in(user):
        # A subquery rather than a join: the list stays one row per meeting, without DISTINCT.
        invited = Rsvp.objects.filter(Q(user=user) | Q(email__iexact=user.email)).values("meeting")
        return published.filter(pk__in=invited)
    return queryset.none()


def _through_meeting(prefix: str):
    def visible(user, queryset):
        if p.is_coordinator(user):
            return queryset
        if p.is_member(user):
            return queryset.exclude(**{f"{prefix}status": Meeting.Status.DRAFT})
        return queryset.none()

    return visible


def _view_meeting(user, meeting) -> bool:
    if p.is_coordinator(user):
        return True
    if meeting.status == Meeting.Status.DRAFT:
        return False
    return p.is_member(user) or meeting.has_invitee(user)


def _reply_meeting(user, meeting) -> bool:
    if not p.is_signed_in(user):
        return False
    return p.is_member(user) or meeting.has_invitee(user)


def register() -> None:
    p.register(
        Meeting,
        visible=meetings_visible,
        rules={
            p.VIEW: _view_meeting,
            p.REPLY_MEETING: _reply_meeting,
            p.MANAGE_MEETINGS: lambda user, meeting: p.is_coordinator(user),
        },
    )
    p.register(AgendaItem, visible=_through_meeting("meeting__"))
    p.register(ActionItem, visible=_through_meeting("meeting__"))
    p.register(Rsvp, visible=_rsvps_visible)
    p.register(
        DatePoll,
        visible=_members_only,
        rules={p.MANAGE_MEETINGS: lambda user, poll: p.is_coordinator(user)},
    )
    p.register(PollSlot, visible=_members_only)
    p.register(PollAnswer, visible=_members_only)
    p.register(CalendarFeed, visible=lambda user, qs: qs.filter(user=user) if p.is_signed_in(user) else qs.none())


def _rsvps_visible(user, queryset):
    """Coordinators follow every reply; anyone else sees their own invitations."""
    if p.is_coordinator(user):
        return queryset
    if p.is_signed_in(user):
        return queryset.filter(Q(user=user) | Q(email__iexact=user.email))
    return queryset.none()


def _members_only(user, queryset):
    return queryset if p.is_member(user) else queryset.none()
