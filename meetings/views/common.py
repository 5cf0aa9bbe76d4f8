"""What the meetings views share: finding the object a user may see, and the
POST actions that run a service on a meeting."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse

from members import permissions
from members.ids import id_or_404

from .. import services
from ..models import Meeting


def meeting_path(meeting) -> str:
    return reverse("meetings:detail", args=[meeting.pk])


def get_visible_or_404(request, queryset, pk):
    return permissions.get_visible_or_404(request.user, queryset, pk=id_or_404(pk))


def visible_meeting(request, pk) -> Meeting:
    """The meeting, or 404 when it does not exist or the user may not know it does (a draft)."""
    return get_visible_or_404(request, Meeting.objects.select_related("host"), pk)


def meeting_for_reply(request, pk):
    """(meeting, None) when the user may reply to the meeting, else (None, refusal).

    Pages open to invitees outside the group: anonymous visitors are sent to
    sign in; a signed-in person who may not know the meeting exists (a draft,
    or a meeting they were not invited to) gets 404, the same as for a meeting
    that does not exist.
    """
    user = request.user
    if not user.is_authenticated:
        return None, permissions.deny(request)
    meeting = permissions.visible_to(user, Meeting.objects.select_related("host").filter(pk=id_or_404(pk))).first()
    if meeting is None:
        raise Http404("No such meeting")
    if not permissions.can(user, permissions.REPLY_MEETING, meeting):
        return None, permissions.deny(request)
    return meeting, None


def meeting_action(request, pk, service, describe, anchor: str = ""):
    """A POST that runs ``service(meeting=, by=)`` and says what happened on the meeting page.

    ``describe(result)`` gives the success message; a MeetingStateError's message is shown instead.
    """
    meeting = visible_meeting(request, pk)
    try:
        result = service(meeting=meeting, by=request.user)
    except services.MeetingStateError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, describe(result))
    return redirect(meeting_path(meeting) + anchor)


def message_count(mailing) -> int:
    return mailing.messages.count() if mailing else 0
