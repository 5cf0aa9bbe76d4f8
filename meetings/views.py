import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from members import permissions
from members.models import Organization, User
from notifications import services as outbox
from notifications.models import Mailing

from . import calendar, hooks, selectors, services, tokens
from .forms import (
    ActionItemForm,
    AgendaItemForm,
    AttendanceForm,
    DatePollForm,
    MeetingForm,
    MinutesForm,
    ReplyForm,
    SlotFormSet,
)
from .models import ActionItem, AgendaItem, CalendarFeed, DatePoll, Invitation, Meeting, PollAnswer, PollSlot

PAST_PAGE_SIZE = 20


def _meeting(request, pk) -> Meeting:
    """The meeting, or 404 when it does not exist or is a draft the user may not see."""
    meeting = Meeting.objects.select_related("host").filter(pk=pk).first()
    if meeting is None or (meeting.status == Meeting.Status.DRAFT
                           and not permissions.can(request.user, permissions.MANAGE_MEETINGS)):
        raise Http404("No such meeting")
    return meeting


def meeting_url(meeting) -> str:
    return reverse("meetings:detail", args=[meeting.pk])


@permissions.require(permissions.VIEW_PORTAL)
def meeting_list(request):
    past = Paginator(selectors.meetings_past_for(request.user), PAST_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "meetings/list.html", {
        "upcoming": list(selectors.meetings_upcoming_for(request.user)[:50]),
        "past": past,
        "chart": selectors.attendance_chart(),
        "polls": list(selectors.polls_open()),
    })


def _save_meeting(request, form, meeting=None):
    data = dict(form.cleaned_data)
    audience = data.pop("audience_organizations")
    if meeting is None:
        status = Meeting.Status.SCHEDULED if request.POST.get("action") == "schedule" else Meeting.Status.DRAFT
        if status == Meeting.Status.SCHEDULED and data["end"] < timezone.now():
            status = Meeting.Status.HELD
        return services.meeting_create(by=request.user, status=status, audience_organizations=audience, **data)
    return services.meeting_update(meeting=meeting, by=request.user, audience_organizations=audience, **data)


@permissions.require(permissions.MANAGE_MEETINGS)
def meeting_create(request):
    form = MeetingForm(request.POST or None, initial={"number": services.meeting_number_next()})
    if request.method == "POST" and form.is_valid():
        meeting = _save_meeting(request, form)
        if meeting.status == Meeting.Status.HELD:
            messages.success(request, f"Meeting {meeting.number} recorded in the group's history (no invitations are sent for past meetings).")
        elif meeting.status == Meeting.Status.SCHEDULED:
            messages.success(request, f"Meeting {meeting.number} scheduled. Add the agenda, then send the invitations.")
        else:
            messages.success(request, f"Meeting {meeting.number} saved as a draft; only co-chairs and the secretariat see it.")
        return redirect("meetings:detail", pk=meeting.pk)
    return render(request, "meetings/meeting_form.html", {"form": form})


@permissions.require(permissions.MANAGE_MEETINGS)
def meeting_edit(request, pk):
    meeting = _meeting(request, pk)
    form = MeetingForm(request.POST or None, instance=meeting)
    if request.method == "POST" and form.is_valid():
        meeting = _save_meeting(request, form, meeting)
        messages.success(request, "Meeting saved.")
        if meeting.update_pending:
            messages.warning(request, "Time or place changed after the invitations went out: send an update.")
        return redirect("meetings:detail", pk=meeting.pk)
    # The form's instance was changed by validation; show the stored meeting in the heading.
    return render(request, "meetings/meeting_form.html", {"form": form, "meeting": Meeting.objects.get(pk=pk)})


