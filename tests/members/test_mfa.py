"""Two-factor sign-in (allauth.mfa): required of co-chairs, the secretariat and staff
when MFA_REQUIRED is on; optional for members."""

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY, format_hotp_value, hotp_value
from django.core.cache import cache
from django.urls import reverse

from members.mfa import mfa_missing_for


def _code(secret: str) -> str:
    import time

    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def _sign_in(client, email, password):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def _reauthenticate(client, password):
    """allauth asks for the password again before security settings change."""
    response = client.post(reverse("account_reauthenticate"), {"password": password})
    assert response.status_code == 302, response.content.decode()[:2000]


def _activate_totp(client, password) -> tuple[str, list[str]]:
    """Set up an authenticator app as a person would: open the page, type the code."""
    _reauthenticate(client, password)
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    secret = client.session[SECRET_SESSION_KEY]
    response = client.post(reverse("mfa_activate_totp"), {"code": _code(secret)})
    assert response.status_code == 302, response.content.decode()[:2000]
    codes = Authenticator.objects.get(type=Authenticator.Type.RECOVERY_CODES).wrap().get_unused_codes()
    return secret, codes


@pytest.fixture
def mfa_required(settings):
    settings.MFA_REQUIRED = True


def test_totp_set_up_then_asked_at_next_sign_in_and_recovery_code_works_once(client, cochair, password, mfa_required):
    assert _sign_in(client, cochair.email, password).status_code == 302
    secret, recovery_codes = _activate_totp(client, password)
    assert Authenticator.objects.filter(user=cochair, type=Authenticator.Type.TOTP).exists()
    assert len(recovery_codes) >= 10
    client.post(reverse("account_logout"))

    # The password alone no longer signs in: the portal asks for a code.
    response = _sign_in(client, cochair.email, password)
    assert response["Location"] == reverse("mfa_authenticate")
    assert client.get(reverse("dashboard")).status_code == 302  # not signed in yet
    cache.clear()  # the activation code's time step may be the same: allauth refuses a code used twice
    response = client.post(reverse("mfa_authenticate"), {"code": _code(secret)})
    assert response.status_code == 302
    assert client.get(reverse("dashboard")).status_code == 200
    client.post(reverse("account_logout"))

    # A recovery code stands in for the app, once.
    _sign_in(client, cochair.email, password)
    assert client.post(reverse("mfa_authenticate"), {"code": recovery_codes[0]}).status_code == 302
    assert client.get(reverse("dashboard")).status_code == 200
    client.post(reverse("account_logout"))
    _sign_in(client, cochair.email, password)
    refused = client.post(reverse("mfa_authenticate"), {"code": recovery_codes[0]})
    assert refused.status_code == 200 and "Incorrect code" in refused.content.decode()
    assert client.get(reverse("dashboard")).status_code == 302


def test_cochair_without_two_factor_is_sent_to_set_it_up(client, cochair, mfa_required):
    client.force_login(cochair)
    response = client.get(reverse("meetings:create"))
    assert response.status_code == 302 and response["Location"] == reverse("mfa_index")
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "asks for a second factor" in page.content.decode()
    # Their own account pages stay open (to set it up, or to leave).
    assert client.get(reverse("mfa_activate_totp")).status_code in {200, 302}
    assert client.get(reverse("usersessions_list")).status_code == 200


@pytest.mark.parametrize("who", ["secretariat", "staff"])
def test_secretariat_and_staff_without_two_factor_are_sent_to_set_it_up(client, secretariat, member, who,
                                                                         mfa_required):
    user = secretariat
    if who == "staff":
        member.is_staff = True
        member.save()
        user = member
    client.force_login(user)
    assert client.get(reverse("dashboard"))["Location"] == reverse("mfa_index")
    assert client.get("/admin/")["Location"] == reverse("mfa_index")


def test_cochair_with_two_factor_reaches_coordinator_pages(client, cochair, password, mfa_required):
    _sign_in(client, cochair.email, password)
    _activate_totp(client, password)
    assert not mfa_missing_for(cochair)
    assert client.get(reverse("meetings:create")).status_code == 200


def test_members_are_not_made_to_use_two_factor(client, member, mfa_required):
    client.force_login(member)
    assert client.get(reverse("dashboard")).status_code == 200


def test_two_factor_not_required_when_setting_is_off(client, cochair, settings):
    settings.MFA_REQUIRED = False
    client.force_login(cochair)
    assert client.get(reverse("meetings:create")).status_code == 200


def test_security_key_page_opens_under_the_content_security_policy(client, member, password):
    """Passkeys and security keys (WebAuthn) are offered; allauth's scripts are files, not inline."""
    _sign_in(client, member.email, password)
    _reauthenticate(client, password)
    response = client.get(reverse("mfa_add_webauthn"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "script-src 'self'" in response["Content-Security-Policy"]
    import re

    for script in re.findall(r"<script(?P<attrs>[^>]*)>(?P<body>.*?)</script>", html, flags=re.S):
        attrs, body = script
        assert "src=" in attrs or "application/json" in attrs, attrs


def test_authenticator_secret_is_encrypted_at_rest(client, member, password):
    _sign_in(client, member.email, password)
    secret, _ = _activate_totp(client, password)
    stored = Authenticator.objects.get(user=member, type=Authenticator.Type.TOTP).data["secret"]
    assert secret not in stored and stored.startswith("fernet:")


def test_secret_sealed_under_another_key_verifies_nothing(settings):
    from members.mfa import MFAAdapter

    sealed = MFAAdapter().encrypt("JBSWY3DPEHPK3PXP")
    settings.SECRET_KEY = "another-" + "k3yQ9z" * 10
    assert MFAAdapter().decrypt(sealed) not in {"", "JBSWY3DPEHPK3PXP"}
