"""Findings of the attacker's walk in the members app (issue 9): each test failed
on the code before its fix."""

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from members.models import Organization, User
from notifications.models import Message
from tests.members.factories import OrganizationFactory, UserFactory


def _person_data(person, **changes):
    data = {
        "full_name": person.full_name or "Someone", "email": person.email, "title": person.title,
        "phone": person.phone, "organization": person.organization_id or "", "role": person.role,
        "is_focal_point": "on" if person.is_focal_point else "",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v not in (None, False)}


@pytest.fixture
def superuser(db, password):
    return User.objects.create_superuser("admin@wgportal.example", password=password, full_name="Site Admin")


# --- Finding 1: person_edit takes over the superuser and grants the secretariat role ---

def test_cochair_cannot_edit_the_superuser(client, cochair, superuser):
    client.force_login(cochair)
    url = reverse("members:person_edit", args=[superuser.pk])
    response = client.post(url, _person_data(superuser, email="attacker@evil.example"))
    assert response.status_code in {403, 404}
    superuser.refresh_from_db()
    assert superuser.email == "admin@wgportal.example"


def test_secretariat_cannot_edit_staff(client, secretariat, member):
    member.is_staff = True
    member.save()
    client.force_login(secretariat)
    response = client.post(reverse("members:person_edit", args=[member.pk]),
                           _person_data(member, email="taken@evil.example"))
    assert response.status_code in {403, 404}
    member.refresh_from_db()
    assert member.email == "member@germany.example"


def test_cochair_cannot_grant_the_secretariat_role(client, cochair, member):
    client.force_login(cochair)
    for person in (cochair, member):
        client.post(reverse("members:person_edit", args=[person.pk]), _person_data(person, role="secretariat"))
        person.refresh_from_db()
        assert person.role == "member"


def test_secretariat_and_superuser_grant_the_secretariat_role(client, secretariat, superuser, member, cochair):
    client.force_login(secretariat)
    response = client.post(reverse("members:person_edit", args=[member.pk]), _person_data(member, role="secretariat"))
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.role == "secretariat"
    client.force_login(superuser)
    client.post(reverse("members:person_edit", args=[cochair.pk]), _person_data(cochair, role="secretariat"))
    cochair.refresh_from_db()
    assert cochair.role == "secretariat"


def test_superuser_edits_staff(client, superuser, member):
    member.is_staff = True
    member.save()
    client.force_login(superuser)
    response = client.post(reverse("members:person_edit", args=[member.pk]),
                           _person_data(member, full_name="Renamed Person"))
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.full_name == "Renamed Person"


def test_cochair_still_edits_members(client, cochair, member):
    client.force_login(cochair)
    response = client.post(reverse("members:person_edit", args=[member.pk]), _person_data(member, title="Counsellor"))
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.title == "Counsellor"


def test_role_change_ends_the_persons_sessions(client, secretariat, member, password):
    from django.test import Client

    theirs = Client()
    theirs.post(reverse("account_login"), {"login": member.email, "password": password})
    assert theirs.get(reverse("dashboard")).status_code == 200
    client.force_login(secretariat)
    client.post(reverse("members:person_edit", args=[member.pk]), _person_data(member, role="secretariat"))
    assert theirs.get(reverse("dashboard")).status_code == 302


# --- Finding 5: an email change leaves the old address in control ---

def test_email_change_moves_allauth_address_and_password_reset(client, secretariat, member, mailoutbox,
                                                              django_capture_on_commit_callbacks):
    EmailAddress.objects.update_or_create(user=member, email=member.email, defaults={"verified": True, "primary": True})
    client.force_login(secretariat)
    client.post(reverse("members:person_edit", args=[member.pk]), _person_data(member, email="new@germany.example"))
    member.refresh_from_db()
    assert member.email == "new@germany.example"
    addresses = {a.email: a for a in EmailAddress.objects.filter(user=member)}
    assert "member@germany.example" not in addresses or not (
        addresses["member@germany.example"].primary or addresses["member@germany.example"].verified)
    assert addresses["new@germany.example"].primary and addresses["new@germany.example"].verified

    client.logout()
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": "member@germany.example"})
        client.post(reverse("account_reset_password"), {"email": "new@germany.example"})
    resets = [m for m in mailoutbox if "/accounts/password/reset/key/" in m.body]
    assert [m.to[0] for m in resets] == ["new@germany.example"]


# --- Finding 3: a focal point's invitation moves an account of another active organization ---