@permissions.require(permissions.VIEW_PORTAL)
def meeting_detail(request, pk):
    _meeting(request, pk)
    meeting = selectors.meeting_detail(pk)
    agenda = list(meeting.agenda_items.all())
    agenda_minutes = sum(item.minutes for item in agenda)
    manage = permissions.can(request.user, permissions.MANAGE_MEETINGS)
    panels = [result for result in (panel(request, meeting) for panel in hooks.meeting_panels) if result]
    context = {
        "meeting": meeting, "agenda": agenda, "agenda_minutes": agenda_minutes,
        "agenda_over": agenda_minutes > meeting.length_minutes, "manage": manage, "panels": panels,
        "invitation": services.invitation_for(meeting, request.user),
        "can_reply": (meeting.status == Meeting.Status.SCHEDULED and meeting.is_upcoming
                      and permissions.can(request.user, permissions.REPLY_MEETING, meeting)),
        "attendance": selectors.attendees_by_organization(meeting),
        "minutes_html": services.render_markdown(meeting.minutes_markdown) if meeting.minutes_markdown else "",
        "action_items": list(meeting.action_items.all()),
    }
    if manage:
        context.update({
            "agenda_form": AgendaItemForm(),
            "action_form": ActionItemForm(),
            "replies": selectors.replies_by_organization(meeting),
            "mailings": [(m, outbox.mailing_progress(m)) for m in selectors.meeting_mailings(meeting)],
        })
    return render(request, "meetings/detail.html", context)


def _meeting_action(request, pk, service, describe, anchor: str = ""):
    """A POST that runs ``service(meeting=, by=)`` and says what happened on the meeting page.

    ``describe(result)`` gives the success message; a MeetingStateError's message is shown instead.
    """
    meeting = _meeting(request, pk)
    try:
        result = service(meeting=meeting, by=request.user)
    except services.MeetingStateError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, describe(result))
    return redirect(reverse("meetings:detail", args=[meeting.pk]) + anchor)


def _count(mailing) -> int:
    return mailing.messages.count() if mailing else 0


@require_POST
@permissions.require(permissions.MANAGE_MEETINGS)
def meeting_schedule(request, pk):
    return _meeting_action(request, pk, services.meeting_schedule, lambda meeting: (
        "Meeting scheduled. Members can see it now; send the invitations when the agenda is ready."
        if meeting.status == Meeting.Status.SCHEDULED else "Meeting recorded as held."))


@require_POST
@permissions.require(permissions.MANAGE_MEETINGS)
def invitations_send(request, pk):
    return _meeting_action(request, pk, services.invitations_send, lambda mailing: (
        f"{_count(mailing)} invitation(s) queued. Delivery progress is shown below." if mailing
        else "Everyone in the audience has been invited already; nothing new to send."))


@require_POST
@permissions.require(permissions.MANAGE_MEETINGS)
def update_send(request, pk):
    return _meeting_action(request, pk, services.update_send,
                           lambda mailing: f"Update queued for {_count(mailing)} invitee(s).")


@require_POST
@permissions.require(permissions.MANAGE_MEETINGS)
def meeting_cancel(request, pk):
    return _meeting_action(request, pk, services.meeting_cancel, lambda mailing: "Meeting cancelled." + (
        f" The cancellation is being sent to {_count(mailing)} invitee(s)." if mailing else ""))


@require_POST
@permissions.require(permissions.MANAGE_MEETINGS)
def minutes_publish(request, pk):
    return _meeting_action(request, pk, services.minutes_publish, lambda mailing: "Minutes published." + (
        f" They are being sent to {_count(mailing)} invitee(s)." if mailing else ""), anchor="#minutes")


# Agenda ---------------------------------------------------------------------


def _item_form(request, form, meeting, heading: str, action: str, anchor: str, status: int = 200):
    return render(request, "meetings/item_form.html", {
        "form": form, "meeting": meeting, "heading": heading, "action": action, "anchor": anchor}, status=status)


def _agenda_item(request, pk, item_pk) -> AgendaItem:
    meeting = _meeting(request, pk)
    return get_object_or_404(AgendaItem.objects.select_related("meeting"), pk=item_pk, meeting=meeting)


@require_POST
@permissions.require(permissions.MANAGE_MEETINGS)
def agenda_add(request, pk):
    meeting = _meeting(request, pk)
    form = AgendaItemForm(request.POST)
    if form.is_valid():
        services.agenda_item_add(meeting=meeting, **form.cleaned_data)
        messages.success(request, f"Agenda item “{form.cleaned_data['title']}” added.")
        return redirect(f"{meeting_url(meeting)}#agenda")
    return _item_form(request, form, meeting, "Add agenda item", reverse("meetings:agenda_add", args=[meeting.pk]),
                      "agenda", status=400)


