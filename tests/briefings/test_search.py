"""Text extraction and search: full-text on PostgreSQL, a simpler fallback elsewhere."""

import pytest
from django.db import connection
from django.urls import reverse

from briefings import tasks
from briefings.selectors import search as search_selectors
from briefings.services import briefings as briefing_services
from briefings.services import documents as document_services
from briefings.services import indexing
from briefings.models import Document, Topic
from tests.briefings.factories import BriefingFactory, make_docx, make_odt, make_pdf, upload

SENTENCE = "Fishermen near Kilifi reported that recruiters promised housework in Oman."
FILLER = " ".join(["The working group reviewed budgets, travel and the calendar of meetings."] * 60)



@pytest.fixture
def on_postgres(db):
    if connection.vendor != "postgresql":
        pytest.skip("full-text search needs PostgreSQL: set DATABASE_URL=postgres://...")


def add(by, title, text="", *, description="", access_level="members", name="doc.pdf", topics=(), capture=None):
    document = document_services.document_upload(
        upload=upload(name, make_pdf(text or title, title="")), by=by, title=title, kind="report",
        description=description, access_level=access_level, topics=topics,
    )
    indexing.document_text_extract(document_id=document.pk)
    document.refresh_from_db()
    return document


# --- Extraction --------------------------------------------------------------------


