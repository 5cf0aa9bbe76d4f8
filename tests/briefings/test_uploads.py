"""Uploads: files are judged by their content; a refused file leaves nothing behind."""

import hashlib
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from briefings.services import documents as document_services
from briefings.models import Document, DocumentChange, DocumentVersion, Topic
from tests.briefings.factories import (
    JPEG, OLE, PNG, make_docx, make_odt, make_pdf, make_xlsx, make_zip, upload,
)

URL = reverse("briefings:upload")


def stored_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def form_data(**extra):
    data = {"title": "Interim TIP report", "description": "", "kind": "report", "access_level": "members"}
    data.update(extra)
    return data


def post_file(client, name, content, content_type="application/octet-stream", **extra):
    return client.post(URL, {**form_data(**extra), "file": upload(name, content, content_type)})


BAD_UPLOADS = [
    ("empty.pdf", b"", "application/pdf", "file is empty"),
    ("setup.exe", b"MZ\x90\x00\x03" + b"\x00" * 200, "application/x-msdownload", "Programs and scripts"),
    ("report.pdf", b"MZ\x90\x00\x03" + b"\x00" * 200, "application/pdf", "Programs and scripts"),
    ("tool.pdf", b"\x7fELF\x02\x01\x01" + b"\x00" * 200, "application/pdf", "Programs and scripts"),
    ("notes.txt", b"#!/bin/sh\nrm -rf /\n", "text/plain", "Programs and scripts"),
    ("photo.pdf", PNG, "application/pdf", "content is PNG image"),
    ("report.docx", make_pdf(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
     "content is PDF"),
    ("letter.pdf", make_docx(), "application/pdf", "content is Word"),
    ("archive.zip", make_zip(), "application/zip", "not accepted"),
    ("archive.docx", make_zip(), "application/octet-stream", "not accepted"),
    ("binary.txt", b"abc\x00\x01\x02" * 50, "text/plain", "not accepted"),
    ("report.pdf", make_pdf(), "image/png", "sent as image/png"),
    ("legacy.pdf", OLE, "application/pdf", "old-style Office document"),
    ("report", make_pdf(), "application/pdf", "no extension"),
]


@pytest.mark.parametrize("name,content,content_type,message", BAD_UPLOADS, ids=[b[0] + "-" + b[3][:12] for b in BAD_UPLOADS])
def test_bad_upload_gets_its_error_and_stores_nothing(client, member, name, content, content_type, message):
    client.force_login(member)
    response = post_file(client, name, content, content_type)
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors.get("file", []))
    assert message in errors
    assert Document.objects.count() == 0
    assert stored_files() == []


def test_oversized_upload_is_refused_and_stores_nothing(client, member, settings):
    settings.DOCUMENT_MAX_UPLOAD_MB = 1
    client.force_login(member)
    content = make_pdf() + b"%" * (1024 * 1024)
    response = post_file(client, "big.pdf", content, "application/pdf")
    assert "the largest accepted is 1.0" in " ".join(response.context["form"].errors["file"])
    assert Document.objects.count() == 0
    assert stored_files() == []


def test_service_refuses_bad_files_too(member):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        document_services.document_upload(upload=upload("x.pdf", PNG), by=member, title="x", kind="report")
    assert Document.objects.count() == 0 and stored_files() == []


