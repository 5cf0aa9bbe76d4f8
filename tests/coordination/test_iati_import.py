"""The IATI import: preview first, then all or nothing; refused files import nothing."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from coordination import services
from coordination.iati import imports
from coordination.iati.imports import PlanChanged, import_apply, import_plan, plan_digest
from coordination.iati.reader import IatiFileError, read_activities
from coordination.models import Project, ProjectPair
from members.models import Organization, User
from tests.coordination.factories import make_project
from tests.members.factories import OrganizationFactory

REF = "XM-DAC-47066"


def activity(identifier=f"{REF}-1", *, ref=REF, title="Counter-trafficking in Mombasa", start="2007-01-01",
             end="2007-12-31", status="2", sectors=(("15180", "100"),), locations=("Mombasa County",),
             extra="", iso_start=None):
    title_xml = f"<title><narrative>{title}</narrative></title>"
    dates = (f'<activity-date type="1" iso-date="{iso_start or start}"/>' if start or iso_start else "") + (
        f'<activity-date type="3" iso-date="{end}"/>' if end else "")
    if not dates:
        dates = '<activity-date type="3" iso-date="2007-12-31"/>'
    sector_xml = "".join(f'<sector vocabulary="1" code="{c}" percentage="{p}"/>' for c, p in sectors)
    location_xml = "".join(f"<location><name><narrative>{n}</narrative></name></location>" for n in locations)
    return f"""
  <iati-activity xml:lang="en" default-currency="USD" last-updated-datetime="2007-03-01T00:00:00">
    <iati-identifier>{identifier}</iati-identifier>
    <reporting-org ref="{ref}" type="40"><narrative>IOM</narrative></reporting-org>
    {title_xml}
    <description><narrative>What it does.</narrative></description>
    <participating-org role="1" ref="NO-BRC-971277882"><narrative>Royal Norwegian Embassy</narrative>
    </participating-org>
    <participating-org role="4" ref="{ref}"><narrative>IOM</narrative></participating-org>
    <activity-status code="{status}"/>
    {dates}
    <recipient-country code="KE" percentage="100"/>
    {location_xml}
    {sector_xml}
    {extra}
  </iati-activity>"""


def iati_file(*activities: str, version="2.03") -> bytes:
    body = "".join(activities) or activity()
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<iati-activities version="{version}" '
            f'generated-datetime="2007-03-01T00:00:00">{body}\n</iati-activities>').encode()


@pytest.fixture
def iom(member):
    organization = member.organization
    organization.iati_identifier = REF
    organization.save()
    return organization


def upload(client, user, content: bytes, name="activities.xml", default_activity="training"):
    client.force_login(user)
    return client.post(reverse("coordination:iati_import"),
                       {"file": SimpleUploadedFile(name, content, "application/xml"),
                        "default_activity": default_activity})


def preview(client):
    response = client.get(reverse("coordination:iati_import_preview"))
    assert response.status_code == 200
    return response


def confirm(client, response):
    return client.post(reverse("coordination:iati_import_confirm"), {"digest": response.context["digest"]})


def test_preview_first_then_confirm_creates(client, member, iom):
    response = upload(client, member, iati_file(activity()))
    assert response.status_code == 302
    shown = preview(client)
    assert not Project.objects.exists(), "the preview saves nothing"
    assert [i.action for i in shown.context["items"]] == ["create"]
    assert "1 to create" in shown.content.decode()
    response = confirm(client, shown)
    assert response.status_code == 302
    project = Project.objects.get()
    assert (project.title, project.iati_identifier, project.reporting_organization) == (
        "Counter-trafficking in Mombasa", f"{REF}-1", iom)
    assert [loc.code for loc in project.locations.all()] == ["KE-28"]
    assert project.activity_type == "training"  # the default chosen on upload
    assert [p.display_name for p in project.funders] == ["Royal Norwegian Embassy"]
    assert project.implementers == []  # the reporting organization itself
    assert (project.planned_start, project.planned_end, project.status) == (date(2007, 1, 1), date(2007, 12, 31), 2)


def test_preview_says_what_is_skipped_and_why(client, member, iom):
    other = OrganizationFactory(iati_identifier="XM-DAC-41114")
    content = iati_file(
        activity(f"{REF}-1"),
        activity("XM-DAC-41114-7", ref=other.iati_identifier),
        activity(f"{REF}-2", title=""),
        activity(f"{REF}-3", sectors=(("15110", "100"),)),
        activity(f"{REF}-4", locations=("Kampala",)),
        activity(f"{REF}-5", start=None),
        activity("XX-UNKNOWN-1", ref="XX-UNKNOWN"),
    )
    upload(client, member, content)
    items = preview(client).context["items"]
    assert [i.action for i in items] == ["create"] + ["skip"] * 6
    reasons = [" ".join(i.reasons) for i in items[1:]]
    assert "is not yours" in reasons[0]
    assert "no title" in reasons[1]
    assert "15110" in reasons[2] and "not among the portal's DAC sectors" in reasons[2]
    assert "Kampala is not a Kenyan county" in reasons[3]
    assert "no planned or actual start date" in reasons[4]
    assert "no organization in the directory" in reasons[5]
    confirm(client, preview(client))
    assert list(Project.objects.values_list("iati_identifier", flat=True)) == [f"{REF}-1"]


def test_reimport_updates_by_identifier_and_says_what_changed(client, member, iom):
    upload(client, member, iati_file(activity()))
    confirm(client, preview(client))
    upload(client, member, iati_file(activity(title="Counter-trafficking on the coast", status="3")))
    items = preview(client).context["items"]
    assert [(i.action, i.changes) for i in items] == [("update", ["title", "status"])]
    confirm(client, preview(client))
    project = Project.objects.get()
    assert (project.title, project.status) == ("Counter-trafficking on the coast", 3)
    upload(client, member, iati_file(activity(title="Counter-trafficking on the coast", status="3")))
    assert [i.action for i in preview(client).context["items"]] == ["unchanged"]


def test_a_member_cannot_update_another_organizations_project(client, member, iom):
    other = OrganizationFactory()
    make_project(organization=other, iati_identifier=f"{REF}-9", title="Theirs")
    upload(client, member, iati_file(activity(f"{REF}-9")))
    item = preview(client).context["items"][0]
    assert item.action == "skip" and "another organization" in item.reasons[0]


def test_a_coordinator_imports_for_any_organization(client, cochair, iom):
    upload(client, cochair, iati_file(activity()))
    confirm(client, preview(client))
    assert Project.objects.get().reporting_organization == iom


def test_outsiders_cannot_import(client, outsider):
    response = upload(client, outsider, iati_file(activity()))
    assert response.status_code == 403
    assert not Project.objects.exists()


def test_import_refreshes_possible_duplicates(client, member, iom):
    aba = OrganizationFactory()
    make_project(organization=aba, title="ABA justice training", activity_type="training", locations=["KE-28"])
    upload(client, member, iati_file(activity()))
    confirm(client, preview(client))
    assert ProjectPair.objects.filter(is_current=True, is_open=True).count() == 1


def test_confirmation_applies_only_the_plan_that_was_shown(client, member, iom):
    upload(client, member, iati_file(activity()))
    preview(client)
    response = client.post(reverse("coordination:iati_import_confirm"), {"digest": "forged"})
    assert response.status_code == 302 and response["Location"] == reverse("coordination:iati_import_preview")
    assert not Project.objects.exists()


def test_confirmation_without_an_upload_imports_nothing(client, member):
    client.force_login(member)
    response = client.post(reverse("coordination:iati_import_confirm"), {"digest": "x"})
    assert response["Location"] == reverse("coordination:iati_import")
    assert not Project.objects.exists()


def test_a_failure_half_way_leaves_nothing_imported(member, iom, monkeypatch):
    records = read_activities(iati_file(activity(f"{REF}-1"), activity(f"{REF}-2")))
    digest = plan_digest(import_plan(records=records, user=member, default_activity="training"))
    real_save, calls = services.project_save, []

    def failing_save(**kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("database went away")
        return real_save(**kwargs)

    monkeypatch.setattr(imports.services, "project_save", failing_save)
    with pytest.raises(RuntimeError):
        import_apply(records=records, user=member, default_activity="training", expected_digest=digest)
    assert len(calls) == 2
    assert not Project.objects.exists()


def test_plan_changed_since_the_preview_is_refused(member, iom):
    records = read_activities(iati_file(activity()))
    digest = plan_digest(import_plan(records=records, user=member, default_activity="training"))
    make_project(organization=iom, iati_identifier=f"{REF}-1")  # someone created it meanwhile
    with pytest.raises(PlanChanged):
        import_apply(records=records, user=member, default_activity="training", expected_digest=digest)


XXE = b"""<?xml version="1.0"?>
<!DOCTYPE iati-activities [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<iati-activities version="2.03"><iati-activity><iati-identifier>&secret;</iati-identifier></iati-activity>
</iati-activities>"""
LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<iati-activities version="2.03">&lol3;</iati-activities>"""

BROKEN = {
    "not XML": (b"Title,Start\nCampaign,2007-01-01\n", "not a well-formed XML"),
    "empty": (b"   ", "empty"),
    "XXE entity": (XXE, "DOCTYPE"),
    "billion laughs": (LAUGHS, "DOCTYPE"),
    "wrong root": (b'<?xml version="1.0"?><activities version="2.03"/>', "root element is <activities>"),
    "organisation file": (b'<iati-organisations version="2.03"/>', "organisation file"),
    "version 1": (iati_file(activity(), version="1.05"), "version 1.05"),
    "schema-invalid": (iati_file(activity(extra="<unknown-element/>")), "not valid against the IATI 2.03 schema"),
    "valid XML with one bad activity": (
        iati_file(activity(f"{REF}-1"), activity(f"{REF}-2", iso_start="2007-13-45"), activity(f"{REF}-3")),
        "not valid against the IATI 2.03 schema"),
}


@pytest.mark.parametrize("kind", BROKEN)
def test_a_broken_file_imports_nothing_and_says_why(client, member, iom, kind):
    content, message = BROKEN[kind]
    response = upload(client, member, content)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors["file"])
    assert "coordination.iati_import" not in client.session
    assert not Project.objects.exists()


