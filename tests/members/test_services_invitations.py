"""Invitation services, at the service level: what each one writes and queues."""

import pytest
from django.db import transaction

from members import services
from members.models import Invitation, MembershipChange, Organization
from notifications.models import Mailing, Message
from tests.members.factories import OrganizationFactory


def _new_organization(name="Embassy of Lebanon"):
    return Organization(name=name, acronym="", kind=Organization.Kind.MISSION, country="Lebanon")


def test_organization_invite_adds_a_new_organization_and_invites_its_contacts(secretariat):
    organization, mailing, sent, skipped = services.organization_invite(
        organization=_new_organization(), message="Welcome", by=secretariat,
        contacts=[services.Contact("a@lebanon.example", "Rania Haddad"), services.Contact("b@lebanon.example")],
    )
    assert organization.pk and organization.status == Organization.Status.INVITED
    assert MembershipChange.objects.filter(organization=organization, to_status="invited").count() == 1
    assert {i.email for i in sent} == {"a@lebanon.example", "b@lebanon.example"} and skipped == []
    assert mailing.subject_ref == f"members.organization:{organization.pk}"
    assert Message.objects.filter(mailing=mailing, kind="invitation").count() == 2


def test_organization_invite_is_all_or_nothing(secretariat, monkeypatch):
    from members.services import invitations

    def broken(**kwargs):
        raise RuntimeError("the outbox refused the mailing")

    monkeypatch.setattr(invitations, "messages_queue", broken)
    with pytest.raises(RuntimeError):
        services.organization_invite(
            organization=_new_organization(), message="", by=secretariat,
            contacts=[services.Contact("a@lebanon.example")],
        )
    assert not Organization.objects.filter(name="Embassy of Lebanon").exists()
    assert not Invitation.objects.exists() and not Mailing.objects.exists()
    assert not MembershipChange.objects.filter(organization__name="Embassy of Lebanon").exists()


def test_organization_invite_keeps_an_existing_organization(secretariat):
    existing = OrganizationFactory(name="High Commission of India", status="invited", joined_on=None)
    organization, mailing, sent, _ = services.organization_invite(
        organization=existing, message="", by=secretariat, contacts=[services.Contact("c@india.example")],
    )
    assert organization.pk == existing.pk and Organization.objects.filter(name=existing.name).count() == 1
    assert len(sent) == 1


def test_a_pending_contact_is_skipped_not_invited_twice(secretariat):
    organization = OrganizationFactory(name="High Commission of India", status="invited", joined_on=None)
    services.invitations_send(organization=organization, contacts=[services.Contact("c@india.example")],
                              message="", by=secretariat)
    mailing, sent, skipped = services.invitations_send(
        organization=organization, contacts=[services.Contact("C@India.example")], message="", by=secretariat)
    assert (mailing, sent, skipped) == (None, [], ["c@india.example"])


def test_inviting_a_withdrawn_organization_makes_it_invited_again(secretariat):
    organization = OrganizationFactory(name="Embassy of Ruritania", status="withdrawn")
    services.invitations_send(organization=organization, contacts=[services.Contact("r@ruritania.example")],
                              message="", by=secretariat)
    organization.refresh_from_db()
    assert organization.status == Organization.Status.INVITED


def test_an_answered_invitation_is_unusable_with_its_reason(secretariat, django_capture_on_commit_callbacks):
    from tests.members.invitation_helpers import invite

    invitation, _ = invite(by=secretariat)
    services.invitation_decline(invitation_id=invitation.pk, reason="Not our field")
    with pytest.raises(services.InvitationUnusable) as caught:
        services.invitation_decline(invitation_id=invitation.pk)
    assert caught.value.state is Invitation.Availability.DECLINED


def test_availability_is_an_enum(secretariat):
    from tests.members.invitation_helpers import invite

    invitation, _ = invite(by=secretariat)
    assert invitation.availability is Invitation.Availability.VALID
    assert invitation.state is Invitation.State.PENDING
    with transaction.atomic():
        services.invitation_revoke(invitation=invitation, by=secretariat)
    invitation.refresh_from_db()
    assert invitation.availability is Invitation.Availability.REVOKED
