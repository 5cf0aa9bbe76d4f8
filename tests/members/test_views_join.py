"""The invitee's side: what each kind of link leads to, accepting, declining."""

import datetime
import secrets

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse
from django.utils import timezone

from members import hooks, services
from members.models import Invitation, MembershipChange, Organization, User
from notifications.models import Message
from tests.members.factories import OrganizationFactory, UserFactory
from tests.members.invitation_helpers import invite, last_token_for

PASSWORD = "Zq8!a-long-new-password"


def _join(token, action=""):
    url = reverse("members:invitation_public", args=[token])
    return url + (f"{action}/" if action else "")


def _signup(client, token, **extra):
    """Open the link, press Accept, fill allauth's signup form."""
    client.get(_join(token))
    response = client.post(_join(token, "accept"))
    assert response.status_code == 302 and response["Location"] == reverse("account_signup")
    data = {"full_name": "Anjali Sharma", "title": "First Secretary", "password1": PASSWORD, "password2": PASSWORD}
    data.update(extra)
    return client.post(reverse("account_signup"), data)


def _nothing_created(email="contact@india.example"):
    return not User.objects.filter(email__iexact=email).exists()


@pytest.fixture
def invitation_and_token(secretariat):
    return invite(by=secretariat, message="We meet every second month at the U.S. Embassy.")


# --- the page each link leads to -------------------------------------------------


def test_valid_link_shows_the_group_the_inviter_and_the_message(client, invitation_and_token, cochair, member):
    invitation, token = invitation_and_token
    hooks.group_facts.append(lambda: [("Next meeting", "9 November 2006")])
    try:
        response = client.get(_join(token))
    finally:
        hooks.group_facts.pop()
    page = response.content.decode()
    assert response.status_code == 200
    assert "High Commission of India is invited" in page
    assert "We meet every second month at the U.S. Embassy." in page
    assert invitation.invited_by.get_full_name() in page
    assert "UNICEF" in page  # the co-chair
    assert "Next meeting" in page and "9 November 2006" in page
    assert "Member organizations" in page
    invitation.refresh_from_db()
    assert invitation.opened_at is not None
    assert _nothing_created()


def test_forged_link_says_so_and_creates_nothing(client, invitation_and_token):
    forged = secrets.token_urlsafe(32)
    response = client.get(_join(forged))
    assert response.status_code == 404
    assert b"This invitation link is not valid" in response.content
    assert b"mailto:secretariat@wgportal.example" in response.content
    assert client.post(_join(forged, "accept")).status_code == 404
    assert client.post(_join(forged, "decline"), {"reason": "x"}).status_code == 404
    assert client.post(_join("x" * 500)).status_code == 404
    assert _nothing_created()
    assert Invitation.objects.get().status == "pending"


def test_expired_link_says_so_and_creates_nothing(client, invitation_and_token):
    invitation, token = invitation_and_token
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    response = client.get(_join(token))
    assert response.status_code == 410 and b"This invitation has expired" in response.content
    assert client.post(_join(token, "accept")).status_code == 410
    assert b"by invitation" in client.get(reverse("account_signup")).content
    assert _nothing_created()


def test_revoked_link_says_so_and_creates_nothing(client, invitation_and_token, secretariat):
    invitation, token = invitation_and_token
    client.get(_join(token))  # the invitee had opened it before the revocation
    services.invitation_revoke(invitation=invitation, by=secretariat)
    response = client.get(_join(token))
    assert response.status_code == 410 and b"This invitation was withdrawn" in response.content
    assert client.post(_join(token, "accept")).status_code == 410
    # The session the invitee already had does not keep signup open either.
    response = client.post(reverse("account_signup"), {"full_name": "X", "password1": PASSWORD, "password2": PASSWORD})
    assert b"by invitation" in response.content
    assert _nothing_created()


def test_used_link_says_so_and_creates_nothing_more(client, invitation_and_token, django_capture_on_commit_callbacks):
    invitation, token = invitation_and_token
    assert _signup(client, token).status_code == 302
    client.post(reverse("account_logout"))
    response = client.get(_join(token))
    assert response.status_code == 410 and b"This invitation has already been accepted" in response.content
    assert client.post(_join(token, "accept")).status_code == 410
    assert client.post(_join(token, "decline")).status_code == 410
    assert User.objects.filter(email="contact@india.example").count() == 1


def test_resent_link_kills_the_old_one(client, invitation_and_token, secretariat):
    invitation, old = invitation_and_token
    services.invitation_resend(invitation=invitation, by=secretariat)
    new = last_token_for(invitation.email)
    assert new != old
    response = client.get(_join(old))
    assert response.status_code == 410 and b"replaced by a newer one" in response.content
    assert client.post(_join(old, "accept")).status_code == 410
    assert _nothing_created()
    assert client.get(_join(new)).status_code == 200


