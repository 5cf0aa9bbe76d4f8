"""Who a mailing reaches (the one audience summary) and what the secretariat's dashboard reads."""

import datetime

import pytest
from django.utils import timezone

from members import selectors
from members.models import Organization
from tests.members.factories import OrganizationFactory, UserFactory
from tests.members.invitation_helpers import invite

pytestmark = pytest.mark.django_db


def test_summary_counts_people_and_organizations_and_names_those_left_out():
    reached = OrganizationFactory(name="Embassy of Sweden")
    left_out = OrganizationFactory(name="embassy of Austria")  # sorted ignoring case
    silent = OrganizationFactory(name="Embassy of Belgium")
    summary = selectors.audience_summary(
        recipient_organization_ids=[reached.pk, reached.pk, None],
        intended=Organization.objects.filter(pk__in=[reached.pk, left_out.pk, silent.pk]),
    )
    assert (summary.people, summary.organizations) == (3, 1)
    assert [o.name for o in summary.unreached] == ["embassy of Austria", "Embassy of Belgium"]
    assert not summary.is_empty


def test_summary_of_nobody_is_empty():
    summary = selectors.audience_summary(recipient_organization_ids=[], intended=Organization.objects.none())
    assert summary.is_empty and summary.unreached == []


def test_eligible_organizations_are_the_active_members_only():
    active = OrganizationFactory(name="Active")
    OrganizationFactory(name="Invited", status="invited", joined_on=None)
    OrganizationFactory(name="Partner", status="partner", joined_on=None)
    assert list(selectors.eligible_organizations()) == [active]


def test_organizations_without_contact_leave_out_those_with_an_active_person():
    with_person = OrganizationFactory(name="Has someone")
    UserFactory(organization=with_person)
    only_inactive = OrganizationFactory(name="Only a former contact")
    UserFactory(organization=only_inactive, is_active=False)
    empty = OrganizationFactory(name="Nobody")
    OrganizationFactory(name="Invited, nobody", status="invited", joined_on=None)
    assert set(selectors.organizations_without_contact()) == {only_inactive, empty}


def test_invitations_expiring_within_a_week_soonest_first(secretariat):
    soon, _ = invite(by=secretariat, email="soon@india.example")
    later, _ = invite(by=secretariat, email="later@india.example")
    far, _ = invite(by=secretariat, email="far@india.example")
    now = timezone.now()
    for invitation, days in ((soon, 2), (later, 6), (far, 20)):
        invitation.expires_at = now + datetime.timedelta(days=days)
        invitation.save(update_fields=["expires_at"])
    assert list(selectors.invitations_expiring()) == [soon, later]


def test_recent_joins_are_accepted_invitations_of_the_last_thirty_days(secretariat):
    from members import services

    recent, _ = invite(by=secretariat, email="new@india.example")
    person = UserFactory(email="new@india.example", organization=None)
    services.invitation_accept(invitation_id=recent.pk, user=person)
    old, _ = invite(by=secretariat, email="old@kenya.example",
                    organization=OrganizationFactory(name="Old joiner", status="invited", joined_on=None))
    old_person = UserFactory(email="old@kenya.example", organization=None)
    services.invitation_accept(invitation_id=old.pk, user=old_person)
    old.refresh_from_db()
    old.responded_at = timezone.now() - datetime.timedelta(days=45)
    old.save(update_fields=["responded_at"])
    assert [i.accepted_by for i in selectors.joins_recent()] == [person]
