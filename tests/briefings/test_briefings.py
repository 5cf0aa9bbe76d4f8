"""Briefings: writing them, Markdown made safe, agenda items, panels on meetings and organizations, the demo."""

import datetime

import pytest
from django.core.management import call_command
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from briefings import panels
from briefings.services import briefings as briefing_services
from briefings.demo import seed
from briefings.models import Briefing, Document
from meetings import hooks as meeting_hooks
from meetings.models import AgendaItem, Meeting
from members import hooks as member_hooks
from tests.briefings.factories import DocumentFactory
from tests.members.factories import OrganizationFactory


@pytest.fixture
def meeting(db):
    start = timezone.make_aware(datetime.datetime(2007, 1, 25, 10, 0))
    return Meeting.objects.create(number=2, title="Second meeting", start=start, end=start + datetime.timedelta(hours=2),
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


def test_organization_page_shows_its_documents_and_briefings(client, member):
    assert panels.organization_panel in member_hooks.organization_panels
    iom = OrganizationFactory(name="International Organization for Migration", acronym="IOM")
    DocumentFactory(title="Counter-trafficking bill note", source=iom)
    DocumentFactory(title="IOM restricted", source=iom, access_level="cochairs")
    briefing_services.briefing_create(by=member, title="Status of the anti-TIP bill", presenter=iom)
    client.force_login(member)
    page = client.get(reverse("members:organization", args=[iom.pk])).content.decode()
    assert "Counter-trafficking bill note" in page and "Status of the anti-TIP bill" in page
    assert "IOM restricted" not in page


def test_demo_adds_the_three_briefings_with_real_pdfs_once(db, password):
    call_command("seed_demo", "--password", password)
    titles = set(Briefing.objects.values_list("title", flat=True))
    assert {"The interim TIP report on Kenya", "Status of the anti-TIP bill and the national strategy and action plan",
            "Child sex tourism on Kenya's coast and the ECPAT code follow-up"} == titles
    for document in Document.objects.all():
        with document.file.open("rb") as handle:
            assert handle.read(5) == b"%PDF-"
        assert document.size > 300
    study = Document.objects.get(title__startswith="The extent and effect")
    assert set(study.topics.values_list("slug", flat=True)) >= {"child-sex-tourism", "child-protection"}
    assert study.source.acronym == "UNICEF"
    assert seed(password=password) == {"documents": 0, "briefings": 0}


def test_demo_attaches_briefings_to_the_meetings_and_agenda_items(db, password):
    call_command("seed_demo", "--password", password)
    given = {
        b.title: (b.meeting.number, b.agenda_item.title)
        for b in Briefing.objects.select_related("meeting", "agenda_item")
    }
    assert given == {
        "The interim TIP report on Kenya": (2, "Interim TIP report on Kenya"),
        "Status of the anti-TIP bill and the national strategy and action plan": (2, "Status of the anti-TIP bill"),
        "Child sex tourism on Kenya's coast and the ECPAT code follow-up": (3, "Study of child sex tourism on Kenya's coast"),
    }


def test_demo_briefings_stand_alone_without_the_meetings(db, password):
    from briefings.demo import seed as briefings_seed
    from members.demo import seed as members_seed

    members_seed(password=password)
    briefings_seed(password=password)
    assert not Briefing.objects.exclude(meeting=None).exists()
    assert Briefing.objects.get(title__startswith="Child sex tourism").given_on is not None


def test_agenda_item_links_to_its_briefing_on_the_meeting_page(client, member, meeting):
    Meeting.objects.filter(pk=meeting.pk).update(status="held")
    item = AgendaItem.objects.create(meeting=meeting, order=1, title="Interim TIP report")

    briefing = briefing_services.briefing_create(by=member, title="The interim TIP report on Kenya", meeting=meeting,
                                        agenda_item=item)
    client.force_login(member)
    page = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert f'href="{briefing.get_absolute_url()}"' in page


def test_demo_pdf_text_is_extractable():
    import io

    from pypdf import PdfReader

    from briefings.demo import DOCUMENTS, pdf_bytes

    reader = PdfReader(io.BytesIO(pdf_bytes("Title", DOCUMENTS[2][8])))
    assert "ECPAT industry code" in reader.pages[0].extract_text().replace("\n", " ")