def test_withdrawn_organization_cannot_be_joined(client, invitation_and_token, secretariat):
    invitation, token = invitation_and_token
    services.organization_status_set(organization=invitation.organization, status="withdrawn", by=secretariat)
    response = client.get(_join(token))
    assert response.status_code == 410 and b"withdrew" in response.content
    assert client.post(_join(token, "accept")).status_code == 410
    assert _nothing_created()


def test_only_the_hash_of_a_link_is_stored(invitation_and_token):
    invitation, token = invitation_and_token
    stored = invitation.tokens.get()
    assert stored.token_hash != token and len(stored.token_hash) == 64
    assert len(token) >= 43  # 32 random bytes, base64
    assert not Invitation.objects.filter(message__contains=token).exists()


def test_dead_link_can_ask_the_secretariat_for_a_new_one(client, invitation_and_token,
                                                          django_capture_on_commit_callbacks):
    invitation, token = invitation_and_token
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - datetime.timedelta(days=1))
    assert b"Ask the secretariat for a new link" in client.get(_join(token)).content
    response = client.post(_join(token, "new-link"))
    assert response.status_code == 200 and b"has been asked for a new link" in response.content
    client.post(_join(token, "new-link"))  # a second click the same day sends nothing more
    rows = Message.objects.filter(kind="invitation-new-link")
    assert rows.count() == 1 and rows.get().recipient_email == "secretariat@wgportal.example"
    assert "contact@india.example" in rows.get().body_text
    # A valid link has nothing to ask for.
    other, valid = invite(by=invitation.invited_by, email="second@india.example", organization=invitation.organization)
    response = client.post(_join(valid, "new-link"))
    assert response.status_code == 302 and response["Location"] == _join(valid)
    assert client.post(_join(secrets.token_urlsafe(32), "new-link")).status_code == 404
    assert Message.objects.filter(kind="invitation-new-link").count() == 1


# --- accepting ------------------------------------------------------------------------


def test_accept_creates_one_verified_account_in_the_organization(client, invitation_and_token, secretariat):
    invitation, token = invitation_and_token
    page = client.get(_join(token))
    assert page.status_code == 200
    client.post(_join(token, "accept"))
    form_page = client.get(reverse("account_signup")).content.decode()
    assert 'value="contact@india.example"' in form_page and "disabled" in form_page
    response = _signup(client, token, email="someone-else@example.org")
    assert response.status_code == 302 and response["Location"] == reverse("dashboard")
    assert client.get(reverse("dashboard")).status_code == 200  # signed in, and a member

    user = User.objects.get(email="contact@india.example")
    assert not User.objects.filter(email="someone-else@example.org").exists()
    assert (user.full_name, user.title) == ("Anjali Sharma", "First Secretary")
    assert user.organization == invitation.organization
    address = EmailAddress.objects.get(user=user)
    assert address.verified and address.primary and address.email == "contact@india.example"

    organization = Organization.objects.get(pk=invitation.organization_id)
    assert organization.status == "active" and organization.joined_on == timezone.localdate()
    change = organization.membership_changes.get(to_status="active")
    assert change.changed_by == user and change.changed_on == timezone.localdate()
    invitation.refresh_from_db()
    assert invitation.status == "accepted" and invitation.accepted_by == user
    told = Message.objects.get(kind="invitation-accepted")
    assert told.recipient_email == secretariat.email and "Anjali Sharma" in told.body_text


def test_second_acceptance_keeps_the_join_date_and_history(client, secretariat):
    organization = OrganizationFactory(name="High Commission of India", status="invited", joined_on=None)
    first, first_token = invite(by=secretariat, organization=organization)
    second, second_token = invite(by=secretariat, organization=organization, email="second@india.example")
    _signup(client, first_token)
    Organization.objects.filter(pk=organization.pk).update(joined_on=datetime.date(2007, 3, 1))
    client.post(reverse("account_logout"))
    assert _signup(client, second_token, full_name="Ravi Kumar").status_code == 302
    organization.refresh_from_db()
    assert organization.joined_on == datetime.date(2007, 3, 1)
    assert MembershipChange.objects.filter(organization=organization, to_status="active").count() == 1
    assert User.objects.filter(organization=organization).count() == 2


def test_existing_account_signs_in_to_complete_the_acceptance(client, outsider, password, secretariat):
    invitation, token = invite(by=secretariat, organization=outsider.organization, email=outsider.email)
    client.get(_join(token))
    assert b"already an account" in client.get(_join(token)).content
    response = client.post(_join(token, "accept"))
    assert response.status_code == 200 and b"You already have an account" in response.content
    response = client.post(reverse("account_login"), {"login": outsider.email, "password": password})
    assert response.status_code == 302
    assert client.get(reverse("dashboard")).status_code == 200
    invitation.refresh_from_db()
    assert invitation.status == "accepted" and invitation.accepted_by == outsider
    assert User.objects.filter(email__iexact=outsider.email).count() == 1
    assert Organization.objects.get(pk=outsider.organization_id).status == "active"


