"""The meeting pages as people use them: cancelled meetings, the agenda without
reloading, replies with comments, action items done by their owners, reminders,
date polls, search, CSV exports and printing."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings import services
from meetings.models import ActionItem, DatePoll, Meeting, Rsvp
from tests.meetings.factories import ActionItemFactory, AgendaItemFactory, MeetingFactory, RsvpFactory, in_days
from tests.members.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def _csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


# Cancelled and past meetings ------------------------------------------------------


def test_cancelled_meeting_leaves_upcoming_and_the_filter_shows_it(client, member):
    kept = MeetingFactory(title="Kept meeting")
    gone = MeetingFactory(title="Called off meeting", status="cancelled", cancelled_at=timezone.now())
    client.force_login(member)
    page = client.get(reverse("meetings:list")).content.decode()
    assert kept.title in page and gone.title not in page
    page = client.get(reverse("meetings:list") + "?show=cancelled").content.decode()
    assert gone.title in page and kept.title not in page and "Cancelled meetings" in page


def test_cancelled_meeting_page_offers_nothing_but_the_record(client, member, cochair):
    meeting = MeetingFactory(title="Called off")
    AgendaItemFactory(meeting=meeting, title="Country updates")
    RsvpFactory(meeting=meeting, email=member.email, user=member, response="accepted")
    services.meeting_cancel(meeting=meeting, by=cochair)
    for person in (member, cochair):
        client.force_login(person)
        page = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
        assert "<strong>Cancelled</strong> on" in page and "Country updates" in page
        for offer in ("Add to calendar", "Write minutes", "Add a briefing", "Add an agenda item",
                      "Record attendance", "Your reply", ">Accepted</span>", "data-agenda-move",
                      "Add an action item", "Cancel meeting", "Organizations coming"):
            assert offer not in page, (person.role, offer)
    assert "Replies before the cancellation" in page  # the co-chair's view keeps the counts, muted


def test_attendance_page_opens_once_the_meeting_has_started(client, cochair):
    ahead = MeetingFactory()
    past = MeetingFactory(start=in_days(-3), end=in_days(-3, 12), status="held")
    client.force_login(cochair)
    response = client.get(reverse("meetings:attendance", args=[ahead.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("meetings:detail", args=[ahead.pk])
    response = client.post(reverse("meetings:attendance", args=[ahead.pk]),
                           {"organizations": [cochair.organization_id]})
    assert response.status_code == 302 and not ahead.attending_organizations.exists()
    assert "Record attendance" not in client.get(reverse("meetings:detail", args=[ahead.pk])).content.decode()
    assert client.get(reverse("meetings:attendance", args=[past.pk])).status_code == 200


def test_minutes_page_opens_once_the_meeting_has_started(client, cochair):
    ahead = MeetingFactory()
    client.force_login(cochair)
    assert client.get(reverse("meetings:minutes", args=[ahead.pk])).status_code == 302
    assert "Write minutes" not in client.get(reverse("meetings:detail", args=[ahead.pk])).content.decode()
    started = MeetingFactory(start=timezone.now() - datetime.timedelta(minutes=30),
                             end=timezone.now() + datetime.timedelta(minutes=90))
    assert client.get(reverse("meetings:minutes", args=[started.pk])).status_code == 200
    assert "Write minutes" in client.get(reverse("meetings:detail", args=[started.pk])).content.decode()


# The agenda -------------------------------------------------------------------------


def test_adding_an_item_returns_with_the_form_open_and_focused(client, cochair):
    meeting = MeetingFactory()
    AgendaItemFactory(meeting=meeting, minutes=30)
    client.force_login(cochair)
    response = client.post(reverse("meetings:agenda_add", args=[meeting.pk]),
                           {"title": "Second item", "minutes": "20"})
    assert response["Location"] == reverse("meetings:detail", args=[meeting.pk]) + "?adding=1"
    page = client.get(response["Location"]).content.decode()
    assert 'id="agenda-add" open' in page and "autofocus" in page and "50 of 120 minutes" in page


def test_move_answers_json_when_asked_and_redirects_otherwise(client, cochair):
    meeting = MeetingFactory()
    first, second = AgendaItemFactory(meeting=meeting, order=1), AgendaItemFactory(meeting=meeting, order=2)
    client.force_login(cochair)
    url = reverse("meetings:agenda_move", args=[meeting.pk, first.pk])
    response = client.post(url, {"direction": "down"}, HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert response.json() == {"order": [second.pk, first.pk], "minutes": 40}
    response = client.post(url, {"direction": "sideways"}, HTTP_ACCEPT="application/json")
    assert response.status_code == 400
    response = client.post(url, {"direction": "up"})
    assert response.status_code == 302 and response["Location"].endswith("#agenda")
    assert list(meeting.agenda_items.values_list("pk", flat=True)) == [first.pk, second.pk]


def test_meeting_page_loads_the_agenda_script_and_print_stylesheet(client, cochair):
    meeting = MeetingFactory()
    AgendaItemFactory(meeting=meeting)
    client.force_login(cochair)
    page = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert "js/agenda.js" in page and 'media="print"' in page and "data-print" in page
    assert "<script>" not in page.split("</nav>", 1)[1]  # no inline script on the page (CSP)


# Replies --------------------------------------------------------------------------------


def test_member_replies_with_a_comment_and_sees_who_is_coming(client, member, cochair):
    meeting = MeetingFactory()
    sweden = OrganizationFactory(name="Embassy of Sweden", acronym="")
    RsvpFactory(meeting=meeting, email="a@sweden.example", organization=sweden, response="accepted")
    client.force_login(member)
    client.post(reverse("meetings:reply", args=[meeting.pk]),
                {"response": "declined", "comment": "On leave", "substitute": "Jonas Weber"})
    rsvp = Rsvp.objects.get(meeting=meeting, email=member.email)
    assert (rsvp.response, rsvp.comment, rsvp.substitute) == ("declined", "On leave", "Jonas Weber")
    page = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert "Organizations coming" in page and "Embassy of Sweden" in page
    client.force_login(cochair)
    page = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert "Substitute: Jonas Weber" in page and "On leave" in page


def test_replies_csv_for_coordinators(client, cochair, member):
    meeting = MeetingFactory(number=9)
    RsvpFactory(meeting=meeting, email="x@example.org", name="=HYPERLINK(1)", response="tentative",
                comment="Maybe late")
    client.force_login(cochair)
    response = client.get(reverse("meetings:replies_csv", args=[meeting.pk]))
    rows = _csv(response)
    assert response["Content-Disposition"].endswith('meeting-9-replies.csv"')
    assert rows[0][:4] == ["organization", "name", "email", "reply"]
    assert rows[1][1].startswith("'=") and rows[1][3] == "Tentative" and rows[1][6] == "Maybe late"


def test_coordinator_reminds_from_the_meeting_page(client, cochair, member, mailoutbox,
                                                   django_capture_on_commit_callbacks):
    meeting = MeetingFactory()
    services.rsvps_send(meeting=meeting, by=cochair)
    mailoutbox.clear()
    client.force_login(cochair)
    assert "Remind" in client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("meetings:remind", args=[meeting.pk]), {"to": "none"}, follow=True)
    assert "Reminder queued for" in response.content.decode() and mailoutbox
    response = client.post(reverse("meetings:remind", args=[meeting.pk]), {"to": "everyone"}, follow=True)
    assert "Choose whom to remind" in response.content.decode()


# Action items ----------------------------------------------------------------------------


def test_owner_member_marks_own_action_item_done_but_not_another(client, member):
    meeting = MeetingFactory()
    own = ActionItemFactory(meeting=meeting, owner=member.organization, description="Send the report")
    other = ActionItemFactory(meeting=meeting, owner=OrganizationFactory(), description="Other work")
    client.force_login(member)
    page = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert "Mark “Send the report” done" in page and "Mark “Other work” done" not in page
    response = client.post(reverse("meetings:action_done", args=[meeting.pk, own.pk]),
                           {"next": reverse("meetings:actions")})
    assert response.status_code == 302 and response["Location"] == reverse("meetings:actions")
    assert ActionItem.objects.get(pk=own.pk).status == "done"
    assert client.post(reverse("meetings:action_done", args=[meeting.pk, other.pk])).status_code == 403
    assert ActionItem.objects.get(pk=other.pk).status == "open"
    response = client.post(reverse("meetings:action_done", args=[meeting.pk, own.pk]),
                           {"next": "https://elsewhere.example/"})
    assert response["Location"].startswith(reverse("meetings:detail", args=[meeting.pk]))


def test_action_items_csv_lists_what_the_person_may_see(client, member):
    meeting = MeetingFactory(number=4)
    ActionItemFactory(meeting=meeting, description="Visible work")
    ActionItemFactory(meeting=MeetingFactory(status="draft"), description="Draft work")
    client.force_login(member)
    rows = _csv(client.get(reverse("meetings:actions_csv")))
    assert rows[0] == ["meeting", "meeting date", "action", "owner", "due", "status"]
    assert [row[2] for row in rows[1:]] == ["Visible work"]
    rows = _csv(client.get(reverse("meetings:actions_csv") + "?meeting=99999999999999999999999"))
    assert len(rows) == 2  # an id no key can hold is ignored, never a 500


# Date polls --------------------------------------------------------------------------------


def _poll(**kwargs):
    start = in_days(20)
    return services.poll_create(by=None, title="Fifth meeting", slots=[
        (start, start + datetime.timedelta(hours=2)),
        (start + datetime.timedelta(days=1), start + datetime.timedelta(days=1, hours=2))], **kwargs)


def test_poll_page_after_the_deadline_stops_taking_answers(client, member):
    poll = _poll(deadline=timezone.localdate() - datetime.timedelta(days=1))
    client.force_login(member)
    page = client.get(reverse("meetings:poll", args=[poll.pk])).content.decode()
    assert "has passed" in page and "Save my answers" not in page


def test_coordinator_closes_a_poll_without_scheduling(client, cochair):
    poll = _poll()
    client.force_login(cochair)
    response = client.post(reverse("meetings:poll_close", args=[poll.pk]), follow=True)
    assert "Closed without scheduling" in response.content.decode()
    assert DatePoll.objects.get(pk=poll.pk).status == "closed" and not Meeting.objects.exists()


def test_poll_form_takes_a_deadline(client, cochair):
    start = in_days(20)
    fmt = "%Y-%m-%dT%H:%M"
    data = {"title": "Sixth meeting", "deadline": (timezone.localdate() + datetime.timedelta(days=5)).isoformat(),
            "slots-TOTAL_FORMS": "8", "slots-INITIAL_FORMS": "0"}
    for n in range(2):
        data[f"slots-{n}-start"] = (start + datetime.timedelta(days=n)).strftime(fmt)
        data[f"slots-{n}-end"] = (start + datetime.timedelta(days=n, hours=2)).strftime(fmt)
    client.force_login(cochair)
    assert client.post(reverse("meetings:poll_create"), data).status_code == 302
    assert DatePoll.objects.get().deadline == timezone.localdate() + datetime.timedelta(days=5)
    data["deadline"] = "12345-01-01"
    assert client.post(reverse("meetings:poll_create"), data).status_code == 200


# Search -----------------------------------------------------------------------------------


def test_list_searches_titles_agendas_and_minutes(client, member):
    by_title = MeetingFactory(title="Counter-trafficking bill", start=in_days(-30), end=in_days(-30, 12),
                              status="held")
    by_agenda = MeetingFactory(title="Regular meeting A")
    AgendaItemFactory(meeting=by_agenda, title="Bill drafting update")
    by_minutes = MeetingFactory(title="Regular meeting B", start=in_days(-60), end=in_days(-60, 12), status="held",
                                minutes_markdown="The BILL was discussed.", minutes_published_at=timezone.now())
    other = MeetingFactory(title="Regular meeting C")
    client.force_login(member)
    response = client.get(reverse("meetings:list") + "?q=bill")
    found = {m.pk for m in response.context["upcoming"]} | {m.pk for m in response.context["past"]}
    assert found == {by_title.pk, by_agenda.pk, by_minutes.pk} and other.pk not in found


def test_search_list_keeps_a_fixed_number_of_queries(client, member, django_assert_max_num_queries):
    for n in range(40):
        meeting = MeetingFactory(title=f"Meeting about shelters {n}", start=in_days(-n - 1),
                                 end=in_days(-n - 1, 12), status="cancelled" if n % 5 == 0 else "held")
        AgendaItemFactory(meeting=meeting, title="Shelters")
    client.force_login(member)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("meetings:list") + "?q=shelters")
    assert len(response.context["past"]) == 20
    with django_assert_max_num_queries(10):
        response = client.get(reverse("meetings:list") + "?q=shelters&show=cancelled")
    assert len(response.context["past"]) == 8


def test_reply_link_keeps_the_comment_and_saves_a_new_one(client):
    from meetings import tokens

    rsvp = RsvpFactory(meeting=MeetingFactory(), response="declined", comment="Travelling", substitute="")
    url = reverse("meetings:reply_link", args=[rsvp.meeting_id, tokens.reply_token(rsvp)])
    client.post(url, {"response": "declined"})  # the email's one-click reply keeps the comment
    rsvp.refresh_from_db()
    assert rsvp.comment == "Travelling"
    page = client.get(url).content.decode()
    assert 'value="Travelling"' in page and "Save comment" in page
    client.post(url, {"response": "declined", "comment": "Back on the 20th", "substitute": "Peter Otieno"})
    rsvp.refresh_from_db()
    assert (rsvp.comment, rsvp.substitute) == ("Back on the 20th", "Peter Otieno")
