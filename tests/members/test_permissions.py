"""The permissions module against every role of DESIGN.md section 3, with real
model objects: an object whose type has no registered rule is refused."""

import pytest
from django.contrib.auth.models import AnonymousUser, Group

from members import permissions as p
from members.models import Invitation, Organization, User
from notifications.models import Mailing
from tests.briefings.factories import DocumentFactory
from tests.meetings.factories import MeetingFactory
from tests.meetings.factories import RsvpFactory as MeetingInvitationFactory
from tests.members.factories import OrganizationFactory, UserFactory
from tests.members.invitation_helpers import invite
from tests.notifications.factories import MailingFactory

ROLES = ["anonymous", "outsider", "former", "member", "focal_point", "secretariat", "cochair"]

# capability -> roles that have it (without an object)
MATRIX = {
    p.VIEW_PORTAL: {"member", "focal_point", "secretariat", "cochair"},
    p.MANAGE_MEETINGS: {"secretariat", "cochair"},
    p.REPLY_MEETING: {"member", "focal_point", "secretariat", "cochair"},
    p.CONTRIBUTE: {"member", "focal_point", "secretariat", "cochair"},
    p.CIRCULATE: {"secretariat", "cochair"},
    p.VIEW_DOCUMENT: {"member", "focal_point", "secretariat", "cochair"},
    p.VIEW_RESTRICTED: {"secretariat", "cochair"},
    p.MANAGE_INVITATIONS: {"secretariat", "cochair"},
    p.INVITE_COLLEAGUES: {"focal_point", "secretariat", "cochair"},
    p.VIEW_DOWNLOADS: {"secretariat", "cochair"},
    p.VIEW_MAILING: {"secretariat", "cochair"},
    p.MANAGE_DIRECTORY: {"secretariat", "cochair"},
    p.EXPORT_DIRECTORY: {"secretariat", "cochair"},
    p.EDIT_CONTENT: {"secretariat", "cochair"},
}


@pytest.fixture
def people(member, cochair, secretariat, outsider, former_member):
    focal_point = UserFactory(email="focal@germany.example", organization=member.organization, is_focal_point=True)
    return {
        "anonymous": AnonymousUser(),
        "outsider": outsider,
        "former": former_member,
        "member": member,
        "focal_point": focal_point,
        "secretariat": secretariat,
        "cochair": cochair,
    }


def _fresh(user):
    """The same person without the role cached on the object."""
    return user if isinstance(user, AnonymousUser) else User.objects.get(pk=user.pk)


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
        "focal_point": "member",
        "secretariat": "secretariat",
        "cochair": "cochair",
    }


def test_withdrawing_the_organization_removes_member_access(member):
    from members import services

    services.organization_status_set(organization=member.organization, status="withdrawn", by=None)
    member.refresh_from_db()
    assert not p.can(_fresh(member), p.VIEW_PORTAL)


def test_cochair_of_a_withdrawn_organization_is_not_a_cochair(cochair):
    cochair.organization.status = "withdrawn"
    cochair.organization.save()
    cochair = _fresh(cochair)
    assert p.role_of(cochair) == p.Role.OUTSIDER
    assert not p.can(cochair, p.MANAGE_MEETINGS)


def test_inactive_account_has_no_access(member):
    member.is_active = False
    assert not p.can(member, p.VIEW_PORTAL)


def test_unknown_capability_is_an_error(member):
    with pytest.raises(ValueError):
        p.can(member, "meetings.fly")


# --- Objects of a type without a rule ---------------------------------------------


def test_an_object_of_an_unregistered_type_is_refused_to_everyone(people):
    group = Group.objects.create(name="Editors")  # a model no app registers a rule for
    for role in ROLES:
        assert not p.can(people[role], p.VIEW, group), role
        assert not p.can(people[role], p.MANAGE_DIRECTORY, group), role


def test_visible_to_on_an_unregistered_model_returns_nothing(people):
    Group.objects.create(name="Editors")
    for role in ROLES:
        assert not p.visible_to(people[role], Group.objects.all()).exists(), role


def test_get_visible_or_404_hides_what_the_user_may_not_know(people):
    from django.http import Http404

    invitation, _ = invite(by=people["secretariat"])
    assert p.get_visible_or_404(people["cochair"], Invitation.objects.all(), pk=invitation.pk) == invitation
    with pytest.raises(Http404):
        p.get_visible_or_404(people["member"], Invitation.objects.all(), pk=invitation.pk)


# --- Objects of the members and notifications apps ----------------------------------