def test_extraction_runs_on_commit_after_upload(member, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        document = document_services.document_upload(upload=upload("a.pdf", make_pdf(SENTENCE)), by=member,
                                             title="Report", kind="report")
        assert Document.objects.get(pk=document.pk).text_status == "pending"
        assert Document.objects.get(pk=document.pk).text == ""
    assert callbacks
    document.refresh_from_db()
    assert document.text_status == "indexed" and "recruiters promised housework" in document.text


@pytest.mark.parametrize("name,content", [
    ("a.docx", make_docx(SENTENCE)), ("a.odt", make_odt(SENTENCE)), ("a.txt", SENTENCE.encode()),
])
def test_word_opendocument_and_text_are_extracted(member, name, content):
    document = document_services.document_upload(upload=upload(name, content), by=member, title="x", kind="report")
    assert indexing.document_text_extract(document_id=document.pk) == "indexed"
    document.refresh_from_db()
    assert "recruiters promised housework" in document.text


def test_unreadable_file_says_so_and_stays_findable_by_metadata(client, member):
    # Passes the type check (it starts like a PDF) but has no readable structure: the reader gives up.
    broken = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> garbage garbage\n%%EOF"
    document = document_services.document_upload(upload=upload("broken.pdf", broken), by=member,
                                                 title="Mombasa seminar notes", kind="report")
    assert indexing.document_text_extract(document_id=document.pk) == "unreadable"
    client.force_login(member)
    page = client.get(reverse("briefings:document", args=[document.pk])).content.decode()
    assert "Not readable" in page and "could not be read (PdfReadError)" in page
    results = search_selectors.search(member, "Mombasa")
    assert document in list(results.documents)


def test_document_page_says_indexing_until_the_text_is_read(client, member):
    document = document_services.document_upload(upload=upload("a.pdf", make_pdf(SENTENCE)), by=member, title="x", kind="report")
    client.force_login(member)
    assert "Indexing" in client.get(reverse("briefings:document", args=[document.pk])).content.decode()
    indexing.document_text_extract(document_id=document.pk)
    page = client.get(reverse("briefings:document", args=[document.pk])).content.decode()
    assert "Indexing" not in page and "Indexed" in page


def test_images_are_not_text_formats(member):
    from tests.briefings.factories import PNG

    document = document_services.document_upload(upload=upload("a.png", PNG), by=member, title="Chart", kind="presentation")
    assert document.text_status == "none"


def test_a_stale_extraction_for_a_replaced_file_is_dropped(member):
    document = document_services.document_upload(upload=upload("a.pdf", make_pdf("old words")), by=member, title="x", kind="report")
    old_name = document.file.name
    document_services.document_replace_file(document=document, upload=upload("b.pdf", make_pdf("new words")), by=member)
    # An extraction that read the old file must not overwrite the new one's status.
    assert Document.objects.filter(pk=document.pk, file=old_name).update(text="stale") == 0
    indexing.document_text_extract(document_id=document.pk)
    document.refresh_from_db()
    assert "new words" in document.text


# --- Search on PostgreSQL ---------------------------------------------------------------


def test_a_word_inside_the_pdf_finds_it_with_a_snippet(client, member, on_postgres):
    document = add(member, "Quarterly note", text=FILLER + " " + SENTENCE + " " + FILLER)
    add(member, "Unrelated budget", text=FILLER)
    client.force_login(member)
    response = client.get(reverse("briefings:search"), {"q": "recruiters"})
    results = response.context["page"].object_list
    assert [d.pk for d in results] == [document.pk]
    assert "<mark>recruiters</mark>" in str(results[0].snippet_html)
    assert "<mark>recruiters</mark>" in response.content.decode()


def test_title_match_ranks_above_a_match_deep_in_the_text(member, on_postgres):
    deep = add(member, "Annual overview", text=FILLER + " Mombasa " + FILLER)
    titled = add(member, "The Mombasa seminar", text=FILLER)
    ranked = list(search_selectors.search(member, "Mombasa").documents)
    assert [d.pk for d in ranked] == [titled.pk, deep.pk]


def test_cochairs_only_document_never_appears_in_a_members_results(member, cochair, on_postgres):
    secret = add(cochair, "Police follow-up of Mombasa cases", access_level="cochairs")
    public = add(cochair, "Mombasa awareness campaign")
    assert [d.pk for d in search_selectors.search(member, "Mombasa").documents] == [public.pk]
    assert {d.pk for d in search_selectors.search(cochair, "Mombasa").documents} == {secret.pk, public.pk}


def test_topics_and_briefing_summaries_are_searched(member, on_postgres):
    topic = Topic.objects.get(slug="child-sex-tourism")
    tagged = add(member, "Coastal study", topics=[topic])
    presented = add(member, "Slides")
    briefing_services.briefing_create(by=member, title="UNICEF briefing", summary="The ECPAT code of conduct follow-up",
                             documents=[presented])
    assert [d.pk for d in search_selectors.search(member, "child sex tourism").documents] == [tagged.pk]
    assert [d.pk for d in search_selectors.search(member, "ECPAT").documents] == [presented.pk]


def test_editing_metadata_refreshes_the_vector(member, on_postgres):
    document = add(member, "Plain title")
    assert not list(search_selectors.search(member, "Malindi").documents)
    document_services.document_update(document=document, by=member, title="Malindi report")
    assert list(search_selectors.search(member, "Malindi").documents) == [document]


def test_snippet_escapes_html_from_the_file(member, on_postgres):
    add(member, "x", text="<script>alert(1)</script> <img src=x onerror=alert(2)> trafficking routes")
    results = search_selectors.search(member, "trafficking")
    [document] = search_selectors.with_snippets(results, list(results.documents))
    html = str(document.snippet_html)
    assert "<mark>trafficking</mark>" in html
    assert "<" not in html.replace("<mark>", "").replace("</mark>", "")



# --- The fallback (SQLite; tested on any database) ---------------------------------------


def test_fallback_finds_words_in_titles_and_text_and_respects_access(member, cochair):
    in_text = add(member, "Quarterly note", text=SENTENCE)
    in_title = add(member, "Recruiters on the coast")
    add(cochair, "Recruiters restricted", access_level="cochairs")
    results = search_selectors.search_fallback(member, "recruiters")
    assert [d.pk for d in results.documents] == [in_title.pk, in_text.pk]
    documents = search_selectors.with_snippets(results, list(results.documents))
    assert "<mark>recruiters</mark>" in str(documents[1].snippet_html).lower()


def test_fallback_requires_every_word(member):
    both = add(member, "Kilifi recruiters")
    add(member, "Kilifi only")
    assert [d.pk for d in search_selectors.search_fallback(member, "kilifi recruiters").documents] == [both.pk]


def test_briefings_appear_in_search(client, member):
    BriefingFactory(title="Status of the anti-TIP bill", summary="Which agencies do what")
    client.force_login(member)
    response = client.get(reverse("briefings:search"), {"q": "agencies"})
    assert "Status of the anti-TIP bill" in response.content.decode()


def test_empty_query_shows_suggestions(client, member):
    client.force_login(member)
    response = client.get(reverse("briefings:search"), {"q": "  "})
    assert "child sex tourism" in response.content.decode()


def test_indexing_sweep_picks_up_documents_whose_extraction_was_never_run(member):
    import datetime

    from django.utils import timezone

    document = document_services.document_upload(upload=upload("a.pdf", make_pdf(SENTENCE)), by=member, title="x", kind="report")
    assert tasks.documents_indexing_sweep() == 0  # too recent: its task may still be on its way
    Document.objects.filter(pk=document.pk).update(updated_at=timezone.now() - datetime.timedelta(hours=1))
    assert tasks.documents_indexing_sweep() == 1
    document.refresh_from_db()
    assert document.text_status == "indexed"


def test_a_broker_that_is_down_leaves_the_document_indexing(member, monkeypatch, django_capture_on_commit_callbacks):
    from celery.app.task import Task

    def broker_down(*args, **kwargs):
        raise ConnectionError("broker down")

    # Publishing fails as it does when the broker is unreachable; the upload must still succeed.
    monkeypatch.setattr(Task, "apply_async", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        document = document_services.document_upload(upload=upload("a.pdf", make_pdf(SENTENCE)), by=member, title="x",
                                            kind="report")
    document.refresh_from_db()
    assert document.text_status == "pending"


def test_result_count_stops_at_the_cap(client, member, monkeypatch):
    from briefings.views.search import SearchPaginator
    from tests.briefings.factories import DocumentFactory

    documents = [DocumentFactory(title=f"Shelter report {n}", text="shelter", text_status="indexed") for n in range(4)]
    indexing.search_vectors_refresh(document_ids=[d.pk for d in documents])
    monkeypatch.setattr(SearchPaginator, "cap", 2)
    client.force_login(member)
    response = client.get(reverse("briefings:search"), {"q": "shelter"})
    assert response.context["page"].paginator.capped
    assert "more than 2" in response.content.decode()
    monkeypatch.setattr(SearchPaginator, "cap", 10)
    response = client.get(reverse("briefings:search"), {"q": "shelter"})
    assert response.context["page"].paginator.count == 4 and "more than" not in response.content.decode()
