"""What meetings add to other pages: the dashboard, organization pages, invitees' facts;
and what other apps add to the meeting page through meetings.hooks."""

import datetime

import pytest
from django.urls import reverse

from meetings import hooks, services
from meetings import panels as meeting_panels
from members import hooks as member_hooks
from tests.meetings.factories import (
    ActionItemFactory,
    MeetingFactory,
    RsvpFactory,
    in_days,
)

pytestmark = pytest.mark.django_db


def test_dashboard_shows_next_meeting_with_own_reply(client, member):
    meeting = MeetingFactory(title="Anti-TIP projects", start=in_days(6), end=in_days(6, 12))
    MeetingFactory(title="Later meeting", start=in_days(40), end=in_days(40, 12))
    RsvpFactory(meeting=meeting, email=member.email, user=member, response="tentative")
    panels = meeting_panels.dashboard_panels(member)
    assert [p["template"] for p in panels] == ["meetings/panels/next_meeting.html"]
    assert panels[0]["meeting"] == meeting and panels[0]["invitation"].response == "tentative"
    client.force_login(member)
    page = client.get("/").content.decode()
    assert "Anti-TIP projects" in page and "Tentative" in page


def test_member_panels_show_own_organizations_overdue_actions_only(client, member):
    ActionItemFactory(description="Circulate the CST study", owner=member.organization,
                      due_on=datetime.date(2007, 3, 8))
    ActionItemFactory(description="Someone else's work", due_on=datetime.date(2007, 3, 8))
    ActionItemFactory(description="Already done", owner=member.organization, status="done")
    panels = {p["template"]: p for p in meeting_panels.member_panels(member)}
    items = panels["wgportal/panels/action_items.html"]
    assert [i.description for i in items["items"]] == ["Circulate the CST study"] and items["overdue"] == 1
    client.force_login(member)
    page = client.get("/").content.decode()
    assert "Circulate the CST study" in page and "1 overdue" in page and "Someone else" not in page


def test_dashboard_shows_nothing_without_meetings(member):
    assert meeting_panels.dashboard_panels(member) == []
    assert [p["template"] for p in meeting_panels.member_panels(member)] == ["wgportal/panels/calendar_feed.html"]


def test_group_fact_names_the_next_meeting(db):
    fact = next(f for f in member_hooks.group_facts if f.__module__ == "meetings.panels")
    assert fact() == []
    meeting = MeetingFactory(venue="UNICEF, Gigiri", start=in_days(10), end=in_days(10, 12))
    MeetingFactory(status="draft", start=in_days(3), end=in_days(3, 12))
    [(label, value)] = fact()
    assert label == "Next meeting"
    assert value.endswith(", UNICEF, Gigiri") and str(meeting.start.astimezone().year) in value


def test_organization_page_lists_open_action_items_and_meetings(client, member):
    org = member.organization
    hosted = MeetingFactory(host=org, status="held", start=in_days(-9), end=in_days(-9, 12))
    services.attendance_record(meeting=hosted, organizations=[org], people=[])
    ActionItemFactory(owner=org, description="Fund the Mombasa seminar follow-up", due_on=datetime.date(2007, 1, 1))
    ActionItemFactory(owner=org, description="Closed already", status="done")
    client.force_login(member)
    page = client.get(reverse("members:organization", args=[org.pk])).content.decode()
    assert "Fund the Mombasa seminar follow-up" in page and "(overdue)" in page
    assert "Closed already" not in page
    assert f"No. {hosted.number}" in page and "Attended 1 meeting" in page


def test_meeting_page_includes_panels_registered_by_other_apps(client, member, settings, tmp_path):
    template_dir = tmp_path / "templates"
    (template_dir / "test").mkdir(parents=True)
    (template_dir / "test" / "panel.html").write_text("<p>Briefings of meeting {{ panel.number }}</p>")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [template_dir, *settings.TEMPLATES[0]["DIRS"]]}]
    meeting = MeetingFactory()

    def panel(request, shown):
        return ("test/panel.html", {"number": shown.number}) if shown.pk == meeting.pk else None

    hooks.meeting_panels.append(panel)
    try:
        client.force_login(member)
        page = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
        assert f"Briefings of meeting {meeting.number}" in page
        other = MeetingFactory()
        assert "Briefings of meeting" not in client.get(reverse("meetings:detail", args=[other.pk])).content.decode()
    finally:
        hooks.meeting_panels.remove(panel)


def test_attendance_chart_on_meetings_page(client, member):
    meeting = MeetingFactory(status="held", start=in_days(-9), end=in_days(-9, 12))
    services.attendance_record(meeting=meeting, organizations=[member.organization], people=[])
    client.force_login(member)
    page = client.get(reverse("meetings:list"))
    assert page.context["chart"]["data"]["datasets"][0]["data"] == [1]
    assert b'data-chart="attendance-chart"' in page.content and b"chart.umd.min.js" in page.content


def test_the_cached_attendance_chart_shows_new_attendance_at_once(client, member, cochair):
    meeting = MeetingFactory(status="held", start=in_days(-9), end=in_days(-9, 12))
    services.attendance_record(meeting=meeting, organizations=[member.organization], people=[])
    client.force_login(member)
    assert client.get(reverse("meetings:list")).context["chart"]["data"]["datasets"][0]["data"] == [1]
    services.attendance_record(meeting=meeting, organizations=[member.organization, cochair.organization], people=[])
    assert client.get(reverse("meetings:list")).context["chart"]["data"]["datasets"][0]["data"] == [2]
    later = MeetingFactory(status="held", start=in_days(-2), end=in_days(-2, 12))
    services.attendance_record(meeting=later, organizations=[cochair.organization], people=[])
    assert client.get(reverse("meetings:list")).context["chart"]["data"]["datasets"][0]["data"] == [2, 1]
