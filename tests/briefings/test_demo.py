"""The demo briefings and their PDFs."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from briefings.demo import seed
from briefings.models import Briefing, Document
from meetings.models import Meeting


@pytest.fixture
def meeting(db):
    start = timezone.make_aware(datetime.datetime(2007, 1, 25, 10, 0))
    return Meeting.objects.create(number=2, title="Second meeting", start=start,
                                  end=start + datetime.timedelta(hours=2),
                                  status=Meeting.Status.SCHEDULED)


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
        "Child sex tourism on Kenya's coast and the ECPAT code follow-up":
            (3, "Study of child sex tourism on Kenya's coast"),
    }


def test_demo_briefings_stand_alone_without_the_meetings(db, password):
    from briefings.demo import seed as briefings_seed
    from members.demo import seed as members_seed

    members_seed(password=password)
    briefings_seed(password=password)
    assert not Briefing.objects.exclude(meeting=None).exists()
    assert Briefing.objects.get(title__startswith="Child sex tourism").given_on is not None


def test_demo_pdf_text_is_extractable():
    import io

    from pypdf import PdfReader

    from briefings.demo import DOCUMENTS, pdf_bytes

    reader = PdfReader(io.BytesIO(pdf_bytes("Title", DOCUMENTS[2][8])))
    assert "ECPAT industry code" in reader.pages[0].extract_text().replace("\n", " ")


def test_demo_documents_carry_their_own_dates_and_precede_their_briefings(db):
    call_command("seed_demo", "--password", "demo-pass-2007")
    for briefing in Briefing.objects.prefetch_related("documents").select_related("meeting"):
        for document in briefing.documents.all():
            assert document.publication_date < timezone.localtime(briefing.meeting.start).date(), document
    for document in Document.objects.all():
        assert timezone.localtime(document.created_at).year in (2006, 2007)
