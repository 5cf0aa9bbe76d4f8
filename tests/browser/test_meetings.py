"""A co-chair schedules a meeting with two agenda items and sends the invitations;
a member opens the reply link from the email and accepts; the co-chair sees the reply."""

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from tests.fixtures.browser import sign_in

pytestmark = pytest.mark.browser


def test_cochair_schedules_member_accepts_from_the_email(page, browser, live_server, transactional_db, cochair, member,
                                                          password):
    sign_in(page, cochair.email, password)
    page.get_by_role("link", name="Meetings", exact=True).click()
    page.get_by_role("link", name="New meeting").click()
    day = (timezone.localtime() + datetime.timedelta(days=21)).strftime("%Y-%m-%d")
    page.get_by_label("Title").fill("Anti-TIP projects: who does what where")
    page.get_by_label("Start").fill(f"{day}T10:00")
    page.get_by_label("End").fill(f"{day}T12:00")
    page.get_by_label("Venue").fill("UNICEF Kenya Country Office, UN Gigiri complex")
    page.get_by_role("button", name="Schedule").click()
    page.get_by_text("Meeting 1 scheduled").wait_for()

    page.get_by_label("Title").fill("Status of the anti-TIP bill")
    page.get_by_label("Minutes allotted").fill("40")
    page.get_by_role("button", name="Add item").click()
    page.get_by_text("added").first.wait_for()
    # The panel stays open, its title focused, for the next item.
    assert page.evaluate("document.activeElement.name") == "title"
    page.get_by_label("Title").fill("Study of child sex tourism on the coast")
    page.get_by_role("button", name="Add item").click()
    page.get_by_text("55 of 120 minutes").wait_for()

    # Reordering happens in place: the page is not reloaded.
    page.evaluate("window.notReloaded = true")
    page.get_by_role("button", name="Move “Status of the anti-TIP bill” down").click()
    first = page.locator("[data-agenda-item]").first
    first.filter(has_text="Study of child sex tourism").wait_for()
    assert page.evaluate("window.notReloaded") is True
    assert first.locator("[data-agenda-number]").inner_text() == "1."

    page.get_by_role("link", name="Send invitations").click()
    modal = page.locator("#confirm-modal")
    expect(modal.locator("#audience-count")).to_contain_text("2 people at 2 organizations")  # before anything goes
    modal.get_by_role("button", name="Send the invitation to 2 people").click()
    page.get_by_text("2 invitations queued").wait_for()
    page.locator(".mailing-progress[data-done=true]").wait_for()
    assert "2 sent" in page.locator(".mailing-progress").inner_text()

    invitation = next(m for m in mail.outbox if member.email in m.to[0])
    assert "Status of the anti-TIP bill" in invitation.body
    link = re.search(r"Accept: (\S+)", invitation.body).group(1)
    assert link.startswith(live_server.url)

    # The member opens the link in their own browser, without signing in: one click records the reply.
    member_context = browser.new_context(base_url=live_server.url)
    member_page = member_context.new_page()
    member_page.goto(link)
    member_page.get_by_text("your reply is recorded as accepted").wait_for()
    assert member_page.get_by_role("heading", name="1. Anti-TIP projects: who does what where").is_visible()
    # Changing their mind later with the same email's link works too.
    member_page.get_by_role("button", name="Decline").click()
    member_page.get_by_text("your reply is recorded as declined").wait_for()
    member_page.get_by_role("button", name="Accept").click()
    member_page.get_by_text("your reply is recorded as accepted").wait_for()
    member_context.close()

    page.reload()
    replies = page.locator("#replies")
    assert "1 accepted" in replies.inner_text()
    member_row = replies.locator("li", has_text=member.full_name)
    assert "Accepted" in member_row.inner_text()
