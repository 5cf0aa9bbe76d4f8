"""The circulation service: who it reaches, the audience rules, one outbox row per recipient."""

import pytest
from django.core.exceptions import ValidationError

from briefings.models import Circulation
from briefings.services import circulations as circulation_services
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


def test_one_row_per_person_of_the_active_members_in_the_same_transaction(cochair, group,
                                                                           django_capture_on_commit_callbacks):
    document = DocumentFactory(title="Interim TIP report")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        circulation = circulation_services.circulation_create(by=cochair, documents=[document],
                                                              subject="Interim report",
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
