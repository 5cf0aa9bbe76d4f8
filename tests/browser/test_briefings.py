"""A member finds the child-sex-tourism study and downloads it; a co-chair circulates an article."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from briefings.models import Download
from tests.fixtures.browser import sign_in

pytestmark = pytest.mark.browser

PASSWORD = "demo-pass-2007"


def test_member_searches_opens_and_downloads_the_study(page, transactional_db):
    call_command("seed_demo", "--password", PASSWORD)
    sign_in(page, "member@germany.example", PASSWORD)

    search = page.get_by_placeholder("Search documents")
    search.fill("child sex tourism")
    search.press("Enter")
    page.wait_for_url("**/briefings/search/?q=child+sex+tourism")
    result = page.get_by_role(
        "link",
        name="The extent and effect of sex tourism and sexual exploitation of children on the Kenyan coast",
        exact=True,
    )
    assert page.locator(".search-snippet mark").first.is_visible()
    result.click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("The extent and effect of sex tourism")
    # The indexing state and the SHA-256 are internal: co-chairs see them, members do not.
    assert page.get_by_text("Indexed").count() == 0 and page.get_by_text("SHA-256").count() == 0

    with page.expect_download() as info:
        page.get_by_role("link", name="Download", exact=True).click()
    download = info.value
    assert download.suggested_filename == "child-sex-tourism-kenya-coast.pdf"
    with open(download.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"
    assert Download.objects.filter(user__email="member@germany.example").count() == 1


def test_cochair_circulates_an_article_and_sees_delivery_reach_100(page, transactional_db):
    call_command("seed_demo", "--password", PASSWORD)
    sign_in(page, "cochair@unicef.example", PASSWORD)
    page.goto("/briefings/documents/?kind=article")
    page.get_by_role("link", name="Survivor's account at the Mombasa TIP seminar", exact=True).click()
    page.get_by_role("link", name="Circulate").click()
    page.get_by_label("Subject").fill("Article: survivor's account in Mombasa")
    page.get_by_label("Message").fill("For Thursday's meeting.")
    page.get_by_role("button", name="Circulate").click()
    # The confirmation modal: how many people at how many organizations, then one button with that count.
    modal = page.locator("#confirm-modal")
    expect(modal.locator("#audience-count")).to_contain_text("organizations will receive the circulation")
    modal.get_by_role("button", name=re.compile(r"^Circulate to \d+ people$")).click()

    page.wait_for_url("**/briefings/circulations/*/")
    assert page.get_by_text("Circulation queued for").is_visible()
    box = page.locator(".mailing-progress")
    # A locator wait, not wait_for_function: the portal's CSP forbids evaluating strings (no unsafe-eval).
    expect(box).to_have_attribute("data-done", "true", timeout=30_000)
    assert box.locator("[data-bar=sent]").inner_text() == "100%"
    assert box.locator("[data-count=failed]").inner_text() == "0"
    assert int(box.locator("[data-count=sent]").inner_text()) >= 5
