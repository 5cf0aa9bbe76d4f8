"""The dashboard of each role: what it shows (only what the person can act on) and a
number of queries that does not grow with the data."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from briefings.models import Download
from briefings.services import circulations as circulation_services
from meetings import services as meeting_services
from meetings.models import CalendarFeed, Meeting
from members import services as member_services
from tests.briefings.factories import DocumentFactory
from tests.meetings.factories import ActionItemFactory, MeetingFactory, in_days
from tests.members.factories import OrganizationFactory, UserFactory
from tests.members.invitation_helpers import invite
from tests.notifications.factories import MailingFactory, MessageFactory

pytestmark = pytest.mark.django_db


def _add_rows(n: int, *, member, cochair, secretariat, start: int = 0):
    """``n`` more of everything each dashboard lists."""
    for i in range(start, start + n):
        org = OrganizationFactory(name=f"Embassy {i}")
        UserFactory(email=f"person{i}@embassy.example", organization=org)
        OrganizationFactory(name=f"Silent embassy {i}")  # an active member with nobody to write to
        invitation, _ = invite(by=secretariat, email=f"contact{i}@new.example", organization=OrganizationFactory(
            name=f"Invited {i}", status="invited", joined_on=None))
        invitation.expires_at = timezone.now() + datetime.timedelta(days=3)
        invitation.save(update_fields=["expires_at"])
        joined, _ = invite(by=secretariat, email=f"joined{i}@new.example", organization=OrganizationFactory(
            name=f"Joined {i}", status="invited", joined_on=None))
        member_services.invitation_accept(invitation_id=joined.pk, user=UserFactory.build(
            email=f"joined{i}@new.example", organization=None))
        MeetingFactory(title=f"Draft {i}", status=Meeting.Status.DRAFT)
        MeetingFactory(title=f"Upcoming {i}", start=in_days(30 + i), end=in_days(30 + i, 12))
        ActionItemFactory(owner=member.organization, description=f"Germany's item {i}")
        ActionItemFactory(owner=org, description=f"Another organization's item {i}")
        mailing = MailingFactory(created_by=cochair, subject=f"Failed mailing {i}")
        MessageFactory.create_batch(2, mailing=mailing, status="failed")
        document = DocumentFactory(title=f"Circulated report {i}")
        circulation_services.circulation_create(by=cochair, documents=[document], subject=f"Report {i}")
        if i % 2:
            Download.objects.create(document=document, user=member)


@pytest.fixture
def busy(member, cochair, secretariat):
    next_meeting = MeetingFactory(title="Next meeting", start=in_days(5), end=in_days(5, 12))
    CalendarFeed.objects.create(user=member)
    _add_rows(3, member=member, cochair=cochair, secretariat=secretariat)
    meeting_services.rsvps_send(meeting=next_meeting, by=cochair)
    meeting_services.reply_set_for_user(meeting=next_meeting, user=cochair, response="accepted")
    return {"next_meeting": next_meeting, "more": lambda n: _add_rows(
        n, member=member, cochair=cochair, secretariat=secretariat, start=100)}


def _queries(client, user=None) -> tuple[int, str]:
    if user is not None:
        client.force_login(user)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    return len(captured), response.content.decode()


def test_cochair_sees_the_next_meeting_replies_drafts_failed_mailings(client, cochair, busy):
    _, page = _queries(client, cochair)
    assert 'data-role="cochair"' in page and "New meeting" in page
    assert 'id="replies-totals"' in page and "<strong>1</strong> reply received" in page
    assert "Draft 0" in page and "Failed mailing 2" in page
    assert "Meetings awaiting your reply" not in page and "Member organizations with no contact" not in page


def test_send_to_new_invitees_says_how_many_after_a_member_joins(client, cochair, secretariat, busy):
    _, page = _queries(client, cochair)
    assert 'id="send-new-invitees"' not in page
    invitation, _ = invite(by=secretariat, email="late@new.example", organization=OrganizationFactory(
        name="Late joiner", status="invited", joined_on=None))
    # Accepting sends the newcomer the invitation at once; a colleague added by hand is still to invite.
    member_services.invitation_accept(invitation_id=invitation.pk, user=UserFactory.build(
        email="late@new.example", organization=None))
    UserFactory(email="added@new.example", organization=invitation.organization)
    _, page = _queries(client)
    assert "Send to 1 new invitee<" in page


def test_secretariat_sees_invitations_organizations_without_contact_failed_mailings_joins(
        client, secretariat, busy):
    _, page = _queries(client, secretariat)
    assert 'data-role="secretariat"' in page
    assert 'id="invitations-pending">3<' in page and "expiring within a week" in page
    assert 'id="without-contact">' in page and "Silent embassy 0" in page and "add a contact" in page
    assert "Joined in the last 30 days" in page and "Joined 2" in page
    assert "Failed mailing 0" in page
    assert "Drafts not yet scheduled" not in page


def test_member_sees_unopened_documents_replies_awaited_own_actions_and_feed(client, member, busy):
    _, page = _queries(client, member)
    assert 'data-role="member"' in page
    unopened = page[page.index('id="unopened-heading"'):].split("</section>")[0]
    assert "Circulated report 2" in unopened and "Circulated report 0" in unopened
    assert "Circulated report 1" not in unopened  # opened already
    awaiting = page[page.index('id="awaiting-heading"'):].split("</section>")[0]
    assert ". Next meeting</a>" in awaiting and "All upcoming meetings" in awaiting
    assert "Germany&#x27;s item 0" in page and "Another organization&#x27;s item" not in page
    assert "/meetings/calendar/" in page and ".ics" in page
    # Nothing of the coordinators' work, and no failed mailings (the member follows none).
    assert "Failed mailing" not in page and "Drafts not yet scheduled" not in page and "New meeting" not in page


def test_a_member_with_nothing_to_do_sees_no_placeholders(client, db):
    lonely = UserFactory(email="alone@example.org", organization=OrganizationFactory(name="Alone"))
    _, page = _queries(client, lonely)
    assert "Meetings awaiting your reply" not in page and "Circulated to you, not opened" not in page
    assert "Open action items of" not in page
    assert "Get your calendar address" in page  # an action, not a placeholder


@pytest.mark.parametrize("role", ["cochair", "secretariat", "member"])
def test_dashboard_queries_do_not_grow_with_the_data(client, role, request, busy, django_assert_max_num_queries):
    user = request.getfixturevalue(role)
    _queries(client, user)  # signed in, and the first request's one-off work done
    # Shared panels are cached; both counts are taken with the caches cold, the worst case.
    cache.clear()
    few, _ = _queries(client)
    busy["more"](12)
    cache.clear()
    with django_assert_max_num_queries(few):
        many, _ = _queries(client)
    assert many == few and few <= 30, (role, few, many)


def test_cochair_counts_open_overlaps_in_their_own_panels_once(client, cochair):
    from tests.coordination.factories import make_project

    make_project(organization=OrganizationFactory(name="Embassy of Norway"))
    make_project(organization=OrganizationFactory(name="Embassy of Sweden"))
    _, page = _queries(client, cochair)
    own = page[page.index('class="mb-4 dashboard-own"'):].split('<h2 class="h5 mb-3">The group</h2>')[0]
    assert 'id="open-overlaps">1<' in own and page.count('id="open-overlaps"') == 1