def _colleague_invitation(client, focal_point, email):
    from tests.members.invitation_helpers import last_token_for

    client.force_login(focal_point)
    response = client.post(reverse("members:organization_invite", args=[focal_point.organization_id]),
                           {"contacts": f"Someone <{email}>", "message": "Join us", "action": "send"})
    assert response.status_code == 302
    client.logout()
    return last_token_for(email)


@pytest.fixture
def sweden_focal_point(db, password):
    org = OrganizationFactory(name="Save the Children Sweden", kind="ngo")
    return UserFactory(email="member@sweden.example", organization=org, is_focal_point=True, password=password)


def test_accepting_a_colleague_invitation_does_not_move_an_account_of_another_active_organization(
        client, sweden_focal_point, password):
    us = OrganizationFactory(name="Embassy of the United States", is_cochair=True)
    cochair = UserFactory(email="cochair@usembassy.example", organization=us, is_focal_point=True, password=password)
    token = _colleague_invitation(client, sweden_focal_point, cochair.email)
    client.force_login(cochair)
    page = client.get(reverse("members:invitation_public", args=[token]))
    assert "Embassy of the United States" in page.content.decode()
    assert "coordinator" in page.content.decode().lower()
    response = client.post(reverse("members:invitation_accept", args=[token]))
    assert response.status_code == 409 and "coordinator must confirm" in response.content.decode()
    cochair.refresh_from_db()
    assert cochair.organization == us and cochair.is_focal_point
    # The secretariat is asked to confirm (once), and confirms by moving the person.
    client.post(reverse("members:invitation_accept", args=[token]))
    notice = Message.objects.get(kind="invitation-move")
    assert "Embassy of the United States" in notice.body_text
    assert f"/members/people/{cochair.pk}/edit/" in notice.body_text


def test_a_move_by_invitation_clears_the_focal_point_flag(client, sweden_focal_point, password):
    gone = OrganizationFactory(name="Embassy of Ruritania", status=Organization.Status.WITHDRAWN)
    person = UserFactory(email="former@ruritania.example", organization=gone, is_focal_point=True, password=password)
    token = _colleague_invitation(client, sweden_focal_point, person.email)
    client.force_login(person)
    client.post(reverse("members:invitation_accept", args=[token]))
    person.refresh_from_db()
    assert person.organization == sweden_focal_point.organization
    assert not person.is_focal_point


# --- Finding 12: names with line breaks ---

@pytest.mark.parametrize("name", ["Evil\nBcc: everyone@example.org", "Tab\there", "Bell\x07", "Over\u202eride"])
def test_names_and_titles_refuse_control_characters(client, secretariat, member, name):
    client.force_login(secretariat)
    for field in ("full_name", "title"):
        response = client.post(reverse("members:person_edit", args=[member.pk]), _person_data(member, **{field: name}))
        assert response.status_code == 200
        assert field in response.context["form"].errors
    response = client.post(reverse("members:organization_edit", args=[member.organization_id]), {
        "name": name, "kind": "mission", "acronym": "", "country": "", "website": "", "description": ""})
    assert response.status_code == 200 and "name" in response.context["form"].errors


def test_invitation_contacts_and_signup_refuse_control_characters_in_names(client, secretariat):
    from tests.members.invitation_helpers import invite

    india = OrganizationFactory(name="High Commission of India", status="invited", joined_on=None)
    client.force_login(secretariat)
    response = client.post(reverse("members:invitation_new"), {
        "organization": india.pk, "contacts": "Anjali\x07Sharma <anjali@india.example>", "message": "",
        "action": "send"})
    assert response.status_code == 200 and "control character" in response.content.decode()
    client.logout()

    _, token = invite(by=secretariat, organization=india, email="ravi@india.example", name="Ravi Kumar")
    client.get(reverse("members:invitation_public", args=[token]))
    client.post(reverse("members:invitation_accept", args=[token]))
    response = client.post(reverse("account_signup"), {
        "full_name": "Ravi\r\nBcc: all@example.org", "title": "", "password1": "a long passphrase 2007",
        "password2": "a long passphrase 2007"})
    assert response.status_code == 200 and "full_name" in response.context["form"].errors
    assert not User.objects.filter(email="ravi@india.example").exists()


def test_a_move_by_a_coordinator_clears_the_focal_point_flag(client, secretariat, sweden_focal_point):
    germany = OrganizationFactory(name="Embassy of Germany")
    client.force_login(secretariat)
    response = client.post(reverse("members:person_edit", args=[sweden_focal_point.pk]),
                           _person_data(sweden_focal_point, organization=germany.pk))
    assert response.status_code == 302
    sweden_focal_point.refresh_from_db()
    assert sweden_focal_point.organization == germany and not sweden_focal_point.is_focal_point