GOOD_UPLOADS = [
    ("Interim report.pdf", make_pdf(), "application/pdf", "pdf", "application/pdf"),
    ("bill.docx", make_docx(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx",
     "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("strategy.odt", make_odt(), "application/vnd.oasis.opendocument.text", "odt",
     "application/vnd.oasis.opendocument.text"),
    ("budget.xlsx", make_xlsx(), "application/octet-stream", "xlsx",
     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("minutes.doc", OLE, "application/msword", "doc", "application/msword"),
    ("notes.txt", "Notes from Mombasa — seminar".encode(), "text/plain", "txt", "text/plain"),
    ("chart.png", PNG, "image/png", "png", "image/png"),
    ("photo.JPEG", JPEG, "image/jpeg", "jpg", "image/jpeg"),
]


@pytest.mark.parametrize("name,content,claimed,key,content_type", GOOD_UPLOADS, ids=[g[0] for g in GOOD_UPLOADS])
def test_accepted_upload_is_stored_under_a_server_made_name(client, member, name, content, claimed, key, content_type):
    client.force_login(member)
    topic = Topic.objects.get(slug="prevention")
    response = post_file(client, name, content, claimed, topics=[topic.pk], publication_date="2007-02-01")
    document = Document.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("briefings:document", args=[document.pk])
    assert document.original_name == name
    assert document.content_type == content_type
    assert document.size == len(content)
    assert document.sha256 == hashlib.sha256(content).hexdigest()
    assert document.file.name.startswith("documents/") and document.file.name.endswith(f".{key}")
    assert name.rsplit(".", 1)[0] not in document.file.name
    assert [p.read_bytes() for p in stored_files()] == [content]
    assert list(document.topics.all()) == [topic]
    assert document.uploaded_by == member
    assert DocumentChange.objects.filter(document=document, by=member).exists()


def test_uploading_a_file_already_in_the_library_links_to_it(client, member):
    client.force_login(member)
    content = make_pdf("the same bytes")
    post_file(client, "first.pdf", content, "application/pdf")
    first = Document.objects.get()
    response = post_file(client, "copy.pdf", content, "application/pdf", title="Another title")
    errors = " ".join(response.context["form"].errors["file"])
    assert "already in the library" in errors
    assert reverse("briefings:document", args=[first.pk]) in response.content.decode()
    assert Document.objects.count() == 1 and len(stored_files()) == 1


def test_same_bytes_as_a_cochairs_only_document_tell_a_member_nothing(client, member, cochair):
    content = make_pdf("restricted bytes")
    restricted = document_services.document_upload(
        upload=upload("r.pdf", content), by=cochair, title="Restricted", kind="report", access_level="cochairs"
    )
    client.force_login(member)
    response = post_file(client, "r.pdf", content, "application/pdf", title="My copy")
    # No refusal: a refusal would tell the member that a document they may not see exists.
    mine = Document.objects.exclude(pk=restricted.pk).get()
    assert response.status_code == 302 and response["Location"] == reverse("briefings:document", args=[mine.pk])
    assert mine.title == "My copy" and mine.sha256 == restricted.sha256


def test_replacing_the_file_keeps_the_old_one_as_a_version(client, member, cochair):
    document = document_services.document_upload(upload=upload("v1.pdf", make_pdf("first")), by=member, title="Report", kind="report")
    old_name = document.file.name
    client.force_login(cochair)
    response = client.post(reverse("briefings:document_replace", args=[document.pk]),
                           {"file": upload("v2.pdf", make_pdf("second"), "application/pdf")})
    assert response.status_code == 302
    document.refresh_from_db()
    version = DocumentVersion.objects.get(document=document)
    assert version.file.name == old_name and version.original_name == "v1.pdf"
    assert document.original_name == "v2.pdf" and document.file.name != old_name
    assert len(stored_files()) == 2
    change = document.changes.first()
    assert change.by == cochair and "v2.pdf" in change.summary


def test_replacing_with_a_bad_file_changes_nothing(client, member):
    document = document_services.document_upload(upload=upload("v1.pdf", make_pdf("first")), by=member, title="Report", kind="report")
    client.force_login(member)
    response = client.post(reverse("briefings:document_replace", args=[document.pk]),
                           {"file": upload("v2.pdf", b"MZ" + b"\x00" * 100, "application/pdf")})
    assert "Programs and scripts" in " ".join(response.context["form"].errors["file"])
    assert not DocumentVersion.objects.exists() and len(stored_files()) == 1


def test_editing_records_who_changed_what(client, member):
    document = document_services.document_upload(upload=upload("a.pdf", make_pdf()), by=member, title="Old title", kind="report")
    client.force_login(member)
    topic = Topic.objects.get(slug="protection")
    response = client.post(reverse("briefings:document_edit", args=[document.pk]), form_data(
        title="New title", kind="study", topics=[topic.pk]))
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.title == "New title" and document.kind == "study"
    change = document.changes.first()
    assert change.by == member and "title" in change.summary and "kind" in change.summary and "topics" in change.summary


def test_upload_form_with_missing_fields_shows_errors(client, member):
    client.force_login(member)
    response = client.post(URL, {"title": ""})
    form = response.context["form"]
    assert "title" in form.errors and "file" in form.errors and "kind" in form.errors
    assert Document.objects.count() == 0


def test_library_year_filter_learns_a_new_year_after_an_upload(client, member, django_capture_on_commit_callbacks):
    client.force_login(member)
    assert client.get(reverse("briefings:documents")).context["form"].fields["year"].choices == [("", "Any year")]
    with django_capture_on_commit_callbacks(execute=True):
        document_services.document_upload(upload=upload("a.pdf", make_pdf("y")), by=member, title="Old report", kind="report",
                                 publication_date=__import__("datetime").date(2005, 3, 1))
    choices = client.get(reverse("briefings:documents")).context["form"].fields["year"].choices
    assert (2005, 2005) in choices


def test_a_failure_after_the_file_is_stored_removes_it(member):
    with pytest.raises(ValueError):
        document_services.document_upload(upload=upload("a.pdf", make_pdf("z")), by=member, title="x", kind="report",
                                 meeting="not a meeting")
    assert Document.objects.count() == 0 and stored_files() == []
