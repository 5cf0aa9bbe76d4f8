"""After the meeting: attendance (and its export), minutes, action items."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from members import permissions
from members.exports import csv_response
from members.ids import parse_id, parse_ids
from members.markup import markdown_to_html
from members.navigation import next_url

from .. import selectors, services
from ..forms import ActionItemForm, AttendanceForm, MinutesForm
from ..models import ActionItem
from .common import (
    get_visible_or_404,
    meeting_action,
    meeting_path,
    message_count,
    visible_meeting,
)
from .scheduling import item_form


@permissions.require(permissions.MANAGE_MEETINGS)
def attendance(request, pk):
    meeting = visible_meeting(request, pk)
    try:
        services.attendance_check_open(meeting)
    except services.MeetingStateError as exc:
        messages.error(request, str(exc))
        return redirect(meeting_path(meeting))
    organizations, people = selectors.attendance_choices(meeting)
    form = AttendanceForm(request.POST or None, organizations=organizations, people=people)
    if request.method == "POST" and form.is_valid():
        services.attendance_record(meeting=meeting, organizations=form.cleaned_data["organizations"],
                                   people=form.cleaned_data["people"])
        messages.success(request, "Attendance recorded.")
        return redirect(f"{meeting_path(meeting)}#attendance")
    chosen_orgs, chosen_people, prefilled = selectors.attendance_ticked(meeting)
    if request.method == "POST":
        chosen_orgs = set(parse_ids(request.POST.getlist("organizations")))
        chosen_people = set(parse_ids(request.POST.getlist("people")))
    return render(request, "meetings/attendance.html", {
        "meeting": meeting, "form": form, "groups": selectors.people_by_organization(organizations, people),
        "chosen_orgs": chosen_orgs,
        "chosen_people": chosen_people, "prefilled": prefilled,
    })


@permissions.require(permissions.VIEW_PORTAL)
def attendance_csv(request, pk):
    meeting = selectors.meeting_detail(visible_meeting(request, pk))
    date = timezone.localtime(meeting.start).date().isoformat()
    rows = [
        [meeting.number, date, organization.name, organization.get_kind_display(),
         person.full_name if person else "", person.title if person else "", person.email if person else ""]
        for organization, people in selectors.attendees_by_organization(meeting)
        for person in people or [None]
    ]
    return csv_response(f"meeting-{meeting.number}-attendance.csv",
                        ["meeting", "date", "organization", "kind", "person", "title", "email"], rows)


@permissions.require(permissions.MANAGE_MEETINGS)
def minutes_edit(request, pk):
    meeting = visible_meeting(request, pk)
    try:
        services.minutes_check_open(meeting)
    except services.MeetingStateError as exc:
        messages.error(request, str(exc))
        return redirect(meeting_path(meeting))
    form = MinutesForm(request.POST or None, initial={"text": meeting.minutes_markdown})
    if request.method == "POST" and form.is_valid():
        meeting = services.minutes_save(meeting=meeting, text=form.cleaned_data["text"])
        if meeting.minutes_correction_pending:
            note = " They were sent before: send the correction from the meeting page."
        else:
            note = "" if meeting.minutes_published_at else " They are not published yet."
        messages.success(request, "Minutes saved." + note)
        return redirect(f"{meeting_path(meeting)}#minutes")
    preview = markdown_to_html(form.data.get("text", "") if form.is_bound else meeting.minutes_markdown)
    return render(request, "meetings/minutes_form.html", {"meeting": meeting, "form": form, "preview": preview})


@require_POST
@permissions.require(permissions.MANAGE_MEETINGS)
def minutes_publish(request, pk):
    return meeting_action(request, pk, services.minutes_publish, lambda mailing: "Minutes published." + (
        f" They are being sent to {(n := message_count(mailing))} invitee{pluralize(n)}." if mailing else ""),
        anchor="#minutes")


@require_POST
@permissions.require(permissions.VIEW_PORTAL)
def action_done(request, pk, item_pk):
    """The owner organization's people (and co-chairs) mark an action item done."""
    meeting = visible_meeting(request, pk)
    item = get_visible_or_404(request, ActionItem.objects.filter(meeting=meeting).select_related("meeting"), item_pk)
    if not services.action_item_may_complete(request.user, item):
        return permissions.deny(request)
    try:
        services.action_item_done(item=item, by=request.user)
    except services.MeetingStateError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"“{item.description}” marked done.")
    return redirect(next_url(request) or f"{meeting_path(meeting)}#actions")


@permissions.require(permissions.VIEW_PORTAL)
def action_items_csv(request):
    """The action items the person may see, of every status (``meeting`` limits them to one meeting)."""
    rows = selectors.action_items_for_export(request.user, meeting_id=parse_id(request.GET.get("meeting", "")))
    return csv_response("action-items.csv", ["meeting", "meeting date", "action", "owner", "due", "status"], [
        [item.meeting.number, timezone.localtime(item.meeting.start).date().isoformat(), item.description,
         item.owner.name if item.owner else "", item.due_on.isoformat() if item.due_on else "",
         item.get_status_display()]
        for item in rows
    ])


@require_POST
@permissions.require(permissions.MANAGE_MEETINGS)
def action_add(request, pk):
    meeting = visible_meeting(request, pk)
    form = ActionItemForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        services.action_item_add(meeting=meeting, description=data["description"], owner=data["owner"],
                                 due_on=data["due_on"])
        messages.success(request, "Action item added.")
        return redirect(f"{meeting_path(meeting)}#actions")
    return item_form(request, form, meeting, "Add action item", reverse("meetings:action_add", args=[meeting.pk]),
                     "actions", status=400)


@permissions.require(permissions.MANAGE_MEETINGS)
def action_edit(request, pk, item_pk):
    meeting = visible_meeting(request, pk)
    item = get_visible_or_404(request, ActionItem.objects.filter(meeting=meeting), item_pk)
    form = ActionItemForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        services.action_item_update(item=item, **form.cleaned_data)
        messages.success(request, "Action item saved.")
        return redirect(f"{meeting_path(meeting)}#actions")
    return item_form(request, form, meeting, "Edit action item", request.path, "actions")


@permissions.require(permissions.VIEW_PORTAL)
def action_items(request):
    status = request.GET.get("status", "open")
    if status not in ActionItem.Status.values:
        status = "open"
    page = Paginator(selectors.action_items_with_status(request.user, status), 50).get_page(request.GET.get("page"))
    return render(request, "meetings/action_items.html", {
        "page": page, "status": status, "statuses": ActionItem.Status.choices, "query": f"status={status}",
        "manage": permissions.can(request.user, permissions.MANAGE_MEETINGS),
        "own_organization_id": request.user.organization_id,
    })
