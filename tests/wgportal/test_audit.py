"""The audit trail: who changed what and when, before and after; read by the secretariat."""

import datetime

from auditlog.models import LogEntry
from django.urls import reverse

from members.models import Organization
from tests.briefings.factories import BriefingFactory, DocumentFactory
from tests.meetings.factories import MeetingFactory
from tests.members.factories import OrganizationFactory, UserFactory


def test_status_change_through_the_portal_is_recorded_with_who_and_before_after(client, secretariat):
    org = OrganizationFactory(name="High Commission of Pakistan", status="invited", joined_on=None)
    client.force_login(secretariat)
    client.post(reverse("members:organization_status", args=[org.pk]),
                {"status": "active", "changed_on": "2007-03-01", "note": "joined"})
    entry = LogEntry.objects.get_for_object(org).filter(action=LogEntry.Action.UPDATE).latest("timestamp")
    assert entry.actor == secretariat
    assert entry.changes_dict["status"] == ["invited", "active"]

    page = client.get(reverse("audit_log"), {"type": "members.organization", "object": org.pk})
    html = page.content.decode()
    assert page.status_code == 200
    assert "High Commission of Pakistan" in html and "Invited" in html and "Active member" in html
    assert secretariat.email in html


def test_audited_changes_of_each_kind(db, member):
    org = OrganizationFactory(name="IOM", is_cochair=False)
    org.is_cochair = True
    org.save()
    member.role = "secretariat"
    member.organization = org
    member.save()
    meeting = MeetingFactory()
    meeting.status = "cancelled"
    meeting.save()
    document = DocumentFactory()
    document.access_level = "cochairs"
    document.save()
    briefing = BriefingFactory()
    briefing.presenter = org
    briefing.save()
    changed = {
        entry.content_type.model: entry.changes_dict
        for entry in LogEntry.objects.filter(action=LogEntry.Action.UPDATE)
    }
    assert changed["organization"]["is_cochair"] == ["False", "True"]
    assert changed["user"]["role"] == ["member", "secretariat"]
    assert changed["meeting"]["status"][1] == "cancelled"
    assert changed["document"]["access_level"][1] == "cochairs"
    assert changed["briefing"]["presenter"][1] == str(org.pk)


def test_password_is_never_in_the_trail(db, member):
    member.set_password("another long passphrase 77")
    member.save()
    assert not LogEntry.objects.filter(changes_text__icontains="pbkdf2").exists()
    assert all("password" not in (entry.changes_dict or {}) for entry in LogEntry.objects.all())


def test_audit_page_filters_by_person_and_date(client, secretariat, cochair):
    org = OrganizationFactory(name="Embassy of Norway")
    client.force_login(cochair)
    client.post(reverse("members:organization_status", args=[org.pk]),
                {"status": "observer", "changed_on": "2007-03-01"})
    client.force_login(secretariat)
    mine = client.get(reverse("audit_log"), {"person": cochair.pk})
    assert "Embassy of Norway" in mine.content.decode()
    others = client.get(reverse("audit_log"), {"person": secretariat.pk, "type": "members.organization"})
    assert "Embassy of Norway" not in others.content.decode()
    tomorrow = (datetime.date.today() + datetime.timedelta(days=2)).isoformat()
    later = client.get(reverse("audit_log"), {"date_from": tomorrow})
    assert "Embassy of Norway" not in later.content.decode()
    bad = client.get(reverse("audit_log"), {"object": "9" * 30, "date_from": "yesterday", "person": "x"})
    assert bad.status_code == 200


def test_audit_page_is_for_the_secretariat(client, member, cochair, outsider):
    assert client.get(reverse("audit_log")).status_code == 302
    for user in (member, cochair):
        client.force_login(user)
        assert client.get(reverse("audit_log")).status_code == 403
    client.force_login(outsider)
    assert client.get(reverse("audit_log")).status_code == 403


def test_organization_page_links_to_its_history(client, secretariat, member):
    org = OrganizationFactory(name="Global Child", kind="ngo", status="partner")
    client.force_login(secretariat)
    link = f'{reverse("audit_log")}?type=members.organization&amp;object={org.pk}'
    assert link in client.get(reverse("members:organization", args=[org.pk])).content.decode()
    client.force_login(member)
    assert link not in client.get(reverse("members:organization", args=[org.pk])).content.decode()


def test_audit_page_queries_stay_flat(client, secretariat, django_assert_max_num_queries):
    orgs = [OrganizationFactory(name=f"Embassy number {n}") for n in range(30)]
    people = [UserFactory(organization=orgs[n]) for n in range(30)]
    for n, person in enumerate(people):
        person.organization = orgs[(n + 1) % 30]
        person.save()
    for org in orgs:
        org.status = Organization.Status.OBSERVER
        org.save()
    client.force_login(secretariat)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("audit_log"))
    assert response.status_code == 200
    assert response.content.decode().count("data-entry=") == 50
