"""Sessions: idle expiry, browser-close expiry without "remember me", the sessions page,
and a password change ending the person's other sessions."""

import time

from allauth.usersessions.models import UserSession
from django.test import Client
from django.urls import reverse

from wgportal.middleware import SessionIdleMiddleware


def _sign_in(client, user, password, **extra):
    response = client.post(reverse("account_login"), {"login": user.email, "password": password, **extra})
    assert response.status_code == 302
    return response


def test_session_without_remember_me_ends_with_the_browser(client, member, password):
    _sign_in(client, member, password)
    assert client.session.get_expire_at_browser_close()
    cookie = client.cookies["sessionid"]
    assert not cookie["max-age"] and not cookie["expires"]


def test_remember_me_keeps_the_session_for_the_idle_time(client, member, password, settings):
    _sign_in(client, member, password, remember="on")
    assert not client.session.get_expire_at_browser_close()
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE


def test_idle_time_is_eight_hours_by_default(settings):
    assert settings.SESSION_IDLE_HOURS == 8
    assert settings.SESSION_COOKIE_AGE == 8 * 3600


def test_idle_session_is_signed_out(client, member, password, settings):
    _sign_in(client, member, password, remember="on")
    session = client.session
    session[SessionIdleMiddleware.KEY] = int(time.time()) - settings.SESSION_COOKIE_AGE - 5
    session.save()
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
    assert "_auth_user_id" not in client.session


def test_active_session_moves_its_expiry_on(client, member, password, settings):
    _sign_in(client, member, password, remember="on")
    session = client.session
    session[SessionIdleMiddleware.KEY] = int(time.time()) - settings.SESSION_COOKIE_AGE + 120
    session.save()
    assert client.get(reverse("dashboard")).status_code == 200
    assert client.session[SessionIdleMiddleware.KEY] >= int(time.time()) - 5
    assert client.get(reverse("dashboard")).status_code == 200


def test_sessions_page_lists_sessions_and_ends_the_others(member, password):
    laptop, phone = Client(HTTP_USER_AGENT="Laptop browser"), Client(HTTP_USER_AGENT="Phone browser")
    _sign_in(laptop, member, password)
    _sign_in(phone, member, password)
    page = laptop.get(reverse("usersessions_list"))
    assert page.status_code == 200
    assert "Laptop browser" in page.content.decode() and "Phone browser" in page.content.decode()
    assert UserSession.objects.filter(user=member).count() == 2

    laptop.post(reverse("usersessions_list"))
    assert laptop.get(reverse("dashboard")).status_code == 200
    assert phone.get(reverse("dashboard")).status_code == 302
    assert UserSession.objects.filter(user=member).count() == 1


def test_password_change_ends_the_other_sessions(member, password):
    laptop, phone = Client(), Client()
    _sign_in(laptop, member, password)
    _sign_in(phone, member, password)
    new = "a quite different passphrase 1951"
    response = laptop.post(reverse("account_change_password"),
                           {"oldpassword": password, "password1": new, "password2": new})
    assert response.status_code == 302
    assert laptop.get(reverse("dashboard")).status_code == 200
    assert phone.get(reverse("dashboard")).status_code == 302


def test_sessions_page_needs_sign_in(client, db):
    response = client.get(reverse("usersessions_list"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
