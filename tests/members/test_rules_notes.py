"""Who may read, add, edit and hide notes on organizations (``members.rules``), as lists
see them (``visible_to``) and as one note does (``can``)."""

import pytest

from members import permissions, services
from members import rules as members_rules
from members.models import OrganizationNote
from tests.members.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def notes(member, cochair):
    """A note on a partner NGO, one on the member's organization (Germany) and one on the
    co-chair's (UNICEF), each by someone of another organization."""
    sweden = UserFactory(email="member@sweden.example", organization=OrganizationFactory(name="Embassy of Sweden"))
    solwodi = OrganizationFactory(name="SOLWODI", status="partner")
    return {
        "sweden": sweden,
        "on_partner": services.note_add(organization=solwodi, author=member, text="On SOLWODI"),
        "on_germany": services.note_add(organization=member.organization, author=sweden, text="On Germany"),
        "on_unicef": services.note_add(organization=cochair.organization, author=member, text="On UNICEF"),
    }


def visible(user):
    return set(permissions.visible_to(user, OrganizationNote.objects.all()).values_list("text", flat=True))


def test_members_see_notes_except_those_on_their_own_organization(notes, member, cochair, secretariat):
    colleague = UserFactory(organization=member.organization)
    assert visible(member) == visible(colleague) == {"On SOLWODI", "On UNICEF"}
    # A co-chair runs the group, yet never reads what members wrote about their organization.
    assert visible(cochair) == {"On SOLWODI", "On Germany"}
    assert visible(secretariat) == {"On SOLWODI", "On Germany", "On UNICEF"}
    assert visible(notes["sweden"]) == {"On SOLWODI", "On Germany", "On UNICEF"}
    for text, note in (("On Germany", notes["on_germany"]), ("On UNICEF", notes["on_unicef"])):
        assert permissions.can(notes["sweden"], permissions.VIEW, note), text
    assert not permissions.can(member, permissions.VIEW, notes["on_germany"])
    assert not permissions.can(colleague, permissions.VIEW, notes["on_germany"])
    assert not permissions.can(cochair, permissions.VIEW, notes["on_unicef"])


def test_the_people_of_a_partner_never_see_notes_on_it_even_once_it_joins(notes):
    solwodi = notes["on_partner"].organization
    staff = UserFactory(email="staff@solwodi.example", organization=solwodi)
    assert visible(staff) == set()  # a partner's people are not members
    solwodi.status = "active"
    solwodi.save()
    staff = type(staff).objects.get(pk=staff.pk)  # the role is worked out once per user object
    assert visible(staff) == {"On Germany", "On UNICEF"}
    assert not permissions.can(staff, permissions.VIEW, notes["on_partner"])


def test_people_who_are_not_members_see_no_note(notes, outsider, former_member):
    for person in (outsider, former_member):
        assert visible(person) == set()
        assert not permissions.can(person, permissions.VIEW, notes["on_partner"])


def test_a_hidden_note_is_for_its_author_and_the_coordinators(notes, member, cochair, secretariat):
    services.note_hide(note=notes["on_partner"], by=cochair)
    assert "On SOLWODI" not in visible(notes["sweden"])
    assert not permissions.can(notes["sweden"], permissions.VIEW, notes["on_partner"])
    for person in (member, cochair, secretariat):
        assert "On SOLWODI" in visible(person)
        assert permissions.can(person, permissions.VIEW, notes["on_partner"])


def test_only_the_author_edits_or_deletes_a_note(notes, member, cochair, secretariat):
    assert permissions.can(member, members_rules.EDIT_NOTE, notes["on_partner"])
    for person in (notes["sweden"], cochair, secretariat):
        assert not permissions.can(person, members_rules.EDIT_NOTE, notes["on_partner"])


def test_coordinators_hide_notes_except_those_on_their_own_organization(notes, member, cochair, secretariat):
    for note in ("on_partner", "on_germany"):
        assert permissions.can(cochair, members_rules.HIDE_NOTE, notes[note])
        assert permissions.can(secretariat, members_rules.HIDE_NOTE, notes[note])
        assert not permissions.can(notes["sweden"], members_rules.HIDE_NOTE, notes[note])
    assert not permissions.can(member, members_rules.HIDE_NOTE, notes["on_partner"])  # its author, not a co-chair
    assert not permissions.can(cochair, members_rules.HIDE_NOTE, notes["on_unicef"])


def test_members_add_notes_on_any_organization_but_their_own(notes, member, cochair, secretariat, outsider):
    solwodi, germany = notes["on_partner"].organization, member.organization
    assert permissions.can(member, members_rules.ADD_NOTE, solwodi)
    assert not permissions.can(member, members_rules.ADD_NOTE, germany)
    assert permissions.can(cochair, members_rules.ADD_NOTE, germany)
    assert not permissions.can(cochair, members_rules.ADD_NOTE, cochair.organization)
    assert permissions.can(secretariat, members_rules.ADD_NOTE, germany)
    assert not permissions.can(outsider, members_rules.ADD_NOTE, solwodi)
