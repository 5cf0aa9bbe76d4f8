"""Calendars: one meeting's .ics, and each person's subscription feed."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from members import permissions

from .. import calendar, selectors, services
from .common import meeting_for_reply

FEED_NAME = "TIP working group meetings"


def meeting_ics(request, pk):
    # Whoever may reply to the meeting (members, and the invitees of this one) may put it in their calendar.
    meeting, refusal = meeting_for_reply(request, pk)
    if refusal is not None:
        return refusal
    ics = calendar.meeting_ics(meeting, method="PUBLISH", agenda=selectors.agenda(meeting))
    response = HttpResponse(ics, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="meeting-{meeting.number}.ics"'
    return response


@login_not_required
@never_cache
def calendar_feed(request, key):
    """The subscription feed: the secret key in the address is the sign-in; what the
    feed lists is what its owner may see."""
    feed = selectors.feed_by_key(key)
    if feed is None or not feed.user.is_active:
        return HttpResponse("This calendar address is not valid (it may have been replaced by a new one).",
                            status=404, content_type="text/plain; charset=utf-8")
    return HttpResponse(calendar.feed_ics(selectors.meetings_for_feed(feed.user), name=FEED_NAME),
                        content_type="text/calendar; charset=utf-8")


@permissions.require(permissions.VIEW_PORTAL)
def calendar_settings(request):
    """Shows the person's address; reading the page never makes one (the button does, by POST)."""
    feed = selectors.feed_of(request.user)
    context = {"feed": feed}
    if feed is not None:
        url = request.build_absolute_uri(reverse("meetings:feed", args=[feed.key]))
        context.update(feed_url=url, webcal_url=url.replace("https://", "webcal://").replace("http://", "webcal://"))
    return render(request, "meetings/calendar_settings.html", context)


@require_POST
@permissions.require(permissions.VIEW_PORTAL)
def calendar_rotate(request):
    """Make the person's calendar address, or replace it with a new one."""
    if selectors.feed_of(request.user) is None:
        services.feed_create(user=request.user)
        messages.success(request, "Your calendar address is ready. Subscribe to it in your calendar application.")
    else:
        services.feed_rotate(user=request.user)
        messages.success(request, "A new calendar address was made; the old one no longer works. "
                                  "Subscribe again with the new one.")
    return redirect("meetings:calendar")
