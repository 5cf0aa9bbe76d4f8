"""The secretariat's side: inviting with a preview, the list, resend, revoke, reminders."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from members import services
from members.models import Invitation, Organization
from notifications.models import Mailing, Message
from tests.members.factories import OrganizationFactory, UserFactory
from tests.members.invitation_helpers import delivered_body, invite, last_token_for, token_in
from tests.members.roles import assert_role_answer


@pytest.fixture
def india(db):
    return OrganizationFactory(name="Embassy of India", country="India", status="invited", joined_on=None)


def _role_urls(invitation, organization):
    manage = {"secretariat", "cochair"}
    return [
        (reverse("members:invitations"), "get", manage),
        (reverse("members:invitations") + "?state=expired&q=india&page=99", "get", manage),
        (reverse("members:invitation_new"), "get", manage),
        (reverse("members:invitation_new") + f"?organization={organization.pk}", "get", manage),
        (reverse("members:invitations_remind"), "post", manage),
        (reverse("members:invitation_resend", args=[invitation.pk]), "post", manage),
        (reverse("members:invitation_revoke", args=[invitation.pk]), "post", manage),
        (reverse("members:organization_invite", args=[organization.pk]), "get", manage),
    ]


@pytest.mark.parametrize("role", ["anonymous", "outsider", "member", "secretariat", "cochair"])
def test_every_invitation_page_for_every_role(client, users_by_role, india, role):
    invitation, token = invite(by=users_by_role["secretariat"], organization=india,
                               email="contact@embassy-india.example")
    if role != "anonymous":
        client.force_login(users_by_role[role])
    # The invitee's pages are public, whoever asks.
    for action in ("", "decline/"):
        assert client.get(reverse("members:invitation_public", args=[token]) + action).status_code == 200
    for url, method, allowed in _role_urls(invitation, india):
        assert_role_answer(getattr(client, method)(url), role=role, allowed=allowed, url=url)


@pytest.mark.parametrize("role", ["anonymous", "outsider", "member", "secretariat", "cochair"])
def test_dead_link_pages_for_every_role(client, users_by_role, role):
    if role != "anonymous":
        client.force_login(users_by_role[role])
    response = client.get(reverse("members:invitation_public", args=["no-such-link"]))
    assert response.status_code == 404 and b"This invitation link is not valid" in response.content


def test_missing_invitation_ids_are_404(client, secretariat):
    client.force_login(secretariat)
    assert client.post(reverse("members:invitation_resend", args=[999999])).status_code == 404
    assert client.post(reverse("members:invitation_revoke", args=[999999])).status_code == 404
    assert client.get(reverse("members:organization_invite", args=[999999])).status_code == 404
    assert client.get(reverse("members:invitation_new") + "?organization=999999").status_code == 200
    assert client.post(reverse("members:invitations_remind"), {"invitation": ["x", "999999"]}).status_code == 302
    big = "9" * 25  # beyond any database integer
    assert client.post(f"/members/invitations/{big}/resend/").status_code == 404
    assert client.get(f"/members/invitations/?sent={big}&page={big}&state=<b>").status_code == 200
    assert client.get(f"/members/invitations/new/?organization={big}").status_code == 200
    assert client.post(reverse("members:invitations_remind"), {"invitation": [big]}).status_code == 302
    assert client.get(f"/members/organizations/{big}/invite/").status_code == 404


def test_preview_shows_the_email_and_sends_nothing(client, secretariat, india):
    client.force_login(secretariat)
    data = {"organization": india.pk,
            "contacts": "Anjali Sharma <contact@embassy-india.example>\nRavi Kumar, ravi@embassy-india.example",
            "message": "We would value India's experience.", "action": "preview"}
    response = client.post(reverse("members:invitation_new"), data)
    page = response.content.decode()
    assert response.status_code == 200 and "Preview" in page
    assert "Invitation to join the" in page and "We would value India&#x27;s experience." in page
    assert "Dear Anjali Sharma" in page and "and 1 more" in page
    assert not Invitation.objects.exists() and not Message.objects.exists()


def test_invite_an_organization_sends_one_mailing_with_personal_links(client, secretariat, india,
                                                                     django_capture_on_commit_callbacks):
    client.force_login(secretariat)
    data = {"organization": india.pk,
            "contacts": "Anjali Sharma <contact@embassy-india.example>\nravi@embassy-india.example",
            "message": "Welcome.", "action": "send"}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("members:invitation_new"), data)
    mailing = Mailing.objects.get(kind="invitation")
    assert response.status_code == 302 and response["Location"].endswith(f"?sent={mailing.pk}")
    assert mailing.subject_ref == f"members.organization:{india.pk}" and mailing.created_by == secretariat
    rows = list(Message.objects.filter(mailing=mailing).order_by("recipient_email"))
    assert [r.recipient_email for r in rows] == ["contact@embassy-india.example", "ravi@embassy-india.example"]
    assert all(r.status == "sent" for r in rows)
    assert token_in(delivered_body(rows[0])) != token_in(delivered_body(rows[1]))
    assert "Welcome." in rows[0].body_text and "Dear Anjali Sharma" in rows[0].body_text
    listing = client.get(response["Location"]).content.decode()
    assert "mailing-progress" in listing and "contact@embassy-india.example" in listing


def test_invite_a_new_organization_on_the_spot(client, cochair):
    client.force_login(cochair)
    data = {"new_name": "Embassy of Lebanon", "new_kind": "mission", "new_country": "Lebanon",
            "contacts": "contact@lebanon.example", "message": "", "action": "send"}
    response = client.post(reverse("members:invitation_new"), data)
    assert response.status_code == 302
    lebanon = Organization.objects.get(name="Embassy of Lebanon")
    assert lebanon.status == "invited" and lebanon.membership_changes.get().changed_by == cochair
    assert Invitation.objects.get().organization == lebanon


@pytest.mark.parametrize("data, error", [
    ({"contacts": "contact@lebanon.example"}, "Pick an organization"),
    ({"new_name": "Embassy of India", "new_kind": "mission", "contacts": "a@b.example"}, "already in the directory"),
    ({"new_name": "Embassy of Lebanon", "new_kind": "mission", "contacts": "not an address"}, "no valid email address"),
    ({"new_name": "Embassy of Lebanon", "new_kind": "mission", "contacts": "   "}, "This field is required"),
])
def test_bad_invitation_input_shows_errors_and_sends_nothing(client, secretariat, india, data, error):
    client.force_login(secretariat)
    response = client.post(reverse("members:invitation_new"), {**data, "action": "send"})
    assert response.status_code == 200 and error in response.content.decode()
    assert not Invitation.objects.exists() and not Message.objects.exists()


def test_inviting_a_pending_contact_again_is_refused(client, secretariat, india):
    invite(by=secretariat, organization=india, email="contact@embassy-india.example")
    client.force_login(secretariat)
    response = client.post(reverse("members:invitation_new"), {
        "organization": india.pk, "contacts": "CONTACT@embassy-india.example", "action": "send"}, follow=True)
    assert "Already invited" in response.content.decode()
    assert Invitation.objects.count() == 1


def test_inviting_a_withdrawn_organization_makes_it_invited_again(secretariat):
    ruritania = OrganizationFactory(name="Embassy of Ruritania", status="withdrawn")
    invite(by=secretariat, organization=ruritania, email="contact@ruritania.example")
    ruritania.refresh_from_db()
    assert ruritania.status == "invited"
    assert ruritania.membership_changes.filter(from_status="withdrawn", to_status="invited").exists()


def test_focal_point_invites_colleagues_of_their_own_organization_only(client, member):
    member.is_focal_point = True
    member.save()
    other = OrganizationFactory(name="Embassy of Sweden")
    client.force_login(member)
    url = reverse("members:organization_invite", args=[member.organization_id])
    response = client.post(url, {"contacts": "Jonas Weber <jonas@germany.example>", "action": "send"})
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.kind == "colleague" and invitation.organization == member.organization
    assert client.get(reverse("members:organization_invite", args=[other.pk])).status_code == 403
    assert client.get(reverse("members:invitations")).status_code == 403
    # They may resend and revoke their own colleague invitations.
    assert client.post(reverse("members:invitation_revoke", args=[invitation.pk])).status_code == 302
    assert Invitation.objects.get().status == "revoked"
    org_page = client.get(reverse("members:organization", args=[member.organization_id])).content.decode()
    assert "Invite colleagues" in org_page


def test_list_filters_by_state_and_shows_reminders(client, secretariat, india):
    pending, _ = invite(by=secretariat, organization=india, email="a@india.example")
    expired, _ = invite(by=secretariat, organization=india, email="b@india.example")
    revoked, _ = invite(by=secretariat, organization=india, email="c@india.example")
    Invitation.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - datetime.timedelta(days=1))
    services.invitation_revoke(invitation=revoked, by=secretariat)
    client.force_login(secretariat)
    emails = {"pending": "a@india.example", "expired": "b@india.example", "revoked": "c@india.example"}
    for state, email in emails.items():
        page = client.get(reverse("members:invitations"), {"state": state}).content.decode()
        shown = {e for e in emails.values() if e in page}
        assert shown == {email}, state
    assert client.get(reverse("members:invitations"), {"state": "bogus"}).status_code == 200


def test_resend_from_the_list_kills_the_old_link(client, secretariat, india):
    invitation, old = invite(by=secretariat, organization=india)
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - datetime.timedelta(days=1))
    client.force_login(secretariat)
    response = client.post(reverse("members:invitation_resend", args=[invitation.pk]), follow=True)
    assert "A new link was sent" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.state == "pending" and invitation.expires_at > timezone.now() + datetime.timedelta(days=29)
    new = last_token_for(invitation.email)
    assert new != old and invitation.tokens.filter(replaced_at=None).count() == 1
    services.invitation_revoke(invitation=invitation, by=secretariat)
    response = client.post(reverse("members:invitation_resend", args=[invitation.pk]), follow=True)
    assert "cannot be resent" in response.content.decode()


def test_remind_all_pending_sends_once_a_day(client, secretariat, india):
    first, first_token = invite(by=secretariat, organization=india, email="a@india.example")
    invite(by=secretariat, organization=india, email="b@india.example")
    done, _ = invite(by=secretariat, organization=india, email="c@india.example")
    services.invitation_revoke(invitation=done, by=secretariat)
    client.force_login(secretariat)
    response = client.post(reverse("members:invitations_remind"), follow=True)
    assert "Reminder sent to 2 pending invitations" in response.content.decode()
    reminders = Message.objects.filter(kind="invitation-reminder")
    assert sorted(reminders.values_list("recipient_email", flat=True)) == ["a@india.example", "b@india.example"]
    response = client.post(reverse("members:invitations_remind"), follow=True)
    assert "No reminder sent" in response.content.decode() and reminders.count() == 2
    first.refresh_from_db()
    assert first.reminders_sent == 1
    # The reminder's link works, and so does the first one.
    reminder_token = token_in(delivered_body(reminders.get(recipient_email="a@india.example")))
    assert reminder_token != first_token
    for token in (reminder_token, first_token):
        assert client.get(reverse("members:invitation_public", args=[token])).status_code == 200


def test_remind_selected_invitations_only(client, secretariat, india):
    first, _ = invite(by=secretariat, organization=india, email="a@india.example")
    invite(by=secretariat, organization=india, email="b@india.example")
    client.force_login(secretariat)
    client.post(reverse("members:invitations_remind"), {"invitation": [first.pk]})
    assert list(Message.objects.filter(kind="invitation-reminder").values_list("recipient_email", flat=True)) == [
        "a@india.example"]


def test_invitation_list_queries_stay_flat(client, secretariat, django_assert_max_num_queries):
    inviters = [UserFactory(role="secretariat", organization=None) for _ in range(5)]
    for n in range(30):
        organization = OrganizationFactory(name=f"Embassy of Country {n}", status="invited", joined_on=None)
        for k in range(2):
            invite(by=inviters[(n + k) % 5], organization=organization, email=f"c{k}@country{n}.example")
    accepted = Invitation.objects.all()[:10]
    for invitation in accepted:
        Invitation.objects.filter(pk=invitation.pk).update(status="accepted", accepted_by=inviters[0])
    client.force_login(secretariat)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("members:invitations"))
    assert response.status_code == 200 and response.content.decode().count("data-invitation=") == 50


def test_admin_lists_invitations(client, secretariat, india):
    from members.models import User

    invite(by=secretariat, organization=india)
    admin = User.objects.create_superuser(email="admin@wgportal.example", password="x-long-admin-pass")
    client.force_login(admin)
    assert client.get(reverse("admin:members_invitation_changelist")).status_code == 200
    invitation = Invitation.objects.get()
    page = client.get(reverse("admin:members_invitation_change", args=[invitation.pk]))
    assert page.status_code == 200 and invitation.tokens.get().token_hash[:12] in page.content.decode()


def test_organization_page_with_many_invitations_keeps_its_queries(client, secretariat, india,
                                                                   django_assert_max_num_queries):
    inviters = [UserFactory(role="secretariat", organization=None) for _ in range(5)]
    for n in range(25):
        invite(by=inviters[n % 5], organization=india, email=f"contact{n}@india.example")
    client.force_login(secretariat)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("members:organization", args=[india.pk]))
    page = response.content.decode()
    assert page.count("@india.example</span>") == 20 and "Resend" in page