def test_a_file_over_the_size_cap_is_refused(client, member, iom, settings):
    settings.IATI_IMPORT_MAX_BYTES = 1024 * 1024
    content = iati_file(activity()) + b" " * (1024 * 1024)
    response = upload(client, member, content)
    assert "too large" in " ".join(response.context["form"].errors["file"])
    with pytest.raises(IatiFileError):
        read_activities(content)


def test_entities_are_never_resolved(member):
    with pytest.raises(IatiFileError, match="DOCTYPE"):
        read_activities(XXE)


# --- The round trip: export, a fresh registry, import: the same projects ----------------------------


def _snapshot():
    rows = {}
    for p in Project.objects.prefetch_related("sectors", "locations", "beneficiaries", "participants__organization"):
        rows[p.title] = {
            "organization": p.reporting_organization_id, "activity": p.activity_type, "status": p.status,
            "dates": (p.planned_start, p.planned_end, p.actual_start, p.actual_end),
            "sectors": sorted((s.code, s.percentage) for s in p.sectors.all()),
            "counties": sorted(loc.code for loc in p.locations.all()),
            "beneficiaries": sorted(b.group for b in p.beneficiaries.all()),
            "funders": sorted(f.display_name for f in p.funders),
            "implementers": sorted(i.display_name for i in p.implementers),
            "budget": (p.budget, p.currency) if p.budget is not None else None,
            "description": p.description, "contact": p.contact_address,
        }
    return rows


