"""Meeting pages: the list, the meeting page, creating, editing, scheduling,
cancelling, and the agenda."""

from urllib.parse import quote

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.views.decorators.http import require_POST

from members import permissions
from members.markup import markdown_to_html
from notifications import services as outbox

from .. import hooks, panels, selectors, services
from ..forms import ActionItemForm, AgendaItemForm, MeetingForm
from ..models import AgendaItem, Meeting
from .common import (
    get_visible_or_404,
    meeting_action,
    meeting_path,
    message_count,
    visible_meeting,
)

PAST_PAGE_SIZE = 20


@permissions.require(permissions.VIEW_PORTAL)
def meeting_list(request):
    """Upcoming and past meetings; ``q`` searches titles, agendas and minutes;
    ``show=cancelled`` lists the cancelled meetings instead."""
    query = request.GET.get("q", "").strip()[:200]
    show_cancelled = request.GET.get("show") == "cancelled"
    user = request.user
    if show_cancelled:
        rows, upcoming = selectors.meetings_cancelled_for(user, query=query), []
    else:
        rows = selectors.meetings_past_for(user, query=query)
        upcoming = list(selectors.meetings_upcoming_for(user, query=query)[:50])
    past = Paginator(rows, PAST_PAGE_SIZE).get_page(request.GET.get("page"))
    params = "&".join(part for part in (
        f"q={quote(query)}" if query else "", "show=cancelled" if show_cancelled else "") if part)
    return render(request, "meetings/list.html", {
        "upcoming": upcoming, "past": past, "query": query, "show_cancelled": show_cancelled, "params": params,
        "chart": None if query or show_cancelled else panels.attendance_chart(user),
        "polls": list(selectors.polls_open(user)),
    })


def _save_meeting(request, form, meeting=None):
    data = dict(form.cleaned_data)
    audience = data.pop("audience_organizations")
    if meeting is None:
        # The service decides whether a meeting with a past date is scheduled or recorded as held.
        status = Meeting.Status.SCHEDULED if request.POST.get("action") == "schedule" else Meeting.Status.DRAFT
        return services.meeting_create(by=request.user, status=status, audience_organizations=audience, **data)
    return services.meeting_update(meeting=meeting, by=request.user, audience_organizations=audience, **data)


CREATED_MESSAGES = {
    Meeting.Status.HELD: "Meeting {n} recorded in the group's history (no invitations are sent for past meetings).",
    Meeting.Status.SCHEDULED: "Meeting {n} scheduled. Add the agenda, then send the invitations.",
    Meeting.Status.DRAFT: "Meeting {n} saved as a draft; only co-chairs and the secretariat see it.",
}


@permissions.require(permissions.MANAGE_MEETINGS)
def meeting_create(request):
    form = MeetingForm(request.POST or None, initial={"number": selectors.meeting_number_next()})
    if request.method == "POST" and form.is_valid():
        meeting = _save_meeting(request, form)
        messages.success(request, CREATED_MESSAGES[meeting.status].format(n=meeting.number))
        return redirect("meetings:detail", pk=meeting.pk)
    return render(request, "meetings/meeting_form.html", {"form": form})


@permissions.require(permissions.MANAGE_MEETINGS)
def meeting_edit(request, pk):
    meeting = visible_meeting(request, pk)
    form = MeetingForm(request.POST or None, instance=meeting)
    if request.method == "POST" and form.is_valid():
        meeting = _save_meeting(request, form, meeting)
        messages.success(request, "Meeting saved.")
        if meeting.update_pending:
            messages.warning(request, "Time or place changed after the invitations went out: send an update.")
        return redirect("meetings:detail", pk=meeting.pk)
    # The form's instance was changed by validation; show the stored meeting in the heading.
    return render(request, "meetings/meeting_form.html", {"form": form, "meeting": Meeting.objects.get(pk=meeting.pk)})


