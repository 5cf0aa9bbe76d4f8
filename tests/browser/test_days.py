"""Each role's day, walked through the interface at desktop and at phone width:
a co-chair prepares and sends a meeting and cancels another, a member replies and
reads what was circulated, the secretariat invites a new organization and
deactivates someone. On the phone no page visited scrolls sideways."""

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from briefings.models import Download
from briefings.services import circulations as circulation_services
from meetings.models import Meeting, Rsvp
from members.models import Invitation, User
from members.services.invitations import Contact, invitations_send
from tests.briefings.factories import DocumentFactory
from tests.fixtures.browser import sign_in
from tests.meetings.factories import MeetingFactory, in_days
from tests.members.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.browser

WIDTHS = {"desktop": 1280, "phone": 390}


@pytest.fixture(params=list(WIDTHS), ids=list(WIDTHS))
def width(request, page):
    page.set_viewport_size({"width": WIDTHS[request.param], "height": 900})
    return WIDTHS[request.param]


def fits(page, width):
    """On a phone, the page must not scroll sideways."""
    if width < 1000:
        assert page.evaluate("document.scrollingElement.scrollWidth") <= width, page.url


def nav(page, name):
    """Follow a link of the navigation bar, opening the collapsed menu on a phone first."""
    toggler = page.locator(".navbar-toggler")
    if toggler.is_visible():
        toggler.click()
    link = page.get_by_role("navigation", name="Main").get_by_role("link", name=name, exact=True)
    link.click()


def test_cochair_day(page, width, live_server, transactional_db, cochair, member, password):
    MeetingFactory(title="Anti-TIP projects", start=in_days(9), end=in_days(9, 12))
    doomed = MeetingFactory(title="Field visit to Malindi", start=in_days(30), end=in_days(30, 12))

    sign_in(page, cochair.email, password)
    page.goto("/")
    own = page.locator(".dashboard-own")
    expect(own.get_by_role("heading", name="For the co-chairs")).to_be_visible()
    expect(own.get_by_text("Anti-TIP projects")).to_be_visible()
    fits(page, width)

    own.get_by_role("link", name="New meeting").click()
    page.wait_for_url("**/meetings/new/")
    fits(page, width)
    day = (timezone.localtime() + datetime.timedelta(days=21)).strftime("%Y-%m-%d")
    page.get_by_label("Title").fill("Coordination of prevention campaigns")
    page.get_by_label("Start").fill(f"{day}T10:00")
    page.get_by_label("End").fill(f"{day}T12:00")
    page.get_by_label("Venue").fill("Embassy of Germany, Nairobi")
    page.get_by_role("button", name="Schedule").click()
    page.get_by_text("scheduled").first.wait_for()
    meeting = Meeting.objects.get(title="Coordination of prevention campaigns")
    fits(page, width)

    # Two items in a row: the panel stays open for the second.
    page.get_by_label("Title").fill("Campaigns planned for 2007")
    page.get_by_label("Minutes allotted").fill("30")
    page.get_by_role("button", name="Add item").click()
    page.get_by_text("added").first.wait_for()
    page.get_by_label("Title").fill("Shared materials")
    page.get_by_label("Minutes allotted").fill("20")
    page.get_by_role("button", name="Add item").click()
    page.get_by_text("50 of 120 minutes").wait_for()
    page.get_by_role("button", name="Move “Shared materials” up").click()
    first = page.locator("[data-agenda-item]").first
    first.filter(has_text="Shared materials").wait_for()
    assert list(meeting.agenda_items.order_by("order").values_list("title", flat=True)) == [
        "Shared materials", "Campaigns planned for 2007"]
    fits(page, width)

    page.get_by_role("link", name="Send invitations").click()
    modal = page.locator("#confirm-modal")
    expect(modal.locator("#audience-count")).to_contain_text("2 people at 2 organizations")
    fits(page, width)
    modal.get_by_role("button", name="Send the invitation to 2 people").click()
    page.wait_for_url(f"**/meetings/{meeting.pk}/")
    expect(page.get_by_text("2 invitations queued")).to_be_visible()
    expect(page.locator(".mailing-progress")).to_have_attribute("data-done", "true", timeout=30_000)
    assert "2 sent" in page.locator(".mailing-progress").inner_text()
    assert meeting.rsvps.exclude(sent_at=None).count() == 2
    fits(page, width)

    # Later in the day: the field visit is called off.
    page.goto(f"/meetings/{doomed.pk}/")
    page.get_by_role("button", name="Cancel meeting").click()
    expect(modal).to_be_visible()
    modal.get_by_role("button", name="Cancel the meeting").click()
    page.wait_for_url(f"**/meetings/{doomed.pk}/")
    expect(page.locator(".alert-danger")).to_contain_text("Cancelled")
    fits(page, width)
    nav(page, "Meetings")
    page.wait_for_url("**/meetings/")
    expect(page.get_by_role("link", name=re.compile("Coordination of prevention campaigns"))).to_be_visible()
    assert page.get_by_text("Field visit to Malindi").count() == 0
    fits(page, width)
    doomed.refresh_from_db()
    assert doomed.status == Meeting.Status.CANCELLED


