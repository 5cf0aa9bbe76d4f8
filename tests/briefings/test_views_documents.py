"""The library pages: uploads, edits, file replacements and downloads."""

import hashlib
import tracemalloc
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.urls import reverse

from briefings.models import Document, DocumentChange, DocumentVersion, Download, Topic
from briefings.services import documents as document_services
from tests.briefings.factories import (
    JPEG,
    OLE,
    PNG,
    DocumentFactory,
    make_docx,
    make_odt,
    make_pdf,
    make_xlsx,
    make_zip,
    upload,
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


@pytest.fixture
def document(member):
    return document_services.document_upload(
        upload=upload("Rapport Ñairobi – 2007 \"final\".pdf", make_pdf("download me")), by=member,
        title="Rapport", kind="report",
    )


@pytest.mark.parametrize("name,content,content_type,message", BAD_UPLOADS,
                         ids=[b[0] + "-" + b[3][:12] for b in BAD_UPLOADS])
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
    document = document_services.document_upload(upload=upload("v1.pdf", make_pdf("first")), by=member,
                                                  title="Report", kind="report")
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
    document = document_services.document_upload(upload=upload("v1.pdf", make_pdf("first")), by=member,
                                                  title="Report", kind="report")
    client.force_login(member)
    response = client.post(reverse("briefings:document_replace", args=[document.pk]),
                           {"file": upload("v2.pdf", b"MZ" + b"\x00" * 100, "application/pdf")})
    assert "Programs and scripts" in " ".join(response.context["form"].errors["file"])
    assert not DocumentVersion.objects.exists() and len(stored_files()) == 1


def test_editing_records_who_changed_what(client, member):
    document = document_services.document_upload(upload=upload("a.pdf", make_pdf()), by=member,
                                                  title="Old title", kind="report")
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
        document_services.document_upload(upload=upload("a.pdf", make_pdf("y")), by=member, title="Old report",
                                          kind="report", publication_date=__import__("datetime").date(2005, 3, 1))
    choices = client.get(reverse("briefings:documents")).context["form"].fields["year"].choices
    assert (2005, 2005) in choices


def test_a_failure_after_the_file_is_stored_removes_it(member):
    with pytest.raises(ValueError):
        document_services.document_upload(upload=upload("a.pdf", make_pdf("z")), by=member, title="x", kind="report",
                                 meeting="not a meeting")
    assert Document.objects.count() == 0 and stored_files() == []


def test_download_streams_an_attachment_with_safe_headers_and_a_log_row(client, member, document):
    client.force_login(member)
    response = client.get(reverse("briefings:download", args=[document.pk]))
    assert response.status_code == 200
    assert response.streaming
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Length"] == str(document.size)
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    # RFC 6266 / 5987: an ASCII fallback is not required, the UTF-8 name is.
    assert "filename*=utf-8''Rapport%20%C3%91airobi%20%E2%80%93%202007%20%22final%22.pdf" in disposition
    assert b"".join(response.streaming_content) == default_storage.open(document.file.name).read()
    log = Download.objects.get()
    assert log.user == member and log.document == document and log.at is not None


def test_ascii_name_is_quoted(client, member):
    document = document_services.document_upload(upload=upload("interim report.pdf", make_pdf("x1")), by=member,
                                         title="x", kind="report")
    client.force_login(member)
    response = client.get(reverse("briefings:download", args=[document.pk]))
    assert response["Content-Disposition"] == 'attachment; filename="interim report.pdf"'


def test_refused_download_logs_nothing(client, member, cochair):
    restricted = document_services.document_upload(upload=upload("r.pdf", make_pdf("r")), by=cochair, title="r",
                                          kind="report", access_level="cochairs")
    client.force_login(member)
    assert client.get(reverse("briefings:download", args=[restricted.pk])).status_code == 404
    assert not Download.objects.exists()


def test_x_accel_redirect_mode_hands_the_file_to_nginx(client, member, document, settings):
    settings.DOWNLOAD_X_ACCEL_REDIRECT = True
    settings.DOWNLOAD_X_ACCEL_PREFIX = "/protected-media/"
    client.force_login(member)
    response = client.get(reverse("briefings:download", args=[document.pk]))
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == f"/protected-media/{document.file.name}"
    assert response.content == b""
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert Download.objects.count() == 1


def test_earlier_versions_download_and_are_logged(client, member, document):
    document_services.document_replace_file(document=document, upload=upload("v2.pdf", make_pdf("v2")), by=member)
    version = document.versions.get()
    client.force_login(member)
    response = client.get(reverse("briefings:version_download", args=[document.pk, version.pk]))
    assert response.status_code == 200
    assert "Rapport" in response["Content-Disposition"]
    b"".join(response.streaming_content)
    assert Download.objects.get().version == version


def test_a_missing_file_is_a_404_not_a_500(client, member, document):
    default_storage.delete(document.file.name)
    client.force_login(member)
    assert client.get(reverse("briefings:download", args=[document.pk])).status_code == 404


def test_who_downloaded_is_shown_to_the_uploader_and_coordinators_a_count_to_others(client, member, cochair, document):
    from tests.members.factories import UserFactory

    other = UserFactory(email="reader@sweden.example", full_name="Ingrid Reader")
    client.force_login(other)
    b"".join(client.get(reverse("briefings:download", args=[document.pk])).streaming_content)
    page = client.get(reverse("briefings:document", args=[document.pk])).content.decode()
    assert "Ingrid Reader" not in page and 'data-download-count>1<' in page
    for viewer in (member, cochair):
        client.force_login(viewer)
        page = client.get(reverse("briefings:document", args=[document.pk])).content.decode()
        assert "Ingrid Reader" in page
        listing = client.get(reverse("briefings:document_downloads", args=[document.pk])).content.decode()
        assert "reader@sweden.example" in listing


def test_a_100_mb_file_downloads_without_the_process_growing_by_20_mb(client, member, settings):
    size = 100 * 1024 * 1024
    name = "documents/big.pdf"
    block = b"%PDF-1.4\n" + b"0" * (1024 * 1024 - 9)
    path = settings.MEDIA_ROOT / name
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as handle:
        for _ in range(size // len(block)):
            handle.write(block)
    document = Document.objects.create(
        title="Big", kind="report", file=name, original_name="big.pdf", size=size, content_type="application/pdf",
        sha256="0" * 64, uploaded_by=member, text_status="none",
    )
    client.force_login(member)
    tracemalloc.start()
    try:
        response = client.get(reverse("briefings:download", args=[document.pk]))
        received = 0
        for chunk in response.streaming_content:
            received += len(chunk)
        response.close()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert received == size
    assert peak < 20 * 1024 * 1024, f"peak {peak / 1024 / 1024:.1f} MB"


def test_the_cached_library_count_and_latest_documents_follow_changes_at_once(client, member, cochair):
    from briefings.models import Document, Topic

    DocumentFactory.create_batch(3, title="Report on the coast")
    client.force_login(member)
    url = reverse("briefings:documents")
    assert client.get(url).context["page"].paginator.count == 3
    assert client.get(url).context["page"].paginator.count == 3  # the cached figure
    new = DocumentFactory(title="Newest circular")
    assert client.get(url).context["page"].paginator.count == 4
    dashboard = client.get(reverse("dashboard")).content.decode()
    assert "Newest circular" in dashboard
    new.delete()
    assert client.get(url).context["page"].paginator.count == 3
    assert "Newest circular" not in client.get(reverse("dashboard")).content.decode()

    # A filter's count follows the topics a document is filed under.
    topic = Topic.objects.create(name="A topic of this test", slug="topic-of-this-test")
    filtered = f"{url}?topic={topic.slug}"
    assert client.get(filtered).context["page"].paginator.count == 0
    Document.objects.first().topics.add(topic)
    assert client.get(filtered).context["page"].paginator.count == 1
    # Co-chairs-only documents count for co-chairs, not for members.
    DocumentFactory(title="Restricted", access_level="cochairs")
    assert client.get(url).context["page"].paginator.count == 3
    client.force_login(cochair)
    assert client.get(url).context["page"].paginator.count == 4