def test_signed_in_invitee_accepts_with_one_click(client, outsider, secretariat):
    invitation, token = invite(by=secretariat, organization=outsider.organization, email=outsider.email)
    client.force_login(outsider)
    response = client.post(_join(token, "accept"))
    assert response.status_code == 302 and response["Location"] == reverse("dashboard")
    assert Organization.objects.get(pk=outsider.organization_id).status == "active"


def test_someone_else_signed_in_cannot_accept(client, member, secretariat, invitation_and_token):
    invitation, token = invitation_and_token
    client.force_login(member)
    response = client.post(_join(token, "accept"))
    assert response.status_code == 403 and b"for someone else" in response.content
    invitation.refresh_from_db()
    assert invitation.status == "pending" and member.organization.name != "High Commission of India"


def test_signing_in_with_another_account_does_not_accept(client, member, password, invitation_and_token):
    invitation, token = invitation_and_token
    client.get(_join(token))
    client.post(_join(token, "accept"))
    client.post(reverse("account_login"), {"login": member.email, "password": password})
    invitation.refresh_from_db()
    assert invitation.status == "pending"


def test_colleague_invitation_leaves_the_status_alone(client, member, secretariat):
    member.is_focal_point = True
    member.save()
    organization = member.organization
    before = organization.membership_changes.count()
    invitation, token = invite(by=member, organization=organization, email="colleague@germany.example",
                               kind="colleague")
    assert _signup(client, token, full_name="Jonas Weber").status_code == 302
    assert User.objects.get(email="colleague@germany.example").organization == organization
    assert organization.membership_changes.count() == before


def test_public_signup_without_invitation_stays_closed(client, db):
    response = client.post(reverse("account_signup"), {
        "email": "x@example.org", "full_name": "X", "password1": PASSWORD, "password2": PASSWORD})
    assert b"Sign-up is by invitation" in response.content
    assert not User.objects.filter(email="x@example.org").exists()


# --- declining ----------------------------------------------------------------------


def test_decline_tells_the_inviter_and_keeps_the_organization_invited(client, secretariat):
    organization = OrganizationFactory(name="High Commission of India", status="invited", joined_on=None)
    first, token = invite(by=secretariat, organization=organization)
    invite(by=secretariat, organization=organization, email="second@india.example")
    assert client.get(_join(token, "decline")).status_code == 200
    response = client.post(_join(token, "decline"), {"reason": "Our mission covers this from Addis Ababa."})
    assert response.status_code == 200 and b"Thank you for your answer" in response.content
    first.refresh_from_db()
    assert first.status == "declined" and first.decline_reason == "Our mission covers this from Addis Ababa."
    told = Message.objects.get(kind="invitation-declined")
    assert told.recipient_email == secretariat.email and "Addis Ababa" in told.body_text
    assert Organization.objects.get(pk=organization.pk).status == "invited"
    assert _nothing_created()


def test_organization_is_declined_when_every_contact_declined(client, secretariat):
    organization = OrganizationFactory(name="High Commission of India", status="invited", joined_on=None)
    _, first = invite(by=secretariat, organization=organization)
    _, second = invite(by=secretariat, organization=organization, email="second@india.example")
    client.post(_join(first, "decline"))
    client.post(_join(second, "decline"), {"reason": ""})
    organization.refresh_from_db()
    assert organization.status == "declined"
    assert organization.membership_changes.filter(to_status="declined").exists()


def test_withdrawing_after_joining_removes_access_at_once(client, secretariat, invitation_and_token):
    invitation, token = invitation_and_token
    _signup(client, token)
    assert client.get(reverse("members:directory")).status_code == 200
    services.organization_status_set(organization=invitation.organization, status="withdrawn", by=secretariat,
                                     note="Mission closed")
    response = client.get(reverse("members:directory"))
    assert response.status_code == 403 and b"This part of the portal is for members" in response.content
    # The person and their history stay.
    assert User.objects.get(email="contact@india.example").organization_id == invitation.organization_id
    change = MembershipChange.objects.filter(organization=invitation.organization).latest("id")
    assert (change.to_status, change.changed_by, change.note) == ("withdrawn", secretariat, "Mission closed")


def test_account_made_meanwhile_offers_sign_in_not_a_verification_email(client, invitation_and_token):
    """The form was opened, then (another tab, the secretariat) the account was made."""
    invitation, token = invitation_and_token
    client.get(_join(token))
    client.post(_join(token, "accept"))
    UserFactory(email="contact@india.example", organization=invitation.organization)
    response = client.post(reverse("account_signup"), {
        "full_name": "Anjali Sharma", "password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 200 and b"You already have an account" in response.content
    assert User.objects.filter(email="contact@india.example").count() == 1
    assert not Message.objects.filter(recipient_email="contact@india.example", kind__startswith="account:").exists()
