"""The secretariat invites the Embassy of India; its contact accepts from the emailed link."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from members.models import Invitation, Organization, User
from tests.fixtures.browser import sign_in
from tests.members.invitation_helpers import LINK

pytestmark = pytest.mark.browser

PASSWORD = "Zq8!a-long-new-password"


def test_secretariat_invites_india_and_the_contact_joins(page, browser, live_server, mailoutbox, transactional_db):
    call_command("seed_demo", "--password", "demo-pass-2007")
    sign_in(page, "secretariat@wgportal.example", "demo-pass-2007")

    page.get_by_role("link", name="Invitations").click()
    page.get_by_role("link", name="Invite an organization").first.click()
    page.get_by_label("Name", exact=True).fill("Embassy of India")
    page.get_by_label("Kind").select_option("mission")
    page.get_by_label("Country").fill("India")
    page.get_by_label("Contacts").fill("Anjali Sharma <anjali.sharma@india.example>")
    page.get_by_label("Personal message").fill("We would value India's experience of prosecuting traffickers.")
    page.get_by_role("button", name="Preview the email").click()
    preview = page.locator("#email-preview")
    assert "Dear Anjali Sharma" in preview.inner_text()
    assert "prosecuting traffickers" in preview.inner_text()
    assert not mailoutbox  # the preview sends nothing

    page.get_by_role("button", name="Send invitation").click()
    page.wait_for_url("**/members/invitations/?sent=*")
    row = page.locator("tr[data-invitation='anjali.sharma@india.example']")
    expect(row).to_contain_text("Pending")
    expect(row).to_contain_text("Embassy of India")

    # The contact opens the link from the email they received, in their own browser.
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["Anjali Sharma <anjali.sharma@india.example>"]
    link = LINK.search(mailoutbox[0].body).group(0)
    assert link.startswith(live_server.url)
    contact = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844})
    contact.set_default_timeout(15000)
    invitee = contact.new_page()
    try:
        invitee.goto(link)
        assert "Embassy of India is invited" in invitee.get_by_role("heading", level=1).inner_text()
        expect(invitee.get_by_text("prosecuting traffickers")).to_be_visible()
        invitee.get_by_role("button", name="Accept").click()
        invitee.wait_for_url("**/accounts/signup/")
        assert invitee.get_by_label("Email").input_value() == "anjali.sharma@india.example"
        invitee.get_by_label("Full name").fill("Anjali Sharma")
        invitee.get_by_label("Job title").fill("Second Secretary")
        invitee.locator("#id_password1").fill(PASSWORD)
        invitee.locator("#id_password2").fill(PASSWORD)
        invitee.get_by_role("button", name="Create my account").click()
        invitee.wait_for_url(live_server.url + "/members/welcome/")
        expect(invitee.get_by_role("heading", level=1)).to_contain_text("Welcome to the")
        invitee.get_by_role("link", name="Go to your dashboard").click()
        invitee.wait_for_url(live_server.url + "/")
        expect(invitee.get_by_text("Members over time")).to_be_visible()
    finally:
        contact.close()

    india = Organization.objects.get(name="Embassy of India")
    assert User.objects.get(email="anjali.sharma@india.example").organization == india

    page.goto("/members/invitations/?state=accepted")
    row = page.locator("tr[data-invitation='anjali.sharma@india.example']")
    expect(row).to_contain_text("Accepted")
    expect(row).to_contain_text("Active member")
    page.get_by_role("link", name="Embassy of India").click()
    page.wait_for_url("**/members/organizations/*/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Embassy of India")
    expect(page.locator(".status-active").first).to_contain_text("Active member")
    expect(page.get_by_text("Accepted the invitation sent to anjali.sharma@india.example")).to_be_visible()
    assert Invitation.objects.get(email="anjali.sharma@india.example").status == "accepted"
