"""A member signs in, looks up UNICEF in the directory, and signs out."""

import pytest
from django.core.management import call_command

from tests.fixtures.browser import sign_in

pytestmark = pytest.mark.browser


def test_member_finds_unicef_in_the_directory(page, transactional_db):
    call_command("seed_demo", "--password", "demo-pass-2007")
    sign_in(page, "member@germany.example", "demo-pass-2007")
    assert page.get_by_text("member missions").is_visible()

    page.get_by_role("link", name="Directory").click()
    page.get_by_placeholder("Search by name, acronym or country").fill("UNICEF")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="United Nations Children's Fund").click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("United Nations Children's Fund")
    assert page.get_by_text("cochair@unicef.example").is_visible()

    page.locator("nav .dropdown-toggle").click()
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/accounts/login/")
    page.goto("/members/")
    assert "/accounts/login/" in page.url
