"""Who a circulation reaches, told before it goes: the same rule and summary as meetings."""

import pytest

from briefings.selectors import circulations as selectors
from tests.briefings.factories import DocumentFactory
from tests.members.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def group(member, cochair, secretariat, outsider):
    silent = OrganizationFactory(name="Embassy of Austria")
    silent_cochair = OrganizationFactory(name="IOM", is_cochair=True)
    return {"silent": silent, "silent_cochair": silent_cochair}


def test_members_audience_counts_and_names_those_left_out(group):
    summary = selectors.circulation_audience(audience="members")
    # The member, the co-chair, the secretariat; the outsider's organization has not joined.
    assert (summary.people, summary.organizations) == (3, 2)
    assert [o.name for o in summary.unreached] == ["Embassy of Austria", "IOM"]


def test_cochairs_audience_leaves_out_only_cochair_organizations(group):
    summary = selectors.circulation_audience(audience="cochairs")
    assert (summary.people, summary.organizations) == (2, 1)
    assert summary.unreached == [group["silent_cochair"]]


def test_chosen_organizations_audience(group, member):
    summary = selectors.circulation_audience(audience="organizations",
                                             organizations=[member.organization, group["silent"]])
    assert (summary.people, summary.organizations) == (1, 1)
    assert summary.unreached == [group["silent"]]


def test_unopened_documents_leave_out_downloads_and_what_the_person_may_not_see(member, cochair):
    from briefings.models import Download
    from briefings.services import circulations as services

    opened, unopened = DocumentFactory(title="Opened"), DocumentFactory(title="Unopened")
    services.circulation_create(by=cochair, documents=[opened, unopened], subject="Two reports")
    services.circulation_create(by=cochair, documents=[DocumentFactory(access_level="cochairs")],
                                subject="Co-chairs only", audience="cochairs")
    Download.objects.create(document=opened, user=member)
    UserFactory(organization=member.organization)
    documents, total = selectors.documents_unopened_by(member)
    assert [d.title for d in documents] == ["Unopened"] and total == 1
