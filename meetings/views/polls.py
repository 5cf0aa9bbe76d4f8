"""Finding a date: opening a date poll, answering it, scheduling from it."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from members import permissions
from members.ids import parse_id
from notifications import services as outbox

from .. import selectors, services
from ..forms import DatePollForm, SlotFormSet
from ..models import DatePoll, PollAnswer, PollSlot
from .common import get_visible_or_404


@permissions.require(permissions.MANAGE_MEETINGS)
def poll_create(request):
    form = DatePollForm(request.POST or None)
    slots = SlotFormSet(request.POST or None, prefix="slots")
    if request.method == "POST" and form.is_valid() and slots.is_valid():
        poll = services.poll_create(by=request.user, slots=slots.slots, **form.cleaned_data)
        messages.success(request, "Date poll opened. Members can now say which slots suit them." + (
            " They are being emailed a link to it." if form.cleaned_data["notify"] else ""))
        return redirect("meetings:poll", pk=poll.pk)
    return render(request, "meetings/poll_form.html", {"form": form, "slots": slots})


def _answers(post) -> dict[int, str]:
    """slot id -> answer from the fields ``slot-<id>``; anything else is left out."""
    answers = {}
    for key, value in post.items():
        slot_id = parse_id(key[5:]) if key.startswith("slot-") else None
        if slot_id is not None and value in PollAnswer.Answer.values:
            answers[slot_id] = value
    return answers


@permissions.require(permissions.VIEW_PORTAL)
def poll_detail(request, pk):
    poll = get_visible_or_404(request, DatePoll.objects.select_related("host", "meeting"), pk)
    if request.method == "POST":
        answers = _answers(request.POST)
        try:
            services.poll_answer(poll=poll, user=request.user, answers=answers)
        except services.MeetingStateError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request,
                             "Your answers are saved." if answers else "Choose an answer for at least one slot.")
        return redirect("meetings:poll", pk=pk)
    manage = permissions.can(request.user, permissions.MANAGE_MEETINGS, poll)
    mailing = selectors.poll_mailing(poll) if manage else None
    answering = poll.status == DatePoll.Status.OPEN and not (poll.deadline and timezone.localdate() > poll.deadline)
    return render(request, "meetings/poll_detail.html", {
        "answering": answering,
        "poll": poll, **selectors.poll_detail(poll, request.user), "answer_choices": PollAnswer.Answer.choices,
        "manage": manage, "mailing": mailing, "progress": outbox.mailing_progress(mailing) if mailing else None,
    })


@require_POST
@permissions.require(permissions.MANAGE_MEETINGS)
def poll_schedule(request, pk, slot_pk):
    poll = get_visible_or_404(request, DatePoll.objects.all(), pk)
    slot = get_visible_or_404(request, PollSlot.objects.filter(poll=poll), slot_pk)
    try:
        meeting = services.poll_schedule(poll=poll, slot=slot, by=request.user)
    except services.MeetingStateError as exc:
        messages.error(request, str(exc))
        return redirect("meetings:poll", pk=pk)
    messages.success(request, f"Meeting {meeting.number} scheduled from the poll. "
                              "Add the agenda, then send the invitations.")
    return redirect("meetings:detail", pk=meeting.pk)


@require_POST
@permissions.require(permissions.MANAGE_MEETINGS)
def poll_close(request, pk):
    """Close the poll without scheduling a meeting."""
    poll = get_visible_or_404(request, DatePoll.objects.all(), pk)
    try:
        services.poll_close(poll=poll, by=request.user)
    except services.MeetingStateError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Poll closed without scheduling a meeting.")
    return redirect("meetings:poll", pk=pk)
