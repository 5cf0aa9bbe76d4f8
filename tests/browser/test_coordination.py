"""A member registers a public-awareness campaign in Mombasa for 2007, is warned about the ABA's
campaign before anything is saved, and marks it complementary."""

import pytest
from django.core.management import call_command

from coordination.models import Project, ProjectPair
from tests.fixtures.browser import sign_in

pytestmark = pytest.mark.browser

PASSWORD = "demo-pass-2007"


def test_member_sees_the_aba_campaign_before_saving_and_marks_it_complementary(page, transactional_db):
    call_command("seed_demo", "--password", PASSWORD)
    before = Project.objects.count()
    sign_in(page, "member@germany.example", PASSWORD)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Coordination").click()
    page.get_by_role("link", name="Register a project").click()
    page.locator("input[name=title]").fill("Public awareness campaign against trafficking on the coast")
    page.locator("select[name=activity_type]").select_option("prevention")
    page.locator("select[name=locations]").select_option("KE-28")
    page.get_by_label("General public").check()
    page.locator("input[name=planned_start]").fill("2007-01-01")
    page.locator("input[name=planned_end]").fill("2007-12-31")
    page.get_by_role("button", name="Save", exact=True).click()

    warnings = page.locator("#overlap-warnings")
    warnings.wait_for()
    assert "nothing is saved yet" in warnings.inner_text()
    aba = page.locator(".overlap-warning", has_text="Public awareness campaign on trafficking in persons")
    assert aba.is_visible()
    assert "American Bar Association" in aba.inner_text() and "Robert Hale" in aba.inner_text()
    assert "both in Mombasa County" in aba.inner_text()
    assert "120,000" not in warnings.inner_text()
    assert Project.objects.count() == before  # nothing saved before deciding

    for card in page.locator(".overlap-warning").all():
        card.locator("select[name$=-decision]").select_option("complementary")
        card.locator("textarea[name$=-note]").fill("We reach schools inland; materials shared.")
    page.get_by_role("button", name="Save with these decisions").click()

    page.wait_for_url("**/coordination/projects/*/")
    heading = page.get_by_role("heading", level=1).inner_text()
    assert heading == "Public awareness campaign against trafficking on the coast"
    assert page.locator(".pair", has_text="Public awareness campaign on trafficking in persons") \
        .locator(".decision").inner_text().startswith("Complementary")
    new = Project.objects.get(title="Public awareness campaign against trafficking on the coast")
    aba_project = Project.objects.get(title="Public awareness campaign on trafficking in persons")
    pair = ProjectPair.objects.get(project_a=aba_project, project_b=new)  # the older project comes first
    assert pair.decision == "complementary" and not pair.is_open and pair.decided_by.email == "member@germany.example"
