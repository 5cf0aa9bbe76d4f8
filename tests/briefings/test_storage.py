"""Documents on S3-compatible object storage (moto's server on loopback): upload,
signed download redirect, versions, and text extraction reading from the bucket."""

import urllib.request
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from django.conf import settings
from django.urls import reverse

from briefings.models import Document, Download
from briefings.services import documents as services
from tests.briefings.factories import make_pdf, upload


def _local_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def _fetch(url: str):
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read(), response.headers


def test_an_uploaded_document_goes_to_the_bucket_and_nowhere_else(client, member, s3_bucket):
    content = make_pdf("Malindi shelter referral figures")
    client.force_login(member)
    response = client.post(reverse("briefings:upload"), {
        "title": "Shelter figures", "description": "", "kind": "report", "access_level": "members",
        "file": upload("shelter figures.pdf", content, "application/pdf"),
    })
    document = Document.objects.get()
    assert response.status_code == 302
    assert s3_bucket.keys() == [document.file.name]
    assert s3_bucket.read(document.file.name) == content
    assert _local_files() == []


def test_a_download_is_a_short_lived_signed_redirect_to_the_bucket_and_is_logged(client, member, s3_bucket):
    content = make_pdf("Coast study")
    document = services.document_upload(upload=upload("Étude côte.pdf", content), by=member, title="Study",
                                        kind="study")
    client.force_login(member)
    response = client.get(reverse("briefings:download", args=[document.pk]))
    assert response.status_code == 302
    assert response["Cache-Control"] == "private, no-store"
    location = response["Location"]
    assert location.startswith(f"{s3_bucket.endpoint}/{s3_bucket.name}/")
    query = parse_qs(urlsplit(location).query)
    assert query["X-Amz-Expires"] == [str(settings.DOWNLOAD_URL_EXPIRE_SECONDS)]
    body, headers = _fetch(location)
    assert body == content
    assert headers["Content-Type"] == "application/pdf"
    assert headers["Content-Disposition"].startswith("attachment;")
    assert "%C3%89tude%20c%C3%B4te.pdf" in headers["Content-Disposition"]
    assert Download.objects.get().user == member


def test_a_document_hidden_from_the_user_gives_no_signed_address(client, member, cochair, s3_bucket):
    document = services.document_upload(upload=upload("note.pdf", make_pdf("co-chairs only")), by=cochair,
                                         title="Note", kind="briefing_note", access_level="cochairs")
    client.force_login(member)
    response = client.get(reverse("briefings:download", args=[document.pk]))
    assert response.status_code == 404
    assert Download.objects.count() == 0


def test_replacing_a_file_keeps_the_earlier_version_in_the_bucket(client, member, s3_bucket):
    first, second = make_pdf("first text"), make_pdf("second text")
    document = services.document_upload(upload=upload("report.pdf", first), by=member, title="Report", kind="report")
    services.document_replace_file(document=document, upload=upload("report.pdf", second), by=member)
    document.refresh_from_db()
    version = document.versions.get()
    assert sorted([document.file.name, version.file.name]) == s3_bucket.keys()
    client.force_login(member)
    current = client.get(reverse("briefings:download", args=[document.pk]))
    earlier = client.get(reverse("briefings:version_download", args=[document.pk, version.pk]))
    assert _fetch(current["Location"])[0] == second
    assert _fetch(earlier["Location"])[0] == first


def test_text_extraction_reads_the_file_from_the_bucket(member, s3_bucket, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # the extraction task, run eagerly
        document = services.document_upload(
            upload=upload("seminar.pdf", make_pdf("Survivor testimony at the Mombasa seminar")), by=member,
            title="Seminar", kind="report",
        )
    document.refresh_from_db()
    assert document.text_status == Document.TextStatus.INDEXED
    assert "Mombasa seminar" in document.text
    assert _local_files() == []
