"""Composing the members app's messages: nothing is written."""

from members import emails
from members.models import Invitation, Organization
from notifications.models import Message


def test_invitation_email_composes_without_saving_anything(secretariat, settings):
    organization = Organization(name="Embassy of Lebanon", kind="mission")
    invitation = Invitation(organization=organization, email="rania@lebanon.example", full_name="Rania\n Haddad",
                            message="Welcome to the group", invited_by=secretariat)
    email = emails.invitation_email(invitation=invitation, link="http://testserver/members/join/abc/")
    assert email.to_email == "rania@lebanon.example" and email.to_name == "Rania Haddad"
    assert email.subject == f"Invitation to join the {settings.PORTAL_NAME}"
    assert "http://testserver/members/join/abc/" in email.text and "Welcome to the group" in email.text
    assert not Message.objects.exists() and organization.pk is None


def test_reminder_and_colleague_invitations_say_so(secretariat, settings):
    organization = Organization(name="Embassy of Lebanon", kind="mission")
    invitation = Invitation(organization=organization, kind=Invitation.Kind.COLLEAGUE, email="a@lebanon.example")
    email = emails.invitation_email(invitation=invitation, link="x", reminder=True, dedupe_key="k")
    assert email.subject == f"Reminder: Join your colleagues on the {settings.PORTAL_NAME} portal"
    assert email.dedupe_key == "k"


def test_a_notice_without_an_inviter_goes_to_the_secretariat(settings, db):
    organization = Organization(name="Embassy of Lebanon", kind="mission")
    invitation = Invitation(organization=organization, email="a@lebanon.example")
    email = emails.invitation_declined_notice(invitation=invitation, to=None)
    assert email.to_email == settings.SECRETARIAT_EMAIL and email.user_id is None
    assert "a@lebanon.example declined the invitation (Embassy of Lebanon)" == email.subject


def test_invitation_link_is_absolute():
    assert emails.invitation_link("abc") == "http://testserver/members/join/abc/"


def test_an_allauth_message_becomes_an_outbox_email_with_its_html():
    from django.core.mail import EmailMultiAlternatives

    rendered = EmailMultiAlternatives("Password reset", "Use this link", "portal@example.org", ["a@b.example"])
    rendered.attach_alternative("<p>Use this link</p>", "text/html")
    email = emails.account_email(rendered)
    assert (email.to_email, email.subject, email.text, email.html) == (
        "a@b.example", "Password reset", "Use this link", "<p>Use this link</p>")
    assert emails.account_email_kind("account/email/password_reset_key") == "account:password_reset_key"
