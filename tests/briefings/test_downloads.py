"""Downloads stream the file behind the permission check, with safe headers, and are logged."""

import tracemalloc

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from briefings.services import documents as document_services
from briefings.models import Document, Download
from tests.briefings.factories import make_pdf, upload


@pytest.fixture
def document(member):
    return document_services.document_upload(
        upload=upload("Rapport Ñairobi – 2007 \"final\".pdf", make_pdf("download me")), by=member,
        title="Rapport", kind="report",
    )


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
