"""A co-chair's day starts on their dashboard: the next meeting, and the invitations
sent only after the confirmation modal has said how many people will receive them."""

import pytest
from django.core import mail
from playwright.sync_api import expect

from meetings.models import Meeting
from tests.fixtures.browser import sign_in
from tests.meetings.factories import MeetingFactory, in_days
from tests.members.factories import OrganizationFactory

pytestmark = pytest.mark.browser


def test_cochair_dashboard_and_the_count_before_invitations_go(page, live_server, transactional_db, cochair, member,
                                                               secretariat, password):
    OrganizationFactory(name="Embassy of Austria")  # an active member with nobody to write to
    meeting = MeetingFactory(title="Anti-TIP projects", start=in_days(9), end=in_days(9, 12))
    MeetingFactory(title="Seventh meeting (draft)", status=Meeting.Status.DRAFT, start=in_days(60),
                   end=in_days(60, 12))
    sign_in(page, cochair.email, password)
    page.goto("/")
    own = page.locator(".dashboard-own")
    expect(own.get_by_role("heading", name="For the co-chairs")).to_be_visible()
    expect(own.get_by_role("link", name="New meeting")).to_be_visible()
    expect(own.get_by_text("Anti-TIP projects")).to_be_visible()
    expect(own.get_by_text("Seventh meeting (draft)")).to_be_visible()

    # The invitations, from the dashboard: the modal first says who receives them and who does not.
    own.get_by_role("link", name="Send the invitations").click()
    modal = page.locator("#confirm-modal")
    expect(modal).to_be_visible()
    expect(modal.locator("#audience-count")).to_contain_text("3 people at 2 organizations")
    expect(modal.locator(".unreached-organizations")).to_contain_text("Embassy of Austria")
    expect(modal.get_by_role("link", name="add a contact")).to_be_visible()
    # Going back sends nothing.
    modal.get_by_role("link", name="Back to the meeting").click()
    expect(modal).to_be_hidden()
    assert mail.outbox == [] and not meeting.rsvps.exists()

    own.get_by_role("link", name="Send the invitations").click()
    modal.get_by_role("button", name="Send the invitation to 3 people").click()
    page.wait_for_url(f"**/meetings/{meeting.pk}/")
    expect(page.get_by_text("3 invitations queued")).to_be_visible()
    expect(page.locator(".mailing-progress[data-done=true]")).to_be_attached(timeout=30_000)
    assert len(mail.outbox) == 3

    # A destructive action asks in the same modal; going back changes nothing.
    page.get_by_role("button", name="Cancel meeting").click()
    expect(modal).to_contain_text("Everyone invited receives a cancellation.")
    modal.get_by_role("button", name="Go back").click()
    expect(modal).to_be_hidden()
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.SCHEDULED

    # Back on the dashboard, the replies are counted by organization.
    page.goto("/")
    expect(page.locator("#replies-totals")).to_contain_text("0 replies received, 3 awaited")


def test_without_javascript_the_confirmation_is_a_page(browser, live_server, transactional_db, cochair, member,
                                                       password):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    context.set_default_timeout(15000)
    page = context.new_page()
    try:
        meeting = MeetingFactory(title="Anti-TIP projects", start=in_days(9), end=in_days(9, 12))
        sign_in(page, cochair.email, password)
        page.goto(f"/meetings/{meeting.pk}/")
        page.get_by_role("link", name="Send invitations").click()
        page.wait_for_url(f"**/meetings/{meeting.pk}/send/invitations/")
        expect(page.locator("#audience-count")).to_contain_text("2 people at 2 organizations")
        page.get_by_role("button", name="Send the invitation to 2 people").click()
        page.wait_for_url(f"**/meetings/{meeting.pk}/")
        expect(page.get_by_text("2 invitations queued")).to_be_visible()
    finally:
        context.close()
