"""Access rules of meetings and what hangs on them, registered with
``members.permissions`` from ``MeetingsConfig.ready()``.

Drafts are the co-chairs' and the secretariat's alone: to anyone else a draft
meeting, its agenda items and its action items do not exist.
"""

from django.db.models import Q

from members import permissions as p

from .models import ActionItem, AgendaItem, DatePoll, Invitation, Meeting


def meetings_visible(user, queryset):
    if p.is_coordinator(user):
        return queryset
    published = queryset.exclude(status=Meeting.Status.DRAFT)
    if p.is_member(user):
        return published
    if p.is_signed_in(user):
        return published.filter(
            Q(invitations__user=user) | Q(invitations__email__iexact=user.email)
        ).distinct()
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
    p.register(Invitation, visible=lambda user, qs: qs if p.is_coordinator(user) else qs.filter(user=user))
    p.register(
        DatePoll,
        visible=lambda user, qs: qs if p.is_member(user) else qs.none(),
        rules={p.MANAGE_MEETINGS: lambda user, poll: p.is_coordinator(user)},
    )
