"""Invitations and replies: sending them, and the reply of a signed-in person or
of a signed link."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from members import permissions
from members.exports import csv_response
from members.ids import parse_id

from .. import selectors, services, tokens
from ..forms import ReplyForm
from ..models import Meeting, Rsvp
from .common import meeting_action, meeting_for_reply, meeting_path, message_count, visible_meeting

RESPONSE_WORDS = {"accepted": "You accepted", "tentative": "You replied tentatively", "declined": "You declined"}


@require_POST
@permissions.require(permissions.MANAGE_MEETINGS)
def rsvps_send(request, pk):
    return meeting_action(request, pk, services.rsvps_send, lambda mailing: (
        f"{(n := message_count(mailing))} invitation{pluralize(n)} queued. Delivery progress is shown below." if mailing
        else "Everyone in the audience has been invited already; nothing new to send."))


@require_POST
@permissions.require(permissions.MANAGE_MEETINGS)
def update_send(request, pk):
    return meeting_action(request, pk, services.update_send,
                          lambda mailing: f"Update queued for {(n := message_count(mailing))} invitee{pluralize(n)}.")


NUDGE_WORDS = {"none": "without a reply", "tentative": "who replied tentatively"}


@require_POST
@permissions.require(permissions.MANAGE_MEETINGS)
def remind(request, pk):
    """A co-chair reminds those invited who have not replied, or who replied tentatively."""
    to = request.POST.get("to")
    if to not in NUDGE_WORDS:
        meeting = visible_meeting(request, pk)
        messages.error(request, "Choose whom to remind.")
        return redirect(meeting_path(meeting) + "#replies")

    def nudge(*, meeting, by):
        return services.reminders_nudge(meeting=meeting, to=to, by=by)

    def describe(mailing):
        count = message_count(mailing)
        if not count:
            return f"Nobody {NUDGE_WORDS[to]} is left to remind today."
        return f"Reminder queued for {count} {'person' if count == 1 else 'people'} {NUDGE_WORDS[to]}."

    return meeting_action(request, pk, nudge, describe, anchor="#replies")


@permissions.require(permissions.MANAGE_MEETINGS)
def replies_csv(request, pk):
    meeting = visible_meeting(request, pk)
    rows = [
        [rsvp.organization.name if rsvp.organization else "", rsvp.name, rsvp.email, rsvp.get_response_display(),
         timezone.localtime(rsvp.responded_at).strftime("%Y-%m-%d %H:%M") if rsvp.responded_at else "",
         rsvp.substitute, rsvp.comment]
        for rsvp in selectors.replies_for_export(meeting)
    ]
    return csv_response(f"meeting-{meeting.number}-replies.csv",
                        ["organization", "name", "email", "reply", "replied at", "substitute", "comment"], rows)


@require_POST
def reply(request, pk):
    meeting, refusal = meeting_for_reply(request, pk)
    if refusal is not None:
        return refusal
    form = ReplyForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose accept, tentative or decline (a comment is at most 500 characters).")
    else:
        try:
            services.reply_set_for_user(meeting=meeting, user=request.user, response=form.cleaned_data["response"],
                                        **form.reply_fields())
        except services.MeetingStateError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, RESPONSE_WORDS[form.cleaned_data["response"]] + ". Thank you for replying.")
    if permissions.can(request.user, permissions.VIEW_PORTAL):
        return redirect("meetings:detail", pk=pk)
    # Invitees outside the group cannot see the meeting page; their invitation's page shows the reply.
    rsvp = selectors.rsvp_for(meeting, request.user)
    if rsvp is None:
        return redirect("meetings:list")
    return redirect("meetings:reply_link", pk=pk, token=tokens.reply_token(rsvp))


@login_not_required
@never_cache
def reply_link(request, pk, token):
    """The reply link of an invitation email: works without sign-in.

    GET shows the meeting and the answer chosen in the email; the answer is
    recorded by the POST of the confirmation button, so that mail scanners that
    open links do not answer for the recipient. The signed token is the access
    rule here: it names one invitation of this meeting.
    """
    meeting_id = parse_id(pk)
    meeting = Meeting.objects.select_related("host").filter(pk=meeting_id).first() if meeting_id else None
    try:
        if meeting is None:
            raise tokens.InvalidToken("This reply link is for a meeting that no longer exists.")
        rsvp_id = parse_id(tokens.reply_token_read(token, meeting_id=meeting.pk))
        rsvp = Rsvp.objects.filter(pk=rsvp_id, meeting=meeting).first() if rsvp_id else None
        if rsvp is None:
            raise tokens.InvalidToken("This invitation was withdrawn.")
    except tokens.InvalidToken as exc:
        return render(request, "meetings/reply_invalid.html", {"reason": str(exc)}, status=400)
    form = ReplyForm(request.POST or None, initial={"response": request.GET.get("response")})
    recorded = False
    error = ""
    if request.method == "POST":
        if form.is_valid():
            try:
                services.reply_set(rsvp=rsvp, response=form.cleaned_data["response"], **form.reply_fields())
                recorded = True
            except services.MeetingStateError as exc:
                error = str(exc)
        else:
            error = "Choose accept, tentative or decline."
    chosen = request.GET.get("response") if request.GET.get("response") in RESPONSE_WORDS else ""
    return render(request, "meetings/reply_link.html", {
        "meeting": meeting, "invitation": rsvp, "agenda": selectors.agenda(meeting),
        "recorded": recorded, "error": error, "chosen": chosen, "closed": meeting.replies_closed,
    }, status=400 if error else 200)
