"""Circulating documents: audience rules, one outbox row per recipient, the page that follows delivery."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from briefings.services import circulations as circulation_services
from briefings.models import Circulation, Download
from notifications.models import Mailing, Message
from notifications.selectors import mailings_for
from tests.briefings.factories import DocumentFactory
from tests.members.factories import OrganizationFactory, UserFactory


@pytest.fixture
def group(member, cochair, secretariat, outsider, former_member):
    sweden = OrganizationFactory(name="Save the Children Sweden", kind="ngo")
    UserFactory(email="member@sweden.example", organization=sweden, full_name="Ingrid Larsson")
    UserFactory(email="inactive@sweden.example", organization=sweden, is_active=False)
    return {"sweden": sweden}


def test_one_row_per_person_of_the_active_members_in_the_same_transaction(cochair, group, django_capture_on_commit_callbacks):
    document = DocumentFactory(title="Interim TIP report")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        circulation = circulation_services.circulation_create(by=cochair, documents=[document], subject="Interim report",
                                                  message="Please read before Thursday.")
        rows = Message.objects.filter(mailing=circulation.mailing)
        # member, co-chair, Sweden and the secretariat (people_of_active_members); not the invited,
        # withdrawn or inactive
        assert rows.count() == 4
        assert set(rows.values_list("status", flat=True)) == {"queued"}
    assert len(callbacks) == 1  # delivery enqueued only once the rows are committed
    emails = set(rows.values_list("recipient_email", flat=True))
    assert emails == {"member@germany.example", "cochair@unicef.example", "member@sweden.example",
                      "secretariat@wgportal.example"}
    mailing = circulation.mailing
    assert list(mailings_for(circulation)) == [mailing] and mailing.kind == "circulation"
    assert Mailing.objects.count() == 1 and circulation.recipients_count == 4
    row = rows.get(recipient_email="member@sweden.example")
    link = f"http://testserver/briefings/documents/{document.pk}/"
    assert link in row.body_text and link in row.body_html
    assert "Please read before Thursday." in row.body_text
    assert row.attachments == []


def test_chosen_organizations_only(cochair, group):
    document = DocumentFactory()
    circulation = circulation_services.circulation_create(by=cochair, documents=[document], subject="For Sweden",
                                              audience="organizations", organizations=[group["sweden"]])
    assert list(circulation.mailing.messages.values_list("recipient_email", flat=True)) == ["member@sweden.example"]


def test_cochairs_audience_reaches_cochairs_and_secretariat(cochair, secretariat, group):
    document = DocumentFactory(access_level="cochairs")
    circulation = circulation_services.circulation_create(by=cochair, documents=[document], subject="Restricted",
                                              audience="cochairs")
    assert set(circulation.mailing.messages.values_list("recipient_email", flat=True)) == {
        "cochair@unicef.example", "secretariat@wgportal.example"}


@pytest.mark.parametrize("levels,audience,field", [
    (["cochairs"], "members", "audience"),
    (["cochairs"], "organizations", "audience"),
    (["members"], "cochairs", "audience"),
    (["members", "cochairs"], "cochairs", "documents"),
    ([], "members", "documents"),
])
def test_audience_rules_refuse_and_write_nothing(cochair, group, levels, audience, field):
    documents = [DocumentFactory(access_level=level) for level in levels]
    with pytest.raises(ValidationError) as error:
        circulation_services.circulation_create(by=cochair, documents=documents, subject="x", audience=audience,
                                    organizations=[group["sweden"]])
    assert field in error.value.message_dict
    assert not Circulation.objects.exists() and not Message.objects.exists() and not Mailing.objects.exists()


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


def test_members_see_circulations_to_them_on_the_dashboard(client, cochair, member, group):
    document = DocumentFactory(title="Circulated article")
    circulation_services.circulation_create(by=cochair, documents=[document], subject="Weekly reading")
    client.force_login(member)
    page = client.get(reverse("dashboard")).content.decode()
    assert "Circulated to you" in page and "Weekly reading" in page and "Latest documents" in page
