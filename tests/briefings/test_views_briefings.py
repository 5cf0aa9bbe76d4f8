"""The briefing pages: adding and editing a briefing through its form."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from briefings.models import Briefing
from briefings.services import briefings as briefing_services
from meetings.models import AgendaItem, Meeting
from tests.briefings.factories import DocumentFactory


@pytest.fixture
def meeting(db):
    start = timezone.make_aware(datetime.datetime(2007, 1, 25, 10, 0))
    return Meeting.objects.create(number=2, title="Second meeting", start=start,
                                  end=start + datetime.timedelta(hours=2),
                                  status=Meeting.Status.SCHEDULED)


def test_member_adds_a_briefing_with_sanitized_markdown(client, member, meeting):
    item = AgendaItem.objects.create(meeting=meeting, order=1, title="Interim TIP report")
    document = DocumentFactory(title="Interim report")
    client.force_login(member)
    response = client.post(reverse("briefings:briefing_create"), {
        "title": "The interim TIP report", "presenter": member.organization_id, "meeting": meeting.pk,
        "agenda_item": item.pk, "summary": "**Police** follow-up <script>alert(1)</script> [x](javascript:alert(2))",
        "documents": [document.pk],
    })
    briefing = Briefing.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("briefings:briefing", args=[briefing.pk])
    assert briefing.given_on == datetime.date(2007, 1, 25)
    assert item.briefing == briefing
    assert "<strong>Police</strong>" in briefing.summary_html
    assert "<script" not in briefing.summary_html and "javascript:" not in briefing.summary_html
    page = client.get(response["Location"]).content.decode()
    assert "<strong>Police</strong>" in page and "Interim report" in page and "Agenda item: Interim TIP report" in page


def test_agenda_item_links_to_one_briefing_of_its_own_meeting(client, member, meeting):
    item = AgendaItem.objects.create(meeting=meeting, order=1, title="Bill")
    other_start = meeting.start + datetime.timedelta(days=30)
    other = Meeting.objects.create(number=3, title="Third", start=other_start, end=other_start,
                                   status=Meeting.Status.SCHEDULED)
    briefing_services.briefing_create(by=member, title="First", meeting=meeting, agenda_item=item)
    client.force_login(member)
    response = client.post(reverse("briefings:briefing_create"), {"title": "Second", "meeting": meeting.pk,
                                                                  "agenda_item": item.pk})
    assert "already has a briefing" in response.content.decode()
    response = client.post(reverse("briefings:briefing_create"), {"title": "Third", "meeting": other.pk,
                                                                  "agenda_item": item.pk})
    assert "must belong to the chosen meeting" in response.content.decode()
    assert Briefing.objects.count() == 1


def test_editing_keeps_documents_the_editor_cannot_see(client, member, cochair):
    public, restricted = DocumentFactory(), DocumentFactory(access_level="cochairs")
    briefing = briefing_services.briefing_create(by=member, title="Mixed", documents=[public, restricted])
    client.force_login(member)
    response = client.post(reverse("briefings:briefing_edit", args=[briefing.pk]),
                           {"title": "Renamed", "documents": [public.pk]})
    assert response.status_code == 302
    briefing.refresh_from_db()
    assert briefing.title == "Renamed" and set(briefing.documents.all()) == {public, restricted}


def test_a_briefing_at_a_draft_meeting_does_not_show_the_draft_to_a_member(client, member, cochair):
    from tests.briefings.factories import DocumentFactory
    from tests.meetings.factories import AgendaItemFactory, MeetingFactory

    draft = MeetingFactory(title="Unannounced extraordinary meeting", status=Meeting.Status.DRAFT)
    item = AgendaItemFactory(meeting=draft, title="Confidential agenda item")
    document = DocumentFactory(meeting=draft)
    briefing = briefing_services.briefing_create(by=cochair, title="Prepared early", meeting=draft, agenda_item=item)
    pages = [reverse("briefings:briefing", args=[briefing.pk]), reverse("briefings:list"),
             reverse("briefings:document", args=[document.pk])]
    client.force_login(member)
    for url in pages:
        page = client.get(url).content.decode()
        assert "Unannounced extraordinary meeting" not in page and "Confidential agenda item" not in page, url
    client.force_login(cochair)
    page = client.get(pages[0]).content.decode()
    assert "Unannounced extraordinary meeting" in page and "Confidential agenda item" in page