@permissions.require(permissions.MANAGE_MEETINGS)
def agenda_edit(request, pk, item_pk):
    item = _agenda_item(request, pk, item_pk)
    form = AgendaItemForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        services.agenda_item_update(item=item, **form.cleaned_data)
        messages.success(request, "Agenda item saved.")
        return redirect(f"{meeting_url(item.meeting)}#agenda")
    return _item_form(request, form, item.meeting, "Edit agenda item", request.path, "agenda")


@require_POST
@permissions.require(permissions.MANAGE_MEETINGS)
def agenda_delete(request, pk, item_pk):
    item = _agenda_item(request, pk, item_pk)
    services.agenda_item_delete(item=item)
    messages.success(request, f"Agenda item “{item.title}” removed.")
    return redirect(f"{meeting_url(item.meeting)}#agenda")


@require_POST
@permissions.require(permissions.MANAGE_MEETINGS)
def agenda_move(request, pk, item_pk):
    item = _agenda_item(request, pk, item_pk)
    direction = request.POST.get("direction")
    if direction in ("up", "down"):
        services.agenda_item_move(item=item, direction=direction)
    return redirect(f"{meeting_url(item.meeting)}#agenda")


# Replies --------------------------------------------------------------------

RESPONSE_WORDS = {"accepted": "You accepted", "tentative": "You replied tentatively", "declined": "You declined"}


@require_POST
def reply(request, pk):
    meeting = Meeting.objects.filter(pk=pk).exclude(status=Meeting.Status.DRAFT).first()
    if meeting is None:
        raise Http404("No such meeting")
    if not permissions.can(request.user, permissions.REPLY_MEETING, meeting):
        return permissions.deny(request)
    form = ReplyForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose accept, tentative or decline.")
    else:
        try:
            services.reply_set_for_user(meeting=meeting, user=request.user, response=form.cleaned_data["response"])
        except services.MeetingStateError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, RESPONSE_WORDS[form.cleaned_data["response"]] + ". Thank you for replying.")
    if permissions.is_member(request.user):
        return redirect("meetings:detail", pk=pk)
    # Invitees outside the group cannot see the meeting page; their invitation's page shows the reply.
    invitation = services.invitation_for(meeting, request.user)
    return redirect("meetings:reply_link", pk=pk, token=tokens.reply_token(invitation))


@login_not_required
@never_cache
def reply_link(request, pk, token):
    """The reply link of an invitation email: works without sign-in.

    GET shows the meeting and the answer chosen in the email; the answer is
    recorded by the POST of the confirmation button, so that mail scanners that
    open links do not answer for the recipient.
    """
    meeting = Meeting.objects.select_related("host").filter(pk=pk).first()
    try:
        if meeting is None:
            raise tokens.InvalidToken("This reply link is for a meeting that no longer exists.")
        invitation_id = tokens.reply_token_read(token, meeting_id=meeting.pk)
        invitation = Invitation.objects.filter(pk=invitation_id, meeting=meeting).first()
        if invitation is None:
            raise tokens.InvalidToken("This invitation was withdrawn.")
    except tokens.InvalidToken as exc:
        return render(request, "meetings/reply_invalid.html", {"reason": str(exc)}, status=400)
    form = ReplyForm(request.POST or None, initial={"response": request.GET.get("response")})
    recorded = False
    error = ""
    if request.method == "POST":
        if form.is_valid():
            try:
                services.reply_set(invitation=invitation, response=form.cleaned_data["response"])
                recorded = True
            except services.MeetingStateError as exc:
                error = str(exc)
        else:
            error = "Choose accept, tentative or decline."
    chosen = request.GET.get("response") if request.GET.get("response") in RESPONSE_WORDS else ""
    return render(request, "meetings/reply_link.html", {
        "meeting": meeting, "invitation": invitation, "agenda": list(meeting.agenda_items.select_related("presenter")),
        "recorded": recorded, "error": error, "chosen": chosen,
        "closed": meeting.status == Meeting.Status.CANCELLED or meeting.end < timezone.now(),
    }, status=400 if error else 200)


