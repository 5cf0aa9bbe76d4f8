"""The documents service: the one check of an upload (content, duplicates) and its fingerprint."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from briefings import filetypes
from briefings.models import Document
from briefings.services import documents as document_services
from tests.briefings.factories import make_pdf, upload


@pytest.fixture
def count_checks(monkeypatch):
    """How many times an upload's type was inspected and its bytes hashed."""
    calls = {"inspect": 0, "hash": 0}
    inspect, fingerprint = filetypes.inspect, document_services.file_fingerprint

    def counted_inspect(*args, **kwargs):
        calls["inspect"] += 1
        return inspect(*args, **kwargs)

    def counted_fingerprint(*args, **kwargs):
        calls["hash"] += 1
        return fingerprint(*args, **kwargs)

    monkeypatch.setattr(filetypes, "inspect", counted_inspect)
    monkeypatch.setattr(document_services, "file_fingerprint", counted_fingerprint)
    return calls


def test_an_upload_through_the_form_is_inspected_and_hashed_once(client, member, count_checks):
    client.force_login(member)
    response = client.post(reverse("briefings:upload"), {
        "title": "Once", "kind": "report", "access_level": "members",
        "file": upload("once.pdf", make_pdf("checked once"), "application/pdf"),
    })
    assert response.status_code == 302 and Document.objects.count() == 1
    assert count_checks == {"inspect": 1, "hash": 1}


def test_a_replacement_through_the_form_is_inspected_and_hashed_once(client, member, count_checks):
    document = document_services.document_upload(upload=upload("a.pdf", make_pdf("first")), by=member,
                                                 title="x", kind="report")
    count_checks.update(inspect=0, hash=0)
    client.force_login(member)
    response = client.post(reverse("briefings:document_replace", args=[document.pk]),
                           {"file": upload("b.pdf", make_pdf("second"), "application/pdf")})
    assert response.status_code == 302 and document.versions.count() == 1
    assert count_checks == {"inspect": 1, "hash": 1}


def test_a_service_call_with_a_plain_file_checks_it_itself(member, count_checks):
    document_services.document_upload(upload=upload("a.pdf", make_pdf("direct")), by=member, title="x",
                                      kind="report")
    assert count_checks == {"inspect": 1, "hash": 1}


def test_the_service_refuses_a_file_its_uploader_can_see_in_the_library(member):
    content = make_pdf("the same bytes")
    first = document_services.document_upload(upload=upload("a.pdf", content), by=member, title="First",
                                               kind="report")
    with pytest.raises(ValidationError) as refused:
        document_services.document_upload(upload=upload("b.pdf", content), by=member, title="Again", kind="report")
    assert refused.value.code == "duplicate"
    assert reverse("briefings:document", args=[first.pk]) in refused.value.message
    assert Document.objects.count() == 1


def test_the_duplicate_check_tells_a_member_nothing_of_a_cochairs_only_document(member, cochair):
    content = make_pdf("restricted bytes")
    document_services.document_upload(upload=upload("r.pdf", content), by=cochair, title="Restricted",
                                      kind="report", access_level="cochairs")
    checked = document_services.upload_check(upload=upload("r.pdf", content), by=member)
    assert checked.sha256 == Document.objects.get().sha256
    with pytest.raises(ValidationError, match="Restricted"):
        document_services.upload_check(upload=upload("r.pdf", content), by=cochair)


def test_the_same_file_again_is_not_a_replacement(member):
    content = make_pdf("unchanged")
    document = document_services.document_upload(upload=upload("a.pdf", content), by=member, title="x",
                                                 kind="report")
    with pytest.raises(ValidationError) as refused:
        document_services.document_replace_file(document=document, upload=upload("a.pdf", content), by=member)
    assert refused.value.code == "same"
    assert document.versions.count() == 0


def test_an_editor_who_may_not_see_the_draft_meeting_leaves_it_attached(member):
    from meetings.models import Meeting
    from tests.meetings.factories import MeetingFactory

    draft = MeetingFactory(status=Meeting.Status.DRAFT)
    document = document_services.document_upload(upload=upload("a.pdf", make_pdf("draft")), by=member, title="x",
                                                 kind="report", meeting=draft)
    changed = document_services.document_update(document=document, by=member, title="Renamed", meeting=None)
    document.refresh_from_db()
    assert changed == ["title"] and document.meeting == draft