@pytest.fixture
def objects(people, cochair):
    """One object of each model members registers, seen from several sides."""
    other_org = OrganizationFactory(name="Embassy of Sweden")
    organization_invitation, _ = invite(by=people["secretariat"])
    colleague_invitation, _ = invite(by=people["focal_point"], email="colleague@germany.example",
                                     organization=people["member"].organization, kind="colleague")
    return {
        Organization: [people["member"].organization, other_org],
        User: [people["cochair"], people["outsider"]],
        Invitation: [organization_invitation, colleague_invitation],
        Mailing: [MailingFactory(created_by=people["member"]), MailingFactory(created_by=cochair)],
    }


@pytest.mark.parametrize("model", [Organization, User, Invitation, Mailing], ids=lambda m: m.__name__)
def test_can_view_agrees_with_visible_to(people, objects, model):
    for role in ROLES:
        user = _fresh(people[role])
        visible = set(p.visible_to(user, model.objects.all()).values_list("pk", flat=True))
        for obj in objects[model]:
            assert p.can(user, p.VIEW, obj) == (obj.pk in visible), (role, obj)


def test_directory_is_for_members_only(people, objects):
    organization = objects[Organization][1]
    assert {r for r in ROLES if p.can(_fresh(people[r]), p.VIEW, organization)} == {
        "member", "focal_point", "secretariat", "cochair"}
    assert {r for r in ROLES if p.can(_fresh(people[r]), p.MANAGE_DIRECTORY, organization)} == {
        "secretariat", "cochair"}


def test_focal_point_invites_colleagues_of_own_organization_only(people, cochair):
    focal_point, member = people["focal_point"], people["member"]
    assert not p.can(member, p.INVITE_COLLEAGUES, member.organization)
    assert p.can(focal_point, p.INVITE_COLLEAGUES, focal_point.organization)
    assert not p.can(focal_point, p.INVITE_COLLEAGUES, cochair.organization)
    assert p.can(cochair, p.INVITE_COLLEAGUES, member.organization)


def test_focal_point_sees_and_handles_only_their_colleagues_invitations(people, objects):
    focal_point = _fresh(people["focal_point"])
    organization_invitation, colleague_invitation = objects[Invitation]
    assert not p.can(focal_point, p.VIEW, organization_invitation)  # another organization's
    assert p.can(focal_point, p.VIEW, colleague_invitation)
    assert p.can(focal_point, p.INVITE_COLLEAGUES, colleague_invitation)  # may resend or revoke it
    assert not p.can(focal_point, p.MANAGE_INVITATIONS, colleague_invitation)
    assert not p.can(_fresh(people["member"]), p.VIEW, colleague_invitation)
    secretariat = _fresh(people["secretariat"])
    assert all(p.can(secretariat, p.INVITE_COLLEAGUES, i) for i in objects[Invitation])


def test_mailing_visible_to_its_sender_and_the_coordinators(people, objects):
    mine, theirs = objects[Mailing]
    member = _fresh(people["member"])
    assert p.can(member, p.VIEW_MAILING, mine)
    assert not p.can(member, p.VIEW_MAILING, theirs)
    assert p.can(_fresh(people["secretariat"]), p.VIEW_MAILING, theirs)
    assert not p.can(_fresh(people["outsider"]), p.VIEW_MAILING, mine)


# --- Objects of the apps above, through the rules they register -------------------


def test_restricted_document_only_for_coordinators(people):
    restricted = DocumentFactory(access_level="cochairs")
    open_doc = DocumentFactory(access_level="members")
    assert {r for r in ROLES if p.can(people[r], p.VIEW_DOCUMENT, restricted)} == {"secretariat", "cochair"}
    assert {r for r in ROLES if p.can(people[r], p.VIEW_DOCUMENT, open_doc)} == {
        "member", "focal_point", "secretariat", "cochair"}


def test_member_sees_downloads_of_own_uploads_only(people):
    member = people["member"]
    own = DocumentFactory(uploaded_by=member)
    other = DocumentFactory(uploaded_by=people["cochair"])
    assert p.can(member, p.VIEW_DOWNLOADS, own)
    assert not p.can(member, p.VIEW_DOWNLOADS, other)
    assert p.can(people["secretariat"], p.VIEW_DOWNLOADS, other)


def test_invitee_replies_only_to_meetings_they_were_invited_to(people):
    outsider = people["outsider"]
    invited, not_invited = MeetingFactory(), MeetingFactory()
    MeetingInvitationFactory(meeting=invited, email=outsider.email)
    assert p.can(outsider, p.REPLY_MEETING, invited)
    assert not p.can(outsider, p.REPLY_MEETING, not_invited)
    assert not p.can(people["anonymous"], p.REPLY_MEETING, invited)
    assert p.can(people["member"], p.REPLY_MEETING, not_invited)
