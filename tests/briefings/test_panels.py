"""What the briefings app adds to the meeting and organization pages and to the dashboard."""

import datetime

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from briefings import panels
from briefings.services import briefings as briefing_services
from briefings.services import circulations as circulation_services
from meetings import hooks as meeting_hooks
from meetings.models import AgendaItem, Meeting
from members import hooks as member_hooks
from tests.briefings.factories import DocumentFactory
from tests.members.factories import OrganizationFactory, UserFactory


@pytest.fixture
def meeting(db):
    start = timezone.make_aware(datetime.datetime(2007, 1, 25, 10, 0))
    return Meeting.objects.create(number=2, title="Second meeting", start=start,
                                  end=start + datetime.timedelta(hours=2),
                                  status=Meeting.Status.SCHEDULED)


@pytest.fixture
def group(member, cochair, secretariat, outsider, former_member):
    sweden = OrganizationFactory(name="Save the Children Sweden", kind="ngo")
    UserFactory(email="member@sweden.example", organization=sweden, full_name="Ingrid Larsson")
    UserFactory(email="inactive@sweden.example", organization=sweden, is_active=False)
    return {"sweden": sweden}


def test_meeting_panel_lists_its_briefings_and_documents_the_user_may_see(member, cochair, meeting):
    assert panels.meeting_panel in meeting_hooks.meeting_panels
    assert meeting_hooks.meeting_panels.count(panels.meeting_panel) == 1
    shared = DocumentFactory(title="Shared at the meeting", meeting=meeting)
    DocumentFactory(title="Co-chairs notes", meeting=meeting, access_level="cochairs")
    briefing_services.briefing_create(by=member, title="IOM on the bill", meeting=meeting, documents=[shared])
    request = RequestFactory().get("/")
    request.user = member
    template, context = panels.meeting_panel(request, meeting)
    assert template == "briefings/panels/meeting.html"
    assert [b.title for b in context["briefings"]] == ["IOM on the bill"]
    assert [d.title for d in context["documents"]] == ["Shared at the meeting"]
    request.user = cochair
    _, context = panels.meeting_panel(request, meeting)
    assert len(context["documents"]) == 2


def test_organization_page_shows_its_documents_and_briefings(client, member, cochair):
    assert panels.organization_panel in member_hooks.organization_panels
    iom = OrganizationFactory(name="International Organization for Migration", acronym="IOM")
    DocumentFactory(title="Counter-trafficking bill note", source=iom)
    DocumentFactory(title="IOM restricted", source=iom, access_level="cochairs")
    # A coordinator records another organization's briefing (a member presents only their own).
    briefing_services.briefing_create(by=cochair, title="Status of the anti-TIP bill", presenter=iom)
    client.force_login(member)
    page = client.get(reverse("members:organization", args=[iom.pk])).content.decode()
    assert "Counter-trafficking bill note" in page and "Status of the anti-TIP bill" in page
    assert "IOM restricted" not in page


def test_agenda_item_links_to_its_briefing_on_the_meeting_page(client, member, meeting):
    Meeting.objects.filter(pk=meeting.pk).update(status="held")
    item = AgendaItem.objects.create(meeting=meeting, order=1, title="Interim TIP report")

    briefing = briefing_services.briefing_create(by=member, title="The interim TIP report on Kenya", meeting=meeting,
                                        agenda_item=item)
    client.force_login(member)
    page = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert f'href="{briefing.get_absolute_url()}"' in page


def test_members_see_circulations_to_them_on_the_dashboard(client, cochair, member, group):
    document = DocumentFactory(title="Circulated article")
    circulation_services.circulation_create(by=cochair, documents=[document], subject="Weekly reading")
    client.force_login(member)
    page = client.get(reverse("dashboard")).content.decode()
    assert "Circulated to you" in page and "Weekly reading" in page and "Latest documents" in page
