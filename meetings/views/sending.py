"""The confirmation step before a meeting's mailing goes: who it reaches, who it misses."""

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse

from members import permissions

from .. import selectors
from .common import visible_meeting

# kind -> (what is sent, the URL that sends it, the verb of the confirm button)
SENDINGS = {
    "invitations": ("the invitation", "meetings:invitations_send", "Send the invitation"),
    "update": ("the update", "meetings:update_send", "Send the update"),
    "minutes": ("the minutes", "meetings:minutes_publish", "Publish and send the minutes"),
}


@permissions.require(permissions.MANAGE_MEETINGS)
def send_confirm(request, pk, kind):
    """GET only: the count and the organizations left out, then one button that posts
    to the sending URL. The meeting page's modal shows this page's summary; without
    JavaScript the page itself is the confirmation."""
    if kind not in SENDINGS:
        raise Http404("No such sending")
    meeting = visible_meeting(request, pk)
    what, url_name, verb = SENDINGS[kind]
    return render(request, "meetings/send_confirm.html", {
        "meeting": meeting, "kind": kind, "what": what, "verb": verb,
        "action": reverse(url_name, args=[meeting.pk]),
        "summary": selectors.send_audience(meeting, kind),
        "repeat": kind == "invitations" and meeting.invitations_sent_at is not None,
    })