# Calendar -------------------------------------------------------------------


def meeting_ics(request, pk):
    meeting = _meeting(request, pk)
    # Whoever may reply to the meeting (members, and the invitees of this one) may put it in their calendar.
    if not permissions.can(request.user, permissions.REPLY_MEETING, meeting):
        return permissions.deny(request)
    ics = calendar.meeting_ics(meeting, method="PUBLISH", agenda=list(meeting.agenda_items.select_related("presenter")))
    response = HttpResponse(ics, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="meeting-{meeting.number}.ics"'
    return response


@login_not_required
@never_cache
def calendar_feed(request, key):
    feed = CalendarFeed.objects.select_related("user__organization").filter(key=key).first()
    if feed is None or not feed.user.is_active:
        return HttpResponse("This calendar address is not valid (it may have been replaced by a new one).",
                            status=404, content_type="text/plain; charset=utf-8")
    meetings = selectors.meetings_visible_to(feed.user)
    return HttpResponse(calendar.feed_ics(meetings, name="TIP working group meetings"),
                        content_type="text/calendar; charset=utf-8")


@permissions.require(permissions.VIEW_PORTAL)
def calendar_settings(request):
    feed = services.feed_for(request.user)
    url = request.build_absolute_uri(f"/meetings/calendar/{feed.key}.ics")
    return render(request, "meetings/calendar_settings.html", {"feed": feed, "feed_url": url,
                                                               "webcal_url": url.replace("https://", "webcal://").replace("http://", "webcal://")})


@require_POST
@permissions.require(permissions.VIEW_PORTAL)
def calendar_rotate(request):
    services.feed_rotate(user=request.user)
    messages.success(request, "A new calendar address was made; the old one no longer works. Subscribe again with the new one.")
    return redirect("meetings:calendar")


# After the meeting ------------------------------------------------------------


@permissions.require(permissions.MANAGE_MEETINGS)
def attendance(request, pk):
    meeting = _meeting(request, pk)
    organizations = Organization.objects.filter(
        Q(status=Organization.Status.ACTIVE) | Q(pk__in=meeting.invitations.values("organization"))
        | Q(pk__in=meeting.attending_organizations.values("pk"))
    ).distinct().order_by("name")
    people = User.objects.filter(
        Q(organization__in=organizations) | Q(pk__in=meeting.attendees.values("pk"))
    ).select_related("organization").distinct().order_by("full_name", "email")
    form = AttendanceForm(request.POST or None, organizations=organizations, people=people)
    if request.method == "POST" and form.is_valid():
        services.attendance_record(meeting=meeting, organizations=form.cleaned_data["organizations"],
                                   people=form.cleaned_data["people"])
        messages.success(request, "Attendance recorded.")
        return redirect(f"{meeting_url(meeting)}#attendance")
    chosen_orgs, chosen_people, prefilled = selectors.attendance_ticked(meeting)
    if request.method == "POST":
        chosen_orgs = {int(v) for v in request.POST.getlist("organizations") if v.isdigit()}
        chosen_people = {int(v) for v in request.POST.getlist("people") if v.isdigit()}
    people_by_org = {}
    for person in people:
        people_by_org.setdefault(person.organization_id, []).append(person)
    groups = [(org, people_by_org.get(org.pk, [])) for org in organizations]
    return render(request, "meetings/attendance.html", {
        "meeting": meeting, "form": form, "groups": groups, "chosen_orgs": chosen_orgs,
        "chosen_people": chosen_people, "prefilled": prefilled,
    })


@permissions.require(permissions.VIEW_PORTAL)
def attendance_csv(request, pk):
    _meeting(request, pk)
    meeting = selectors.meeting_detail(pk)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="meeting-{meeting.number}-attendance.csv"'
    writer = csv.writer(response)
    writer.writerow(["meeting", "date", "organization", "kind", "person", "title", "email"])
    date = timezone.localtime(meeting.start).date().isoformat()
    for organization, people in selectors.attendees_by_organization(meeting):
        for person in people or [None]:
            writer.writerow([meeting.number, date, organization.name, organization.get_kind_display(),
                             person.full_name if person else "", person.title if person else "",
                             person.email if person else ""])
    return response


@permissions.require(permissions.MANAGE_MEETINGS)
def minutes_edit(request, pk):
    meeting = _meeting(request, pk)
    form = MinutesForm(request.POST or None, initial={"text": meeting.minutes_markdown})
    if request.method == "POST" and form.is_valid():
        services.minutes_save(meeting=meeting, text=form.cleaned_data["text"])
        messages.success(request, "Minutes saved." + ("" if meeting.minutes_published_at else " They are not published yet."))
        return redirect(f"{meeting_url(meeting)}#minutes")
    preview = services.render_markdown(form.data.get("text", "") if form.is_bound else meeting.minutes_markdown)
    return render(request, "meetings/minutes_form.html", {"meeting": meeting, "form": form, "preview": preview})


@require_POST
@permissions.require(permissions.MANAGE_MEETINGS)
def action_add(request, pk):
    meeting = _meeting(request, pk)
    form = ActionItemForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        services.action_item_add(meeting=meeting, description=data["description"], owner=data["owner"], due_on=data["due_on"])
        messages.success(request, "Action item added.")
        return redirect(f"{meeting_url(meeting)}#actions")
    return _item_form(request, form, meeting, "Add action item", reverse("meetings:action_add", args=[meeting.pk]),
                      "actions", status=400)


@permissions.require(permissions.MANAGE_MEETINGS)
def action_edit(request, pk, item_pk):
    meeting = _meeting(request, pk)
    item = get_object_or_404(ActionItem, pk=item_pk, meeting=meeting)
    form = ActionItemForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        services.action_item_update(item=item, **form.cleaned_data)
        messages.success(request, "Action item saved.")
        return redirect(f"{meeting_url(meeting)}#actions")
    return _item_form(request, form, meeting, "Edit action item", request.path, "actions")


@permissions.require(permissions.VIEW_PORTAL)
def action_items(request):
    status = request.GET.get("status", "open")
    if status not in ActionItem.Status.values:
        status = "open"
    rows = ActionItem.objects.filter(status=status).select_related("owner", "meeting").order_by("due_on", "id")
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(request, "meetings/action_items.html", {
        "page": page, "status": status, "statuses": ActionItem.Status.choices, "query": f"status={status}",
        "manage": permissions.can(request.user, permissions.MANAGE_MEETINGS),
    })


# Finding a date ---------------------------------------------------------------


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


@permissions.require(permissions.VIEW_PORTAL)
def poll_detail(request, pk):
    poll = get_object_or_404(DatePoll.objects.select_related("host", "meeting"), pk=pk)
    if request.method == "POST":
        answers = {}
        for key, value in request.POST.items():
            if key.startswith("slot-") and key[5:].isdigit() and value in PollAnswer.Answer.values:
                answers[int(key[5:])] = value
        try:
            services.poll_answer(poll=poll, user=request.user, answers=answers)
        except services.MeetingStateError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "Your answers are saved." if answers else "Choose an answer for at least one slot.")
        return redirect("meetings:poll", pk=pk)
    data = selectors.poll_detail(poll, request.user)
    manage = permissions.can(request.user, permissions.MANAGE_MEETINGS)
    mailing = Mailing.objects.filter(subject_ref=f"meetings.datepoll:{poll.pk}").first() if manage else None
    return render(request, "meetings/poll_detail.html", {
        "poll": poll, **data, "answer_choices": PollAnswer.Answer.choices, "manage": manage,
        "mailing": mailing, "progress": outbox.mailing_progress(mailing) if mailing else None,
    })


@require_POST
@permissions.require(permissions.MANAGE_MEETINGS)
def poll_schedule(request, pk, slot_pk):
    poll = get_object_or_404(DatePoll, pk=pk)
    slot = get_object_or_404(PollSlot, pk=slot_pk, poll=poll)
    try:
        meeting = services.poll_schedule(poll=poll, slot=slot, by=request.user)
    except services.MeetingStateError as exc:
        messages.error(request, str(exc))
        return redirect("meetings:poll", pk=pk)
    messages.success(request, f"Meeting {meeting.number} scheduled from the poll. Add the agenda, then send the invitations.")
    return redirect("meetings:detail", pk=meeting.pk)