def test_member_day(page, width, live_server, transactional_db, cochair, member, password):
    meeting = MeetingFactory(title="Anti-TIP projects", start=in_days(9), end=in_days(9, 12))
    Rsvp.objects.create(meeting=meeting, user=member, email=member.email, organization=member.organization,
                        name=member.full_name, sent_at=timezone.now())
    document = DocumentFactory(title="Interim assessment of trafficking in Kenya")
    circulation_services.circulation_create(by=cochair, documents=[document], subject="Reading for the meeting")

    sign_in(page, member.email, password)
    page.goto("/")
    awaiting = page.locator("section[aria-labelledby=awaiting-heading]")
    expect(awaiting).to_contain_text("Anti-TIP projects")
    unopened = page.locator("section[aria-labelledby=unopened-heading]")
    expect(unopened).to_contain_text("Interim assessment of trafficking in Kenya")
    fits(page, width)

    awaiting.get_by_role("link", name="Reply").click()
    page.wait_for_url(f"**/meetings/{meeting.pk}/*")
    reply = page.locator("#reply")
    reply.get_by_text("Add a comment or name a substitute").click()
    reply.get_by_label("Comment").fill("I will come with our new attaché.")
    reply.get_by_role("button", name="Accept").click()
    expect(page.locator("#reply").get_by_role("button", name="Accept")).to_have_class(re.compile("btn-success"))
    rsvp = meeting.rsvps.get(user=member)
    assert rsvp.response == Rsvp.Response.ACCEPTED and rsvp.comment == "I will come with our new attaché."
    fits(page, width)

    page.goto("/")
    expect(page.locator("section[aria-labelledby=awaiting-heading]")).to_have_count(0)
    page.locator("section[aria-labelledby=unopened-heading]").get_by_role(
        "link", name="Interim assessment of trafficking in Kenya").click()
    page.wait_for_url(f"**/briefings/documents/{document.pk}/")
    fits(page, width)
    with page.expect_download() as info:
        page.get_by_role("link", name="Download", exact=True).click()
    with open(info.value.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"
    assert Download.objects.filter(user=member, document=document).exists()
    page.goto("/")
    expect(page.locator("section[aria-labelledby=unopened-heading]")).to_have_count(0)
    fits(page, width)

    page.goto("/members/profile/")
    page.get_by_label("Title", exact=True).fill("First Secretary, Development")
    page.get_by_label("Phone").fill("+254 20 426 2100")
    page.get_by_role("button", name="Save profile").click()
    page.wait_for_load_state()
    fits(page, width)
    member.refresh_from_db()
    assert member.title == "First Secretary, Development" and member.phone == "+254 20 426 2100"
    assert member.email == "member@germany.example" and member.is_active


def test_secretariat_day(page, width, live_server, transactional_db, secretariat, member, password):
    sweden = OrganizationFactory(name="Save the Children Sweden", kind="ngo")
    OrganizationFactory(name="Embassy of Finland")  # an active member with nobody to write to
    invitations_send(organization=sweden, contacts=[Contact(email="ingrid@sweden.example", full_name="Ingrid Larsson")],
                     message="", by=secretariat)
    soon = timezone.now() + datetime.timedelta(days=3)
    Invitation.objects.filter(email="ingrid@sweden.example").update(expires_at=soon)
    leaving = UserFactory(email="leaving@germany.example", full_name="Hans Leaving", organization=member.organization)
    mail.outbox.clear()

    sign_in(page, secretariat.email, password)
    page.goto("/")
    own = page.locator(".dashboard-own")
    expect(own.locator("#invitations-pending")).to_have_text("1")
    expect(own).to_contain_text("expiring within a week")
    expect(own).to_contain_text("Ingrid Larsson")
    expect(own.locator("section[aria-labelledby=nocontact-heading]")).to_contain_text("Embassy of Finland")
    fits(page, width)

    page.goto("/members/invitations/new/")
    fits(page, width)
    new_name = page.get_by_label("Name", exact=True)
    page.get_by_label("In the directory", exact=True).select_option(label="Embassy of Finland")
    expect(new_name).to_be_hidden()
    page.get_by_label("In the directory", exact=True).select_option(index=0)
    expect(new_name).to_be_visible()
    new_name.fill("Embassy of India")
    page.get_by_label("Kind").select_option("mission")
    page.get_by_label("Country").fill("India")
    page.get_by_label("Contacts").fill("Anjali Sharma <anjali.sharma@india.example>")
    page.get_by_role("button", name="Send invitation").click()
    page.wait_for_url("**/members/invitations/?sent=*")
    row = page.locator("tr[data-invitation='anjali.sharma@india.example']")
    expect(row).to_contain_text("Pending")
    expect(row).to_contain_text("Embassy of India")
    fits(page, width)
    assert [m.to for m in mail.outbox] == [["Anjali Sharma <anjali.sharma@india.example>"]]

    # From the organization's page to the person's page, and the confirmation modal.
    page.goto(f"/members/organizations/{member.organization.pk}/")
    fits(page, width)
    page.locator(".list-group-item", has_text="Hans Leaving").get_by_role("link", name="Edit").first.click()
    page.wait_for_url(f"**/members/people/{leaving.pk}/edit/")
    fits(page, width)
    page.get_by_role("button", name="Deactivate Hans Leaving").click()
    modal = page.locator("#confirm-modal")
    expect(modal).to_contain_text("their history stays")
    modal.get_by_role("button", name="Deactivate").click()
    page.wait_for_load_state()
    expect(page.get_by_text("deactivated").first).to_be_visible()
    fits(page, width)
    assert not User.objects.get(pk=leaving.pk).is_active
