"""Every meetings page for every role, forms refusing bad input, and flat query counts."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings import panels, services
from meetings.models import ActionItem, CalendarFeed, DatePoll, Meeting
from notifications.models import Message
from tests.meetings.factories import (
    ActionItemFactory,
    AgendaItemFactory,
    MeetingFactory,
    RsvpFactory,
    in_days,
)
from tests.members.factories import OrganizationFactory, UserFactory
from tests.members.roles import assert_role_answer

pytestmark = pytest.mark.django_db

VIEW = {"member", "secretariat", "cochair"}
MANAGE = {"secretariat", "cochair"}


@pytest.fixture
def scene(db):
    meeting = MeetingFactory(title="Anti-TIP projects")
    item = AgendaItemFactory(meeting=meeting)
    action = ActionItemFactory(meeting=meeting)
    past = MeetingFactory(start=in_days(-20), end=in_days(-20, 12), status="held")
    start = in_days(30)
    poll = services.poll_create(by=None, title="Fifth meeting", slots=[
        (start, start + datetime.timedelta(hours=2)),
        (start + datetime.timedelta(days=1), start + datetime.timedelta(days=1, hours=2))])
    return {"meeting": meeting, "item": item, "action": action, "past": past, "poll": poll}


def _pages(scene):
    m, item, action, past, poll = scene["meeting"], scene["item"], scene["action"], scene["past"], scene["poll"]
    slot = poll.slots.first()
    return [
        (reverse("meetings:list"), "get", VIEW),
        (reverse("meetings:list") + "?page=abc", "get", VIEW),
        (reverse("meetings:actions"), "get", VIEW),
        (reverse("meetings:actions") + "?status=bogus&page=-1", "get", VIEW),
        (reverse("meetings:detail", args=[m.pk]), "get", VIEW),
        (reverse("meetings:detail", args=[past.pk]), "get", VIEW),
        (reverse("meetings:ics", args=[m.pk]), "get", VIEW),
        (reverse("meetings:calendar"), "get", VIEW),
        (reverse("meetings:attendance_csv", args=[past.pk]), "get", VIEW),
        (reverse("meetings:poll", args=[poll.pk]), "get", VIEW),
        (reverse("meetings:reply", args=[m.pk]), "post", VIEW),
        (reverse("meetings:calendar_rotate"), "post", VIEW),
        (reverse("meetings:create"), "get", MANAGE),
        (reverse("meetings:edit", args=[m.pk]), "get", MANAGE),
        (reverse("meetings:agenda_edit", args=[m.pk, item.pk]), "get", MANAGE),
        (reverse("meetings:attendance", args=[past.pk]), "get", MANAGE),
        (reverse("meetings:minutes", args=[past.pk]), "get", MANAGE),
        (reverse("meetings:action_edit", args=[m.pk, action.pk]), "get", MANAGE),
        (reverse("meetings:poll_create"), "get", MANAGE),
        (reverse("meetings:agenda_add", args=[m.pk]), "post", MANAGE),
        (reverse("meetings:agenda_move", args=[m.pk, item.pk]), "post", MANAGE),
        (reverse("meetings:action_add", args=[m.pk]), "post", MANAGE),
        (reverse("meetings:minutes_publish", args=[past.pk]), "post", MANAGE),
        (reverse("meetings:update_send", args=[m.pk]), "post", MANAGE),
        (reverse("meetings:invitations_send", args=[m.pk]), "post", MANAGE),
        (reverse("meetings:poll_schedule", args=[poll.pk, slot.pk]), "post", MANAGE),
        (reverse("meetings:agenda_delete", args=[m.pk, item.pk]), "post", MANAGE),
        (reverse("meetings:cancel", args=[m.pk]), "post", MANAGE),
    ]


PAGE_NAMES = [
    "list", "list_bad_page", "actions", "actions_bad_filter", "detail", "detail_past", "ics", "calendar",
    "attendance_csv", "poll", "reply", "calendar_rotate", "create", "edit", "agenda_edit", "attendance", "minutes",
    "action_edit", "poll_create", "agenda_add", "agenda_move", "action_add", "minutes_publish", "update_send",
    "invitations_send", "poll_schedule", "agenda_delete", "cancel",
]


INVITEE_PAGES = {"ics", "reply"}


@pytest.mark.parametrize("role", ["anonymous", "outsider", "member", "secretariat", "cochair"])
@pytest.mark.parametrize("index", range(len(PAGE_NAMES)), ids=PAGE_NAMES)
def test_page_answers_each_role(client, users_by_role, scene, role, index):
    url, method, allowed = _pages(scene)[index]
    if role != "anonymous":
        client.force_login(users_by_role[role])
    response = getattr(client, method)(url)
    if role == "outsider" and PAGE_NAMES[index] in INVITEE_PAGES:
        # Open to invitees outside the group: a meeting they were not invited to does not exist for them.
        assert response.status_code == 404, url
        return
    # 400: a POST without its form data, refused by an allowed role.
    assert_role_answer(response, role=role, allowed=allowed, url=url, ok=(200, 302, 400))


def test_invitee_outside_the_group_may_download_their_meeting(client, outsider, scene):
    RsvpFactory(meeting=scene["meeting"], email=outsider.email, user=outsider)
    client.force_login(outsider)
    assert client.get(reverse("meetings:ics", args=[scene["meeting"].pk])).status_code == 200


def test_invitee_outside_the_group_may_not_download_another_meeting(client, outsider, scene):
    RsvpFactory(meeting=scene["meeting"], email=outsider.email, user=outsider)
    client.force_login(outsider)
    assert client.get(reverse("meetings:ics", args=[scene["past"].pk])).status_code == 404


def test_invitee_outside_the_group_has_no_calendar_feed_page(client, outsider, scene):
    RsvpFactory(meeting=scene["meeting"], email=outsider.email, user=outsider)
    client.force_login(outsider)
    assert client.get(reverse("meetings:calendar")).status_code == 403


def test_invitee_outside_the_group_may_not_open_the_meeting_page(client, outsider, scene):
    RsvpFactory(meeting=scene["meeting"], email=outsider.email, user=outsider)
    client.force_login(outsider)
    assert client.get(reverse("meetings:detail", args=[scene["meeting"].pk])).status_code == 403


UNKNOWN = {
    "detail": lambda s: reverse("meetings:detail", args=[999999]),
    "edit": lambda s: reverse("meetings:edit", args=[999999]),
    "agenda_edit": lambda s: reverse("meetings:agenda_edit", args=[s["meeting"].pk, 999999]),
    "poll": lambda s: reverse("meetings:poll", args=[999999]),
    "action_of_another_meeting": lambda s: reverse("meetings:action_edit", args=[s["past"].pk, s["action"].pk]),
    "ics": lambda s: reverse("meetings:ics", args=[999999]),
    "attendance_csv": lambda s: reverse("meetings:attendance_csv", args=[999999]),
    "attendance": lambda s: reverse("meetings:attendance", args=[10**24]),
}


@pytest.mark.parametrize("name", UNKNOWN)
def test_unknown_object_is_404(client, cochair, scene, name):
    client.force_login(cochair)
    assert client.get(UNKNOWN[name](scene)).status_code == 404


def test_sending_invitations_of_an_unknown_meeting_is_404(client, cochair):
    client.force_login(cochair)
    assert client.post(reverse("meetings:invitations_send", args=[999999])).status_code == 404


# Drafts: a plain member never sees one, on any page or in any list -----------------

DRAFT_TITLE = "Draft agenda for March"


@pytest.fixture
def draft(db, member):
    meeting = MeetingFactory(status="draft", title=DRAFT_TITLE, host=member.organization,
                             start=in_days(5), end=in_days(5, 12))
    AgendaItemFactory(meeting=meeting, title="Draft agenda item")
    ActionItemFactory(meeting=meeting, description="Draft action item", owner=member.organization)
    RsvpFactory(meeting=meeting, email=member.email, user=member)
    return meeting


DRAFT_OBJECT_PAGES = {
    "detail": ("get", "meetings:detail"),
    "ics": ("get", "meetings:ics"),
    "attendance_csv": ("get", "meetings:attendance_csv"),
    "reply": ("post", "meetings:reply"),
}


@pytest.mark.parametrize("name", DRAFT_OBJECT_PAGES)
def test_member_gets_404_for_a_draft(client, member, draft, name):
    method, url_name = DRAFT_OBJECT_PAGES[name]
    client.force_login(member)
    assert getattr(client, method)(reverse(url_name, args=[draft.pk]), {"response": "accepted"}).status_code == 404


DRAFT_LISTS = {
    "meetings list": lambda: reverse("meetings:list"),
    "action items": lambda: reverse("meetings:actions"),
    "dashboard": lambda: "/",
}


@pytest.mark.parametrize("name", DRAFT_LISTS)
def test_member_never_sees_a_draft_in_a_list(client, member, draft, name):
    client.force_login(member)
    page = client.get(DRAFT_LISTS[name]()).content.decode()
    assert DRAFT_TITLE not in page and "Draft action item" not in page


def test_member_never_sees_a_draft_on_their_organization_page(client, member, draft):
    client.force_login(member)
    page = client.get(reverse("members:organization", args=[member.organization_id])).content.decode()
    assert "Draft action item" not in page and f"No. {draft.number}" not in page


def test_member_never_finds_a_draft_in_their_calendar_feed(client, member, draft):
    feed = services.feed_create(user=member)
    assert draft.calendar_uid not in client.get(reverse("meetings:feed", args=[feed.key])).content.decode()


def test_coordinator_sees_the_draft_in_the_list(client, cochair, draft):
    client.force_login(cochair)
    assert DRAFT_TITLE in client.get(reverse("meetings:list")).content.decode()


def _meeting_data(**overrides):
    start = timezone.localtime() + datetime.timedelta(days=20)
    data = {"title": "Fourth meeting", "number": "4", "start": start.strftime("%Y-%m-%dT10:00"),
            "end": start.strftime("%Y-%m-%dT12:00"), "venue": "UNICEF", "description": "", "audience_all": "all",
            "extra_addresses": "", "action": "schedule"}
    data.update(overrides)
    return data


@pytest.mark.parametrize("overrides, field, message", [
    ({"end": (timezone.localtime() + datetime.timedelta(days=20)).strftime("%Y-%m-%dT09:00")}, "end",
     "The end must come after the start"),
    ({"end": (timezone.localtime() + datetime.timedelta(days=21)).strftime("%Y-%m-%dT10:00")}, "end",
     "more than 12 hours"),
    ({"start": "31/02/2007 25:61"}, "start", "Enter a valid date/time"),
    ({"start": "not a date"}, "start", "Enter a valid date/time"),
    ({"start": "0001-01-01T00:00", "end": "0001-01-01T02:00"}, "start", "Enter a date between 2000 and 2100"),
    ({"end": ""}, "end", "This field is required"),
    ({"number": "0"}, "number", "starts at 1"),
    ({"number": "x"}, "number", "Enter a whole number"),
    ({"title": ""}, "title", "This field is required"),
    ({"extra_addresses": "guest@solwodi.example\nnot-an-address"}, "extra_addresses",
     "Not an email address: not-an-address"),
    ({"audience_all": "chosen"}, "audience_organizations", "Choose at least one organization"),
    ({"host": "999999"}, "host", "Select a valid choice"),
])
def test_meeting_form_refuses_bad_input(client, cochair, overrides, field, message):
    client.force_login(cochair)
    response = client.post(reverse("meetings:create"), _meeting_data(**overrides))
    assert response.status_code == 200
    assert message in str(response.context["form"].errors[field])
    assert not Meeting.objects.exists()


def test_duplicate_number_is_refused(client, cochair):
    MeetingFactory(number=4)
    client.force_login(cochair)
    response = client.post(reverse("meetings:create"), _meeting_data())
    assert "exists already" in str(response.context["form"].errors["number"])
    assert Meeting.objects.count() == 1


def test_create_suggests_the_next_number(client, cochair):
    MeetingFactory(number=3, status="held", start=in_days(-30), end=in_days(-30, 12))
    client.force_login(cochair)
    assert client.get(reverse("meetings:create")).context["form"].initial["number"] == 4


def test_create_with_schedule_makes_a_scheduled_meeting(client, cochair):
    client.force_login(cochair)
    response = client.post(reverse("meetings:create"), _meeting_data(), follow=True)
    assert Meeting.objects.get(number=4).status == "scheduled"
    assert b"Meeting 4 scheduled" in response.content


def test_create_reads_times_as_nairobi_time(client, cochair):
    client.force_login(cochair)
    client.post(reverse("meetings:create"), _meeting_data())
    local = timezone.localtime(Meeting.objects.get(number=4).start)
    assert (local.hour, local.minute, str(local.tzinfo)) == (10, 0, "Africa/Nairobi")


def test_create_as_draft_makes_a_draft(client, cochair):
    client.force_login(cochair)
    response = client.post(reverse("meetings:create"), _meeting_data(action="draft"), follow=True)
    assert Meeting.objects.get(number=4).status == "draft"
    assert b"saved as a draft" in response.content


def test_create_sends_no_email(client, cochair, mailoutbox):
    client.force_login(cochair)
    client.post(reverse("meetings:create"), _meeting_data())
    assert not mailoutbox and not Message.objects.exists()


def test_create_with_a_past_date_records_the_meeting_held(client, cochair):
    client.force_login(cochair)
    response = client.post(reverse("meetings:create"), _meeting_data(
        number="1", start="2006-11-09T10:00", end="2006-11-09T12:00"), follow=True)
    assert Meeting.objects.get(number=1).status == "held"
    assert b"no invitations are sent" in response.content


def test_invitations_for_a_held_meeting_are_refused(client, cochair, member, mailoutbox):
    meeting = MeetingFactory(status="held", start=in_days(-20), end=in_days(-20, 12))
    client.force_login(cochair)
    response = client.post(reverse("meetings:invitations_send", args=[meeting.pk]), follow=True)
    assert b"Only a scheduled meeting" in response.content
    assert not Message.objects.exists() and not mailoutbox


def test_edit_after_invitations_offers_an_update(client, cochair, member):
    meeting = MeetingFactory(number=4)
    services.rsvps_send(meeting=meeting, by=cochair)
    client.force_login(cochair)
    data = _meeting_data(start=timezone.localtime(meeting.start).strftime("%Y-%m-%dT%H:%M"),
                         end=timezone.localtime(meeting.end).strftime("%Y-%m-%dT%H:%M"), venue="IOM, Westlands")
    response = client.post(reverse("meetings:edit", args=[meeting.pk]), data, follow=True)
    assert b"Send update" in response.content
    response = client.post(reverse("meetings:update_send", args=[meeting.pk]), follow=True)
    assert b"Update queued for 2 invitees" in response.content
    assert Meeting.objects.get(pk=meeting.pk).sequence == 1


def _agenda_meeting():
    return MeetingFactory(start=in_days(5), end=in_days(5) + datetime.timedelta(minutes=60))


def test_agenda_item_with_bad_input_is_refused(client, cochair):
    meeting = _agenda_meeting()
    client.force_login(cochair)
    bad = client.post(reverse("meetings:agenda_add", args=[meeting.pk]), {"title": "", "minutes": "-5"})
    assert bad.status_code == 400 and "This field is required" in str(bad.context["form"].errors)
    assert not meeting.agenda_items.exists()


def test_agenda_item_moved_up(client, cochair):
    meeting = _agenda_meeting()
    AgendaItemFactory(meeting=meeting, title="Anti-TIP bill", order=1)
    second = AgendaItemFactory(meeting=meeting, title="CST study", order=2)
    client.force_login(cochair)
    client.post(reverse("meetings:agenda_move", args=[meeting.pk, second.pk]), {"direction": "up"})
    assert list(meeting.agenda_items.values_list("title", flat=True)) == ["CST study", "Anti-TIP bill"]


def test_agenda_item_move_in_an_unknown_direction_changes_nothing(client, cochair):
    meeting = _agenda_meeting()
    AgendaItemFactory(meeting=meeting, title="Anti-TIP bill", order=1)
    second = AgendaItemFactory(meeting=meeting, title="CST study", order=2)
    client.force_login(cochair)
    client.post(reverse("meetings:agenda_move", args=[meeting.pk, second.pk]), {"direction": "sideways"})
    assert list(meeting.agenda_items.values_list("title", flat=True)) == ["Anti-TIP bill", "CST study"]


def test_agenda_longer_than_the_meeting_is_flagged(client, cochair):
    meeting = _agenda_meeting()
    client.force_login(cochair)
    client.post(reverse("meetings:agenda_add", args=[meeting.pk]), {"title": "Anti-TIP bill", "minutes": "40"})
    client.post(reverse("meetings:agenda_add", args=[meeting.pk]), {"title": "CST study", "minutes": "30"})
    page = client.get(reverse("meetings:detail", args=[meeting.pk]))
    assert b"70 of 60 minutes" in page.content and b"longer than the meeting" in page.content


def test_agenda_item_edited(client, cochair):
    item = AgendaItemFactory(meeting=_agenda_meeting(), title="CST study")
    client.force_login(cochair)
    client.post(reverse("meetings:agenda_edit", args=[item.meeting_id, item.pk]),
                {"title": "CST study (UNICEF)", "minutes": "10"})
    assert list(item.meeting.agenda_items.values_list("title", "minutes")) == [("CST study (UNICEF)", 10)]


def test_agenda_item_deleted(client, cochair):
    item = AgendaItemFactory(meeting=_agenda_meeting())
    client.force_login(cochair)
    client.post(reverse("meetings:agenda_delete", args=[item.meeting_id, item.pk]))
    assert not item.meeting.agenda_items.exists()


@pytest.fixture
def invited_meeting(cochair, member):
    meeting = MeetingFactory()
    services.rsvps_send(meeting=meeting, by=cochair)
    return meeting


def test_member_reply_is_recorded(client, member, invited_meeting):
    client.force_login(member)
    client.post(reverse("meetings:reply", args=[invited_meeting.pk]), {"response": "accepted"})
    assert invited_meeting.rsvps.get(email=member.email).response == "accepted"


def test_member_reply_that_is_no_reply_is_refused(client, member, invited_meeting):
    client.force_login(member)
    response = client.post(reverse("meetings:reply", args=[invited_meeting.pk]), {"response": "bogus"}, follow=True)
    assert b"Choose accept, tentative or decline" in response.content
    assert invited_meeting.rsvps.get(email=member.email).response == "none"


def test_member_sees_own_reply_but_not_the_others(client, member, invited_meeting):
    services.reply_set_for_user(meeting=invited_meeting, user=member, response="accepted")
    client.force_login(member)
    own = client.get(reverse("meetings:detail", args=[invited_meeting.pk]))
    assert own.context["invitation"].response == "accepted" and b"Replies" not in own.content


def test_cochair_sees_replies_by_organization(client, cochair, member, invited_meeting):
    services.reply_set_for_user(meeting=invited_meeting, user=member, response="accepted")
    client.force_login(cochair)
    replies = client.get(reverse("meetings:detail", args=[invited_meeting.pk])).context["replies"]
    assert (replies["totals"]["accepted"], replies["totals"]["none"]) == (1, 1)
    assert member.organization.name in dict(replies["groups"])


def test_cochair_sees_the_mailing_progress(client, cochair, invited_meeting):
    client.force_login(cochair)
    assert b"data-progress-url" in client.get(reverse("meetings:detail", args=[invited_meeting.pk])).content


@pytest.fixture
def past_meeting(member):
    meeting = MeetingFactory(start=in_days(-1), end=in_days(-1, 12))
    RsvpFactory(meeting=meeting, email=member.email, user=member, organization=member.organization, response="accepted")
    return meeting


def test_attendance_prefilled_with_those_who_accepted(client, cochair, member, past_meeting):
    client.force_login(cochair)
    page = client.get(reverse("meetings:attendance", args=[past_meeting.pk]))
    assert page.context["prefilled"]
    assert (page.context["chosen_orgs"], page.context["chosen_people"]) == ({member.organization_id}, {member.pk})


def test_attendance_with_an_unknown_organization_records_nothing(client, cochair, past_meeting):
    client.force_login(cochair)
    bad = client.post(reverse("meetings:attendance", args=[past_meeting.pk]), {"organizations": ["999999", "9" * 25]})
    assert bad.status_code == 200 and not past_meeting.attending_organizations.exists()


def test_attendance_people_bring_their_organization(client, cochair, member, past_meeting):
    client.force_login(cochair)
    client.post(reverse("meetings:attendance", args=[past_meeting.pk]),
                {"organizations": [cochair.organization_id], "people": [member.pk]})
    assert set(past_meeting.attending_organizations.all()) == {cochair.organization, member.organization}
    detail = client.get(reverse("meetings:detail", args=[past_meeting.pk]))
    assert b"2 organizations present" in detail.content


def _csv_rows(client, meeting):
    content = client.get(reverse("meetings:attendance_csv", args=[meeting.pk])).content.decode()
    return list(csv.reader(io.StringIO(content)))


def test_attendance_export_lists_organizations_by_name_with_their_people(client, cochair, member, past_meeting):
    services.attendance_record(meeting=past_meeting, organizations=[cochair.organization], people=[member])
    client.force_login(member)
    rows = _csv_rows(client, past_meeting)
    assert rows[0] == ["meeting", "date", "organization", "kind", "person", "title", "email"]
    # Sorted by organization name: the German Embassy (with its attendee), then UNICEF (nobody named).
    assert [(row[2], row[6]) for row in rows[1:]] == [(member.organization.name, member.email),
                                                      (cochair.organization.name, "")]


def test_attendance_export_neutralises_formulas_in_every_cell(client, cochair, member, past_meeting):
    org = OrganizationFactory(name="=HYPERLINK(\"http://evil.example\")")
    person = UserFactory(organization=org, full_name="+Dr Evil", title="@boss")
    services.attendance_record(meeting=past_meeting, organizations=[org], people=[person])
    client.force_login(member)
    row = _csv_rows(client, past_meeting)[1]
    assert (row[2], row[4], row[5]) == ("'=HYPERLINK(\"http://evil.example\")", "'+Dr Evil", "'@boss")


@pytest.fixture
def minutes_meeting(member):
    meeting = MeetingFactory(start=in_days(-1), end=in_days(-1, 12), status="held",
                             minutes_markdown="# Decisions\n\n<img src=x onerror=alert(1)>**Agreed**")
    RsvpFactory(meeting=meeting, email=member.email, user=member)
    return meeting


def test_minutes_saved_from_the_form(client, cochair):
    meeting = MeetingFactory(start=in_days(-1), end=in_days(-1, 12), status="held")
    client.force_login(cochair)
    client.post(reverse("meetings:minutes", args=[meeting.pk]), {"text": "**Agreed**"})
    assert Meeting.objects.get(pk=meeting.pk).minutes_markdown == "**Agreed**"


def test_unpublished_minutes_are_not_shown_to_members(client, member, minutes_meeting):
    client.force_login(member)
    assert b"Agreed" not in client.get(reverse("meetings:detail", args=[minutes_meeting.pk])).content


def test_publishing_minutes_mails_the_invitees(client, cochair, minutes_meeting, mailoutbox,
                                                django_capture_on_commit_callbacks):
    client.force_login(cochair)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("meetings:minutes_publish", args=[minutes_meeting.pk]), follow=True)
    assert b"being sent to 1 invitee" in response.content and len(mailoutbox) == 1


def test_published_minutes_are_shown_sanitized(client, cochair, member, minutes_meeting):
    services.minutes_publish(meeting=minutes_meeting, by=cochair)
    client.force_login(member)
    page = client.get(reverse("meetings:detail", args=[minutes_meeting.pk])).content.decode()
    assert "<strong>Agreed</strong>" in page and "onerror" not in page


def test_action_item_with_bad_input_is_refused(client, cochair):
    meeting = MeetingFactory()
    client.force_login(cochair)
    bad = client.post(reverse("meetings:action_add", args=[meeting.pk]),
                      {"description": "", "due_on": "31.02.2007", "status": "open"})
    assert bad.status_code == 400 and "Enter a valid date" in str(bad.context["form"].errors)
    assert not ActionItem.objects.exists()


def test_action_item_added_is_overdue_when_past_due(client, cochair, member):
    meeting = MeetingFactory()
    client.force_login(cochair)
    client.post(reverse("meetings:action_add", args=[meeting.pk]),
                {"description": "Write to the Commissioner of Police", "owner": member.organization_id,
                 "due_on": "2007-03-15", "status": "open"})
    assert ActionItem.objects.get().is_overdue


def test_overdue_action_item_on_the_dashboard(client, member):
    ActionItemFactory(description="Write to the Commissioner of Police", owner=member.organization,
                      due_on=datetime.date(2007, 3, 15))
    client.force_login(member)
    dashboard = client.get("/").content.decode()
    assert "Write to the Commissioner of Police" in dashboard and "overdue" in dashboard


def test_action_item_on_its_owners_organization_page(client, member):
    ActionItemFactory(description="Write to the Commissioner of Police", owner=member.organization)
    client.force_login(member)
    page = client.get(reverse("members:organization", args=[member.organization_id])).content.decode()
    assert "Write to the Commissioner of Police" in page


def test_action_item_marked_done(client, cochair, member):
    item = ActionItemFactory(owner=member.organization, due_on=datetime.date(2007, 3, 15))
    client.force_login(cochair)
    client.post(reverse("meetings:action_edit", args=[item.meeting_id, item.pk]),
                {"description": item.description, "owner": member.organization_id, "due_on": "2007-03-15",
                 "status": "done"})
    assert ActionItem.objects.get().status == "done"


def _poll_data(**slots):
    day = (timezone.localtime() + datetime.timedelta(days=25)).strftime("%Y-%m-%d")
    data = {"title": "Fourth meeting", "venue": "IOM", "slots-TOTAL_FORMS": "8", "slots-INITIAL_FORMS": "0",
            "slots-0-start": f"{day}T10:00", "slots-0-end": f"{day}T12:00"}
    data.update({key.replace("_", "-"): value.format(day=day) for key, value in slots.items()})
    return data


@pytest.mark.parametrize("slots, message", [
    ({}, "between 2 and 8"),
    ({"slots_1_start": "{day}T15:00", "slots_1_end": "{day}T14:00"}, "must come after"),
    ({"slots_1_start": "{day}T15:00"}, "both the start and the end"),
])
def test_date_poll_with_bad_slots_is_refused(client, cochair, slots, message):
    client.force_login(cochair)
    response = client.post(reverse("meetings:poll_create"), _poll_data(**slots))
    formset = response.context["slots"]
    assert message in str(formset.non_form_errors()) + str(formset.errors)
    assert not DatePoll.objects.exists()


def test_date_poll_notifies_every_member(client, cochair, member, mailoutbox, django_capture_on_commit_callbacks):
    client.force_login(cochair)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("meetings:poll_create"), dict(
            _poll_data(slots_1_start="{day}T15:00", slots_1_end="{day}T16:00"), notify="on"), follow=True)
    poll = DatePoll.objects.get()
    assert b"being emailed a link" in response.content and response.context["progress"]["total"] == 2
    assert sorted(m.to[0].split("<")[-1].rstrip(">") for m in mailoutbox) == [cochair.email, member.email]
    assert f"/meetings/polls/{poll.pk}/" in mailoutbox[0].body and "15:00" in mailoutbox[0].body


@pytest.fixture
def poll(db):
    start = in_days(25)
    return services.poll_create(by=None, title="Fourth meeting", slots=[
        (start, start + datetime.timedelta(hours=2)), (in_days(26), in_days(26, 12))])


def test_date_poll_answers_saved_and_unknown_fields_ignored(client, member, poll):
    first, second = poll.slots.all()
    client.force_login(member)
    client.post(reverse("meetings:poll", args=[poll.pk]),
                {f"slot-{first.pk}": "no", f"slot-{second.pk}": "yes", "slot-x": "yes", "slot-" + "9" * 25: "yes"})
    assert client.get(reverse("meetings:poll", args=[poll.pk])).context["mine"] == {first.pk: "no", second.pk: "yes"}


def test_date_poll_marks_the_best_slot(client, member, poll):
    first, second = poll.slots.all()
    services.poll_answer(poll=poll, user=member, answers={first.pk: "no", second.pk: "yes"})
    client.force_login(member)
    tally = client.get(reverse("meetings:poll", args=[poll.pk])).context["tally"]
    assert [row["best"] for row in tally] == [False, True]


def test_meeting_scheduled_from_a_poll_slot(client, cochair, poll):
    second = poll.slots.all()[1]
    client.force_login(cochair)
    response = client.post(reverse("meetings:poll_schedule", args=[poll.pk, second.pk]), follow=True)
    meeting = Meeting.objects.get()
    assert (meeting.status, meeting.start) == ("scheduled", second.start)
    assert b"scheduled from the poll" in response.content


def test_closed_poll_schedules_nothing_more(client, cochair, poll):
    first, second = poll.slots.all()
    services.poll_schedule(poll=poll, slot=second, by=cochair)
    client.force_login(cochair)
    again = client.post(reverse("meetings:poll_schedule", args=[poll.pk, first.pk]), follow=True)
    assert b"closed already" in again.content and Meeting.objects.count() == 1


def test_calendar_page_makes_no_address_when_read(client, member):
    client.force_login(member)
    page = client.get(reverse("meetings:calendar"))
    assert page.context["feed"] is None and b"Make my calendar address" in page.content
    assert not CalendarFeed.objects.exists()


def test_calendar_address_made_by_post_and_shown(client, member):
    client.force_login(member)
    client.post(reverse("meetings:calendar_rotate"))
    key = CalendarFeed.objects.get(user=member).key
    assert key in client.get(reverse("meetings:calendar")).content.decode()


def test_new_calendar_address_revokes_the_old_one(client, member):
    key = services.feed_create(user=member).key
    client.force_login(member)
    client.post(reverse("meetings:calendar_rotate"))
    assert CalendarFeed.objects.get(user=member).key != key
    assert client.get(reverse("meetings:feed", args=[key])).status_code == 404


def _many_meetings(count, invitees):
    orgs = [OrganizationFactory() for _ in range(10)]
    people = [UserFactory(organization=orgs[i % 10]) for i in range(20)]
    base = timezone.now() - datetime.timedelta(days=(count - 5) * 7 - 1)
    meetings = Meeting.objects.bulk_create([
        Meeting(number=n + 1, title=f"Meeting {n + 1}", start=base + datetime.timedelta(days=7 * n),
                end=base + datetime.timedelta(days=7 * n, hours=2), status="held" if n < count - 5 else "scheduled",
                calendar_uid=f"m{n}@test", host=orgs[n % 10], attendance_recorded_at=timezone.now())
        for n in range(count)
    ])
    for meeting in meetings[:30]:
        meeting.attending_organizations.set(orgs[:5])
    return meetings, orgs, people


def test_list_keeps_a_fixed_number_of_queries(client, member, django_assert_max_num_queries):
    meetings, orgs, people = _many_meetings(200, 300)
    from meetings.models import Rsvp
    Rsvp.objects.bulk_create([Rsvp(meeting=m, email=member.email, user=member, response="accepted")
                                    for m in meetings])
    client.force_login(member)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("meetings:list"))
    assert response.status_code == 200 and len(response.context["past"]) == 20
    assert response.content.decode().count(">Accepted</span>") == 5  # own reply on each upcoming meeting
    with django_assert_max_num_queries(10):
        client.get(reverse("meetings:list") + "?page=5")


def test_meeting_page_keeps_a_fixed_number_of_queries(client, cochair, django_assert_max_num_queries):
    meetings, orgs, people = _many_meetings(200, 300)
    meeting = meetings[-1]
    from meetings.models import Rsvp
    Rsvp.objects.bulk_create([
        Rsvp(meeting=meeting, email=f"invitee{i}@example.org", organization=orgs[i % 10],
                   response=["none", "accepted", "declined", "tentative"][i % 4]) for i in range(300)])
    for n in range(10):
        AgendaItemFactory(meeting=meeting, presenter=orgs[n])
        ActionItemFactory(meeting=meeting, owner=orgs[n])
    meeting.attendees.set(people)
    meeting.attending_organizations.set(orgs)
    # Briefings given at the meeting, linked to its agenda items, and documents shared
    # there: the briefings app's panel and the agenda's links must stay flat too.
    from tests.briefings.factories import BriefingFactory, DocumentFactory

    for n, item in enumerate(meeting.agenda_items.all()):
        briefing = BriefingFactory(meeting=meeting, agenda_item=item, presenter=orgs[n])
        briefing.documents.set([DocumentFactory(meeting=meeting, source=orgs[n])])
    services.rsvps_send(meeting=meeting, by=cochair)
    client.force_login(cochair)
    # 18 for the meeting itself, 5 for the briefings panel (briefings, their documents
    # and topics, the meeting's documents and their topics): a fixed cost, whatever the rows.
    with django_assert_max_num_queries(23):
        response = client.get(reverse("meetings:detail", args=[meeting.pk]))
    assert response.context["replies"]["count"] >= 300
    assert len(response.context["attendance"]) >= 5


def test_draft_scheduled_from_its_page(client, cochair, member):
    draft = MeetingFactory(status="draft")
    client.force_login(cochair)
    response = client.post(reverse("meetings:schedule", args=[draft.pk]), follow=True)
    assert b"Meeting scheduled" in response.content
    assert Meeting.objects.get(pk=draft.pk).status == "scheduled"
    again = client.post(reverse("meetings:schedule", args=[draft.pk]), follow=True)
    assert b"Only a draft can be scheduled" in again.content
    client.force_login(member)
    assert client.get(reverse("meetings:detail", args=[draft.pk])).status_code == 200


def test_action_items_page_keeps_a_fixed_number_of_queries(client, member, django_assert_max_num_queries):
    orgs = [OrganizationFactory() for _ in range(5)]
    meetings = [MeetingFactory() for _ in range(5)]
    for n in range(60):
        ActionItemFactory(meeting=meetings[n % 5], owner=orgs[n % 5],
                          due_on=datetime.date(2007, 1, 1) if n % 2 else None)
    ActionItemFactory(meeting=meetings[0], description="Finished work", status="done")
    client.force_login(member)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("meetings:actions"))
    assert len(response.context["page"]) == 50 and b"Overdue" in response.content
    assert b"Finished work" not in response.content
    assert b"Finished work" in client.get(reverse("meetings:actions") + "?status=done").content
    dashboard_panel = panels.action_items_panel(member, owner=orgs[0])
    assert dashboard_panel["more"] and len(dashboard_panel["items"]) == 10


def test_date_poll_page_keeps_a_fixed_number_of_queries(client, member, django_assert_max_num_queries):
    start = in_days(30)
    poll = services.poll_create(by=None, title="Fifth meeting", slots=[
        (start + datetime.timedelta(days=n), start + datetime.timedelta(days=n, hours=2)) for n in range(8)])
    people = [UserFactory(organization=member.organization) for _ in range(30)]
    slots = list(poll.slots.all())
    for person in people:
        services.poll_answer(poll=poll, user=person,
                             answers={slot.pk: ["yes", "maybe", "no"][slot.pk % 3] for slot in slots})
    client.force_login(member)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("meetings:poll", args=[poll.pk]))
    assert sum(len(row["people"]) for row in response.context["tally"]) == 8 * 30


def test_attendance_page_keeps_a_fixed_number_of_queries(client, cochair, django_assert_max_num_queries):
    meetings, orgs, people = _many_meetings(20, 0)
    meeting = meetings[0]
    meeting.attendees.set(people)
    RsvpFactory.create_batch(40, meeting=meeting, organization=orgs[0], response="accepted")
    client.force_login(cochair)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("meetings:attendance", args=[meeting.pk]))
    assert sum(len(group) for _, group in response.context["groups"]) >= 20


def test_calendar_feed_keeps_a_fixed_number_of_queries(client, member, django_assert_max_num_queries):
    meetings, orgs, people = _many_meetings(60, 0)
    for meeting in meetings[-10:]:
        for n in range(4):
            AgendaItemFactory(meeting=meeting, presenter=orgs[n])
    feed = services.feed_create(user=member)
    with django_assert_max_num_queries(4):
        response = client.get(reverse("meetings:feed", args=[feed.key]))
    assert response.content.decode().count("BEGIN:VEVENT") == 60