def test_the_demo_round_trips_through_iati(client, db):
    call_command("seed_demo", "--password", "demo-pass-2007")
    cochair = User.objects.get(email="cochair@unicef.example")
    client.force_login(cochair)
    before = _snapshot()
    exported = client.get(reverse("coordination:projects_iati")).content
    Project.objects.all().delete()
    assert not ProjectPair.objects.exists()
    upload(client, cochair, exported, default_activity="coordination")
    shown = preview(client)
    assert {i.action for i in shown.context["items"]} == {"create"}, [i.reasons for i in shown.context["items"]]
    confirm(client, shown)
    assert _snapshot() == before
    assert ProjectPair.objects.filter(is_current=True).exists(), "the overlaps are found again"


def test_an_unchanged_export_imports_as_unchanged(client, member, iom):
    make_project(organization=iom, title="Ours", budget=Decimal("1000.50"), currency="USD",
                 start=date(2007, 1, 1), end=date(2008, 6, 30), beneficiaries=["children"])
    client.force_login(member)
    exported = client.get(reverse("coordination:projects_iati")).content
    upload(client, member, exported)
    assert [i.action for i in preview(client).context["items"]] == ["unchanged"]


def test_organization_page_shows_its_iati_identifier(client, member, iom):
    client.force_login(member)
    response = client.get(reverse("members:organization", args=[iom.pk]))
    assert REF in response.content.decode()


def test_coordinators_set_an_organizations_iati_identifier(client, cochair):
    organization = OrganizationFactory()
    client.force_login(cochair)
    data = {"name": organization.name, "acronym": "X", "kind": organization.kind, "country": "", "website": "",
            "description": "", "iati_identifier": "XM-DAC-41114"}
    response = client.post(reverse("members:organization_edit", args=[organization.pk]), data)
    assert response.status_code == 302
    organization.refresh_from_db()
    assert organization.iati_identifier == "XM-DAC-41114"
    response = client.post(reverse("members:organization_edit", args=[organization.pk]),
                           {**data, "iati_identifier": "XM/DAC 1"})
    assert response.status_code == 200
    assert Organization.objects.get(pk=organization.pk).iati_identifier == "XM-DAC-41114"


def test_planning_a_file_reads_the_database_a_fixed_number_of_times(member, iom, django_assert_max_num_queries):
    for i in range(40):
        make_project(organization=iom, iati_identifier=f"{REF}-{i}", title=f"Project {i}",
                     funders=[OrganizationFactory()])
    records = read_activities(iati_file(*(activity(f"{REF}-{i}", title=f"Renamed {i}") for i in range(40))))
    with django_assert_max_num_queries(12):
        items = import_plan(records=records, user=member, default_activity="training")
    assert {i.action for i in items} == {"update"}
