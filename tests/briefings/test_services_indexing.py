"""Text extraction and the search vectors it feeds."""

import pytest
from django.urls import reverse

from briefings.models import Document
from briefings.selectors import search as search_selectors
from briefings.services import documents as document_services
from briefings.services import indexing
from tests.briefings.factories import add_indexed as add
from tests.briefings.factories import make_docx, make_odt, make_pdf, upload

SENTENCE = "Fishermen near Kilifi reported that recruiters promised housework in Oman."


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
    document = document_services.document_upload(upload=upload("a.pdf", make_pdf(SENTENCE)), by=member,
                                                  title="x", kind="report")
    client.force_login(member)
    assert "Indexing" in client.get(reverse("briefings:document", args=[document.pk])).content.decode()
    indexing.document_text_extract(document_id=document.pk)
    page = client.get(reverse("briefings:document", args=[document.pk])).content.decode()
    assert "Indexing" not in page and "Indexed" in page


def test_images_are_not_text_formats(member):
    from tests.briefings.factories import PNG

    document = document_services.document_upload(upload=upload("a.png", PNG), by=member,
                                                  title="Chart", kind="presentation")
    assert document.text_status == "none"


def test_a_stale_extraction_for_a_replaced_file_is_dropped(member):
    document = document_services.document_upload(upload=upload("a.pdf", make_pdf("old words")), by=member,
                                                  title="x", kind="report")
    old_name = document.file.name
    document_services.document_replace_file(document=document, upload=upload("b.pdf", make_pdf("new words")), by=member)
    # An extraction that read the old file must not overwrite the new one's status.
    assert Document.objects.filter(pk=document.pk, file=old_name).update(text="stale") == 0
    indexing.document_text_extract(document_id=document.pk)
    document.refresh_from_db()
    assert "new words" in document.text


# --- Search on PostgreSQL ---------------------------------------------------------------


def test_editing_metadata_refreshes_the_vector(member, on_postgres):
    document = add(member, "Plain title")
    assert not list(search_selectors.search(member, "Malindi").documents)
    document_services.document_update(document=document, by=member, title="Malindi report")
    assert list(search_selectors.search(member, "Malindi").documents) == [document]
