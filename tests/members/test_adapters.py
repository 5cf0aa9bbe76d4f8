import pytest
from django.urls import reverse

from members.models import User


def test_sign_in_by_email(client, member, password):
    response = client.post(reverse("account_login"), {"login": "Member@Germany.example", "password": password})
    assert response.status_code == 302 and response["Location"] == reverse("dashboard")
    assert client.get(reverse("dashboard")).status_code == 200


def test_wrong_password_shows_an_error(client, member):
    response = client.post(reverse("account_login"), {"login": member.email, "password": "nope"})
    assert response.status_code == 200
    assert "not correct" in response.content.decode()


def test_public_signup_is_refused(client, db):
    response = client.get(reverse("account_signup"))
    assert "Sign-up is by invitation" in response.content.decode()
    client.post(reverse("account_signup"),
                {"email": "x@example.org", "password1": "Zq8!long-pass", "password2": "Zq8!long-pass"})
    assert not User.objects.filter(email="x@example.org").exists()


def test_password_reset_sends_an_email(client, member, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_reset_password"), {"email": member.email})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [member.email]
    assert "/accounts/password/reset/key/" in mailoutbox[0].body


def test_password_reset_email_goes_through_the_outbox(client, member, django_capture_on_commit_callbacks):
    from notifications.models import Message

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": member.email})
    row = Message.objects.get()
    assert row.recipient_email == member.email and row.status == "sent"


def test_sign_out_is_a_post(client, member):
    client.force_login(member)
    client.post(reverse("account_logout"))
    assert client.get(reverse("dashboard")).status_code == 302


@pytest.mark.parametrize("path", ["/members/", "/", "/admin/"])
def test_anonymous_is_sent_to_sign_in(client, db, path):
    response = client.get(path)
    assert response.status_code == 302 and "login" in response["Location"]
