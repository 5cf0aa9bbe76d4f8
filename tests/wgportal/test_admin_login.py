"""The Django admin signs people in through the portal's sign-in (finding 6)."""

from django.urls import reverse


def test_admin_login_form_does_not_take_passwords(client, member, password):
    """Before: /admin/login/ checked passwords itself, without allauth's rate limit."""
    member.is_staff = True
    member.save()
    response = client.post(reverse("admin:login"), {"username": member.email, "password": password})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert "_auth_user_id" not in client.session


def test_admin_sends_visitors_to_the_portal_sign_in_and_back(client, member, password):
    member.is_staff = True
    member.save()
    first = client.get("/admin/", follow=True)
    assert first.redirect_chain[-1][0].startswith(reverse("account_login"))
    signed_in = client.post(reverse("account_login") + "?next=/admin/", {"login": member.email, "password": password,
                                                                         "next": "/admin/"})
    assert signed_in["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_admin_refuses_signed_in_people_who_are_not_staff(client, secretariat):
    client.force_login(secretariat)
    assert client.get(reverse("admin:login") + "?next=/admin/").status_code == 403


def test_admin_login_keeps_next_inside_the_site(client, member):
    member.is_staff = True
    member.save()
    client.force_login(member)
    response = client.get(reverse("admin:login") + "?next=https://evil.example/")
    assert response["Location"] == reverse("admin:index")


def test_portal_sign_in_is_rate_limited(client, member):
    """Wrong passwords stop being checked after allauth's limit: what the admin now goes through."""
    refused = None
    for _ in range(25):
        response = client.post(reverse("account_login"), {"login": member.email, "password": "wrong password 123"})
        if response.status_code == 429 or "Too many failed login attempts" in response.content.decode():
            refused = response
            break
    assert refused is not None
