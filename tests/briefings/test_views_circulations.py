"""The circulation pages: the form, the progress and downloads of one circulation."""

import pytest
from django.urls import reverse

from briefings.models import Circulation, Download
from briefings.services import circulations as circulation_services
from tests.briefings.factories import DocumentFactory
from tests.members.factories import OrganizationFactory, UserFactory


@pytest.fixture
def group(member, cochair, secretariat, outsider, former_member):
    sweden = OrganizationFactory(name="Save the Children Sweden", kind="ngo")
    UserFactory(email="member@sweden.example", organization=sweden, full_name="Ingrid Larsson")
    UserFactory(email="inactive@sweden.example", organization=sweden, is_active=False)
    return {"sweden": sweden}


def test_form_refuses_mixing_and_shows_why(client, cochair, group):
    public, restricted = DocumentFactory(), DocumentFactory(access_level="cochairs")
    client.force_login(cochair)
    response = client.post(reverse("briefings:circulation_create"), {
        "documents": [public.pk, restricted.pk], "subject": "Mixed", "audience": "members"})
    assert response.status_code == 200
    assert "cannot be circulated together" in response.content.decode()
    response = client.post(reverse("briefings:circulation_create"), {
        "documents": [public.pk], "subject": "No orgs", "audience": "organizations"})
    assert "Choose at least one organization" in response.content.decode()
    assert not Circulation.objects.exists()


def test_form_circulates_and_redirects_to_the_progress_page(client, cochair, group):
    document = DocumentFactory(title="Article on trafficking routes")
    client.force_login(cochair)
    response = client.get(reverse("briefings:circulation_create") + f"?document={document.pk}")
    assert response.context["form"].initial["documents"] == [document.pk]
    response = client.post(reverse("briefings:circulation_create"), {
        "documents": [document.pk], "subject": "Routes", "message": "FYI", "audience": "members"}, follow=True)
    circulation = Circulation.objects.get()
    assert response.redirect_chain[-1][0] == reverse("briefings:circulation", args=[circulation.pk])
    page = response.content.decode()
    assert "Circulation queued for 4 recipients" in page
    assert f'data-progress-url="{reverse("mailing_progress", args=[circulation.mailing.pk])}"' in page


def test_page_shows_failed_rows_with_errors_a_retry_and_who_downloaded(
    client, cochair, member, group, django_capture_on_commit_callbacks
):
    document = DocumentFactory(title="Study")
    circulation = circulation_services.circulation_create(by=cochair, documents=[document], subject="Study")
    rows = circulation.mailing.messages
    rows.filter(recipient_email="member@sweden.example").update(status="failed", attempts=3,
                                                                last_error="SMTPDataError: 554 refused")
    rows.exclude(recipient_email="member@sweden.example").update(status="sent")
    Download.objects.create(document=document, user=member)
    client.force_login(cochair)
    response = client.get(reverse("briefings:circulation", args=[circulation.pk]))
    page = response.content.decode()
    assert "554 refused" in page and "Retry the failed messages" in page
    recipients = {r.recipient_email: r for r in response.context["recipients"]}
    assert recipients["member@germany.example"].document_downloads[0][1] is not None
    assert recipients["member@sweden.example"].document_downloads[0][1] is None
    assert "downloaded by 1 of 4 recipients since" in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("mailing_retry", args=[circulation.mailing_id]),
                               {"next": reverse("briefings:circulation", args=[circulation.pk])})
    assert response.status_code == 302
    # Tasks run eagerly in unit tests: the retried row is delivered to the console backend.
    assert rows.get(recipient_email="member@sweden.example").status == "sent"


def test_downloads_before_the_circulation_do_not_count(client, cochair, member, group):
    document = DocumentFactory()
    old = Download.objects.create(document=document, user=member)
    circulation = circulation_services.circulation_create(by=cochair, documents=[document], subject="x")
    Download.objects.filter(pk=old.pk).update(at=circulation.created_at.replace(year=2006))
    client.force_login(cochair)
    response = client.get(reverse("briefings:circulation", args=[circulation.pk]))
    assert all(when is None for r in response.context["recipients"] for _, when in r.document_downloads)
