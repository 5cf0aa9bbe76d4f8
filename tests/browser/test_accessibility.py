"""Every role's main pages, at desktop and phone widths: no serious or critical
axe-core violation, and nothing scrolls sideways on a 390 px phone.

axe-core comes bundled with axe-playwright-python (axe.min.js in the wheel):
the check runs offline, injected into the page under test.
"""

from __future__ import annotations

import pytest
from django.core.management import call_command

from tests.fixtures.browser import sign_in

pytestmark = pytest.mark.browser

PASSWORD = "demo-pass-2007"
WIDTHS = {"desktop": 1280, "phone": 390}
SIGN_INS = {
    "member": "member@germany.example",
    "cochair": "cochair@unicef.example",
    "secretariat": "secretariat@wgportal.example",
}


def _pages(role: str) -> list[str]:
    from briefings.models import Document
    from coordination.models import PolicyItem, Project
    from meetings.models import Meeting
    from members.models import Organization

    upcoming = Meeting.objects.filter(status="scheduled").order_by("start").first()
    held = Meeting.objects.filter(number=3).first()
    document = Document.objects.filter(access_level="members").order_by("title").first()
    pages = [
        "/", "/members/", f"/members/organizations/{Organization.objects.get(acronym='UNICEF').pk}/",
        "/meetings/", f"/meetings/{upcoming.pk}/", f"/meetings/{held.pk}/", "/meetings/actions/",
        "/briefings/", "/briefings/documents/", f"/briefings/documents/{document.pk}/",
        "/briefings/search/?q=trafficking",
        "/coordination/", f"/coordination/projects/{Project.objects.order_by('pk').first().pk}/",
        "/coordination/gaps/", "/coordination/notes/", "/coordination/policy/",
        f"/coordination/policy/{PolicyItem.objects.order_by('pk').first().pk}/",
        "/members/profile/",
    ]
    if role != "member":
        pages += ["/coordination/overlaps/"]
    if role == "secretariat":
        pages += ["/members/invitations/", "/members/invitations/new/"]
    if role == "cochair":
        pages += ["/meetings/new/", "/briefings/circulations/"]
    return pages


def _problems(page, url: str, width: int) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    response = page.goto(url)
    assert response.status == 200, f"{url}: {response.status}"
    page.wait_for_load_state("networkidle")
    found = []
    results = Axe().run(page)
    for violation in results.response["violations"]:
        if violation["impact"] in ("serious", "critical"):
            targets = ", ".join(str(node["target"]) for node in violation["nodes"][:4])
            found.append(f"{url} @{width}: {violation['id']} ({violation['impact']}) on {targets}")
    scroll = page.evaluate("document.scrollingElement.scrollWidth")
    if scroll > width:
        found.append(f"{url} @{width}: scrolls sideways ({scroll} px wide)")
    return found


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
@pytest.mark.parametrize("role", SIGN_INS)
def test_main_pages_have_no_serious_accessibility_problem(page, transactional_db, role, width):
    call_command("seed_demo", "--password", PASSWORD, verbosity=0)
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, SIGN_INS[role], PASSWORD)
    problems = []
    for url in _pages(role):
        problems += _problems(page, url, width)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_sign_in_page_has_no_serious_accessibility_problem(page, transactional_db, width):
    page.set_viewport_size({"width": width, "height": 900})
    assert not _problems(page, "/accounts/login/", width)
