"""In the browser: the secretariat is made to set up two-factor sign-in, sees their
sessions, and reads the audit trail of an organization."""

import time

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core.management import call_command

from tests.fixtures.browser import sign_in

pytestmark = pytest.mark.browser
PASSWORD = "demo-pass-2007"


def _code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def test_secretariat_sets_up_two_factor_then_reads_sessions_and_audit_trail(page, transactional_db, settings):
    settings.MFA_REQUIRED = True
    call_command("seed_demo", "--password", PASSWORD)
    sign_in(page, "secretariat@wgportal.example", PASSWORD)

    # Sent to the two-factor page, told why.
    page.goto("/members/")
    assert "/accounts/2fa/" in page.url
    assert page.get_by_text("asks for a second factor").is_visible()

    page.get_by_role("link", name="Activate").first.click()
    if "/reauthenticate/" in page.url:
        page.locator("input[type=password]").fill(PASSWORD)
        page.get_by_role("button", name="Confirm").click()
    secret = page.locator("#authenticator_secret").input_value()
    page.get_by_label("Authenticator code").fill(_code(secret))
    page.get_by_role("button", name="Activate").click()
    page.wait_for_url(lambda url: "/totp/activate/" not in url)

    # Every page opens now.
    page.goto("/members/")
    assert page.get_by_role("heading", level=1).is_visible() and "/accounts/2fa/" not in page.url

    page.locator("nav .dropdown-toggle").click()
    page.get_by_role("link", name="Your sessions").click()
    assert "/accounts/sessions/" in page.url
    assert page.locator("table, ul, .list-group").first.is_visible()

    # An organization's history, from its page.
    page.goto("/members/")
    page.get_by_placeholder("Search by name, acronym or country").fill("Australia")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="Australia").first.click()
    page.get_by_role("link", name="History").click()
    assert "/audit/" in page.url
    assert page.get_by_role("heading", name="Audit trail").is_visible()
    assert page.locator("[data-entry]").count() >= 1