@permissions.require(permissions.VIEW_PORTAL)
def meeting_detail(request, pk):
    meeting = selectors.meeting_detail(visible_meeting(request, pk))
    agenda = list(meeting.agenda_items.all())
    agenda_minutes = sum(item.minutes for item in agenda)
    manage = permissions.can(request.user, permissions.MANAGE_MEETINGS, meeting)
    cancelled = meeting.is_cancelled
    # A cancelled meeting's page is the record alone: nothing to add to it from other apps.
    page_panels = [] if cancelled else [
        result for result in (panel(request, meeting) for panel in hooks.meeting_panels) if result]
    context = {
        "meeting": meeting, "agenda": agenda, "agenda_minutes": agenda_minutes, "cancelled": cancelled,
        "agenda_over": agenda_minutes > meeting.length_minutes, "manage": manage, "panels": page_panels,
        "adding": request.GET.get("adding") == "1",
        "attendance_open": _open(services.attendance_check_open, meeting),
        "minutes_open": _open(services.minutes_check_open, meeting),
        "organizations_coming": [] if cancelled or meeting.status == Meeting.Status.DRAFT
        else selectors.organizations_coming(meeting),
        "own_organization_id": request.user.organization_id,
        "invitation": selectors.rsvp_for(meeting, request.user),
        "can_reply": meeting.accepts_replies and permissions.can(request.user, permissions.REPLY_MEETING, meeting),
        "attendance": selectors.attendees_by_organization(meeting),
        "minutes_html": markdown_to_html(meeting.minutes_markdown) if meeting.minutes_markdown else "",
        "action_items": list(meeting.action_items.all()),
    }
    if manage:
        context.update({
            "agenda_form": AgendaItemForm(autofocus=context["adding"]),
            "action_form": ActionItemForm(),
            "replies": selectors.replies_by_organization(meeting),
            "mailings": [(m, outbox.mailing_progress(m)) for m in selectors.meeting_mailings(meeting)],
        })
    return render(request, "meetings/detail.html", context)


def _open(check, meeting) -> bool:
    """Does the service's rule ``check`` allow the action on ``meeting`` now?"""
    try:
        check(meeting)
    except services.MeetingStateError:
        return False
    return True


@require_POST
@permissions.require(permissions.MANAGE_MEETINGS)
def meeting_schedule(request, pk):
    return meeting_action(request, pk, services.meeting_schedule, lambda meeting: (
        "Meeting scheduled. Members can see it now; send the invitations when the agenda is ready."
        if meeting.status == Meeting.Status.SCHEDULED else "Meeting recorded as held."))


@require_POST
@permissions.require(permissions.MANAGE_MEETINGS)
def meeting_cancel(request, pk):
    return meeting_action(request, pk, services.meeting_cancel, lambda mailing: "Meeting cancelled." + (
        f" The cancellation is being sent to {(n := message_count(mailing))} invitee{pluralize(n)}."
        if mailing else ""))


# Agenda ---------------------------------------------------------------------


def item_form(request, form, meeting, heading: str, action: str, anchor: str, status: int = 200):
    return render(request, "meetings/item_form.html", {
        "form": form, "meeting": meeting, "heading": heading, "action": action, "anchor": anchor}, status=status)


def _agenda_item(request, pk, item_pk) -> AgendaItem:
    meeting = visible_meeting(request, pk)
    return get_visible_or_404(request, AgendaItem.objects.select_related("meeting").filter(meeting=meeting), item_pk)


@require_POST
@permissions.require(permissions.MANAGE_MEETINGS)
def agenda_add(request, pk):
    meeting = visible_meeting(request, pk)
    form = AgendaItemForm(request.POST)
    if form.is_valid():
        services.agenda_item_add(meeting=meeting, **form.cleaned_data)
        messages.success(request, f"Agenda item “{form.cleaned_data['title']}” added.")
        # Back with the form open and its title focused (autofocus scrolls to it), ready for the
        # next item. No #fragment: a browser skips autofocus when the address names a target.
        return redirect(f"{meeting_path(meeting)}?adding=1")
    return item_form(request, form, meeting, "Add agenda item", reverse("meetings:agenda_add", args=[meeting.pk]),
                     "agenda", status=400)


@permissions.require(permissions.MANAGE_MEETINGS)
def agenda_edit(request, pk, item_pk):
    item = _agenda_item(request, pk, item_pk)
    form = AgendaItemForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        services.agenda_item_update(item=item, **form.cleaned_data)
        messages.success(request, "Agenda item saved.")
        return redirect(f"{meeting_path(item.meeting)}#agenda")
    return item_form(request, form, item.meeting, "Edit agenda item", request.path, "agenda")


@require_POST
@permissions.require(permissions.MANAGE_MEETINGS)
def agenda_delete(request, pk, item_pk):
    item = _agenda_item(request, pk, item_pk)
    services.agenda_item_delete(item=item)
    messages.success(request, f"Agenda item “{item.title}” removed.")
    return redirect(f"{meeting_path(item.meeting)}#agenda")


@require_POST
@permissions.require(permissions.MANAGE_MEETINGS)
def agenda_move(request, pk, item_pk):
    item = _agenda_item(request, pk, item_pk)
    direction = request.POST.get("direction")
    valid = direction in ("up", "down")
    if valid:
        services.agenda_item_move(item=item, direction=direction)
    if "application/json" in request.headers.get("Accept", ""):
        # The page's script reorders the list in place from this answer.
        items = selectors.agenda(item.meeting)
        return JsonResponse({"order": [row.pk for row in items],
                             "minutes": sum(row.minutes for row in items)}, status=200 if valid else 400)
    return redirect(f"{meeting_path(item.meeting)}#agenda")
