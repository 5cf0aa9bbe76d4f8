"""The permissions module against every role of DESIGN.md section 3."""

from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser

from members import permissions as p

ROLES = ["anonymous", "outsider", "former", "member", "secretariat", "cochair"]

# capability -> roles that have it (without an object)
MATRIX = {
    p.VIEW_PORTAL: {"member", "secretariat", "cochair"},
    p.MANAGE_MEETINGS: {"secretariat", "cochair"},
    p.REPLY_MEETING: {"member", "secretariat", "cochair"},
    p.CONTRIBUTE: {"member", "secretariat", "cochair"},
    p.CIRCULATE: {"secretariat", "cochair"},
    p.VIEW_DOCUMENT: {"member", "secretariat", "cochair"},
    p.VIEW_RESTRICTED: {"secretariat", "cochair"},
    p.MANAGE_INVITATIONS: {"secretariat", "cochair"},
    p.VIEW_DOWNLOADS: {"secretariat", "cochair"},
    p.VIEW_MAILING: {"secretariat", "cochair"},
    p.MANAGE_DIRECTORY: {"secretariat", "cochair"},
    p.EXPORT_DIRECTORY: {"secretariat", "cochair"},
}


@pytest.fixture
def people(member, cochair, secretariat, outsider, former_member):
    return {
        "anonymous": AnonymousUser(),
        "outsider": outsider,
        "former": former_member,
        "member": member,
        "secretariat": secretariat,
        "cochair": cochair,
    }


@pytest.mark.parametrize("capability", sorted(MATRIX))
def test_capability_matrix(people, capability):
    allowed = {role for role in ROLES if p.can(people[role], capability)}
    assert allowed == MATRIX[capability]


def test_roles_are_read_from_data(people):
    assert {role: p.role_of(user).value for role, user in people.items()} == {
        "anonymous": "anonymous",
        "outsider": "outsider",
        "former": "outsider",
        "member": "member",
        "secretariat": "secretariat",
        "cochair": "cochair",
    }


def test_withdrawing_the_organization_removes_member_access(member):
    from members import services

    services.organization_status_set(organization=member.organization, status="withdrawn", by=None)
    member.refresh_from_db()
    assert not p.can(member, p.VIEW_PORTAL)


def test_cochair_of_a_withdrawn_organization_is_not_a_cochair(cochair):
    cochair.organization.status = "withdrawn"
    cochair.organization.save()
    cochair.refresh_from_db()
    assert p.role_of(cochair) == p.Role.OUTSIDER
    assert not p.can(cochair, p.MANAGE_MEETINGS)


def test_inactive_account_has_no_access(member):
    member.is_active = False
    assert not p.can(member, p.VIEW_PORTAL)


def test_restricted_document_only_for_coordinators(people):
    restricted = SimpleNamespace(access_level="cochairs", uploaded_by_id=None)
    open_doc = SimpleNamespace(access_level="members", uploaded_by_id=None)
    assert {r for r in ROLES if p.can(people[r], p.VIEW_DOCUMENT, restricted)} == {"secretariat", "cochair"}
    assert {r for r in ROLES if p.can(people[r], p.VIEW_DOCUMENT, open_doc)} == {"member", "secretariat", "cochair"}


def test_member_sees_downloads_of_own_uploads_only(people):
    member = people["member"]
    own = SimpleNamespace(access_level="members", uploaded_by_id=member.pk)
    other = SimpleNamespace(access_level="members", uploaded_by_id=people["cochair"].pk)
    assert p.can(member, p.VIEW_DOWNLOADS, own)
    assert not p.can(member, p.VIEW_DOWNLOADS, other)
    assert p.can(people["secretariat"], p.VIEW_DOWNLOADS, other)


def test_invitee_replies_only_to_meetings_they_were_invited_to(people):
    outsider = people["outsider"]
    invited = SimpleNamespace(has_invitee=lambda user: user.pk == outsider.pk)
    not_invited = SimpleNamespace(has_invitee=lambda user: False)
    assert p.can(outsider, p.REPLY_MEETING, invited)
    assert not p.can(outsider, p.REPLY_MEETING, not_invited)
    assert not p.can(people["anonymous"], p.REPLY_MEETING, invited)
    assert p.can(people["member"], p.REPLY_MEETING, not_invited)


def test_focal_point_invites_colleagues_of_own_organization_only(member, cochair):
    assert not p.can(member, p.INVITE_COLLEAGUES)
    member.is_focal_point = True
    assert p.can(member, p.INVITE_COLLEAGUES, member.organization)
    assert not p.can(member, p.INVITE_COLLEAGUES, cochair.organization)
    assert p.can(cochair, p.INVITE_COLLEAGUES, member.organization)


def test_mailing_visible_to_its_sender(member, cochair):
    mine = SimpleNamespace(created_by_id=member.pk)
    theirs = SimpleNamespace(created_by_id=cochair.pk)
    assert p.can(member, p.VIEW_MAILING, mine)
    assert not p.can(member, p.VIEW_MAILING, theirs)


def test_unknown_capability_is_an_error(member):
    with pytest.raises(ValueError):
        p.can(member, "meetings.fly")
