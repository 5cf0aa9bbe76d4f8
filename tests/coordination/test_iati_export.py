"""The IATI export: valid against the official 2.03 schema (the copy vendored in tests/coordination/iati)
and following IATI's rules beyond the schema."""

from collections import defaultdict
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from lxml import etree

from coordination.iati.counties import COUNTY_CENTROIDS, county_code_by_name
from coordination.iati.export import activities_xml, budget_periods, sector_percentages
from coordination.models import Project
from coordination.selectors import ProjectFilters, projects_list
from coordination.vocabularies import counties
from members.models import User
from tests.coordination.factories import make_project
from tests.members.factories import OrganizationFactory

SCHEMA_DIR = Path(__file__).parent / "iati"


@pytest.fixture(scope="module")
def schema():
    return etree.XMLSchema(etree.parse(str(SCHEMA_DIR / "iati-activities-schema.xsd")))


@pytest.fixture
def demo(db):
    call_command("seed_demo", "--password", "demo-pass-2007")


def _export(client, user, query=""):
    client.force_login(user)
    response = client.get(reverse("coordination:projects_iati") + query)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    return etree.fromstring(response.content)


def test_export_of_the_demo_validates_against_the_iati_schema(client, demo, schema):
    cochair = User.objects.get(email="cochair@unicef.example")
    root = _export(client, cochair)
    schema.assertValid(root)
    assert root.get("version") == "2.03"
    assert len(root.findall("iati-activity")) == Project.objects.count()


def test_export_follows_iatis_rules(client, demo, schema):
    cochair = User.objects.get(email="cochair@unicef.example")
    root = _export(client, cochair)
    for activity in root.findall("iati-activity"):
        identifier = activity.findtext("iati-identifier")
        ref = activity.find("reporting-org").get("ref")
        assert identifier.startswith(ref + "-")
        assert not set(identifier) & set("/&|? ")
        assert activity.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
        assert activity.get("default-currency")
        assert {d.get("type") for d in activity.findall("activity-date")} & {"1", "2"}, "a start date"
        per_vocabulary = defaultdict(Decimal)
        for sector in activity.findall("sector"):
            per_vocabulary[sector.get("vocabulary")] += Decimal(sector.get("percentage"))
        assert set(per_vocabulary.values()) == {Decimal(100)}
        for budget in activity.findall("budget"):
            start = date.fromisoformat(budget.find("period-start").get("iso-date"))
            end = date.fromisoformat(budget.find("period-end").get("iso-date"))
            assert start <= end < date(start.year + 1, start.month, start.day if start.day < 29 else 28)
        assert "8.7" in {t.get("code") for t in activity.findall("tag[@vocabulary='3']")}
        assert activity.find("activity-status").get("code") in {"1", "2", "3", "4", "5", "6"}
        roles = {p.get("role") for p in activity.findall("participating-org")}
        assert {"2", "4"} <= roles


def test_counties_are_exported_as_names_and_points(client, member, schema):
    make_project(organization=member.organization, locations=["KE-28", "KE-19", "national"])
    root = _export(client, member)
    schema.assertValid(root)
    locations = root.findall("iati-activity/location")
    assert [loc.findtext("name/narrative") for loc in locations] == ["Kwale County", "Mombasa County"]
    assert locations[1].findtext("point/pos") == "-4.04 39.67"
    assert root.find("iati-activity/recipient-country").get("code") == "KE"


def test_export_uses_the_list_filters(client, member):
    make_project(organization=member.organization, title="In Mombasa", locations=["KE-28"])
    make_project(organization=member.organization, title="In Kisumu", locations=["KE-17"])
    root = _export(client, member, "?county=KE-17")
    assert [a.findtext("title/narrative") for a in root.findall("iati-activity")] == ["In Kisumu"]


def test_budget_is_exported_only_to_those_who_may_see_it(client, member, cochair):
    other = OrganizationFactory()
    make_project(organization=other, budget=Decimal("1000"), currency="EUR",
                 start=date(2007, 1, 1), end=date(2009, 6, 30))
    assert _export(client, member).find("iati-activity/budget") is None
    root = _export(client, cochair)
    budgets = root.findall("iati-activity/budget")
    assert len(budgets) == 3
    assert sum(Decimal(b.findtext("value")) for b in budgets) == Decimal("1000")
    assert root.find("iati-activity").get("default-currency") == "EUR"


def test_identifier_uses_the_organizations_iati_ref(client, member):
    member.organization.iati_identifier = "XM-DAC-47066"
    member.organization.save()
    project = make_project(organization=member.organization)
    root = _export(client, member)
    assert root.findtext("iati-activity/iati-identifier") == f"XM-DAC-47066-{project.pk}"


def test_a_project_without_a_start_date_is_left_out_with_a_comment(client, member, schema):
    undated = make_project(organization=member.organization, title="Undated", start=None, end=None)
    make_project(organization=member.organization, title="Dated")
    response_root = _export(client, member)
    schema.assertValid(response_root)
    assert [a.findtext("title/narrative") for a in response_root.findall("iati-activity")] == ["Dated"]
    assert f"project {undated.pk} has no planned or actual start date" in etree.tostring(response_root).decode()


def test_export_is_not_for_outsiders(client, outsider):
    client.force_login(outsider)
    assert client.get(reverse("coordination:projects_iati")).status_code == 403


def test_export_query_count_is_flat(client, cochair, django_assert_max_num_queries):
    for i in range(30):
        make_project(title=f"Project {i}", funders=[OrganizationFactory()])
    client.force_login(cochair)
    with django_assert_max_num_queries(15):
        assert client.get(reverse("coordination:projects_iati")).status_code == 200


def test_sector_percentages_always_sum_to_100():
    assert sector_percentages([("15130", None), ("15160", None), ("16010", None)]) == [
        ("15130", Decimal("33.33")), ("15160", Decimal("33.33")), ("16010", Decimal("33.34"))]
    assert sum(p for _, p in sector_percentages([("15130", Decimal(30)), ("15160", Decimal(30))])) == 100
    assert sector_percentages([("15130", Decimal(60)), ("15132", Decimal(40))]) == [
        ("15130", Decimal("60.00")), ("15132", Decimal("40.00"))]


def test_budget_periods_last_a_year_at_most_and_sum_to_the_budget():
    periods = budget_periods(date(2007, 3, 1), date(2009, 2, 28), Decimal("1200000"))
    assert [(a, b) for a, b, _ in periods] == [(date(2007, 3, 1), date(2008, 2, 29)),
                                               (date(2008, 3, 1), date(2009, 2, 28))]
    assert sum(v for _, _, v in periods) == Decimal("1200000")


def test_every_county_has_an_approximate_centre_in_kenya():
    assert set(COUNTY_CENTROIDS) == set(counties())
    for latitude, longitude in COUNTY_CENTROIDS.values():
        assert -4.8 < latitude < 5.1 and 33.9 < longitude < 42.0


@pytest.mark.parametrize(("name", "code"), [("Mombasa County", "KE-28"), ("Taita-Taveta", "KE-39"),
                                            ("Nairobi", "KE-30"), ("ELGEYO MARAKWET", "KE-05"), ("Atlantis", None)])
def test_county_is_found_by_the_names_publishers_use(name, code):
    assert county_code_by_name(name) == code


def test_export_and_list_agree(db, cochair):
    make_project(title="One")
    rows = projects_list(cochair, ProjectFilters())
    xml = activities_xml(rows, user=cochair, vocabulary_uri="https://portal.example/coordination/")
    assert etree.fromstring(xml).findtext("iati-activity/title/narrative") == "One"


def test_a_filter_matching_no_project_exports_nothing_and_says_so(client, member):
    """IATI's schema wants at least one activity: an empty file would be an invalid export."""
    make_project(organization=member.organization, contact=member)
    client.force_login(member)
    response = client.get(reverse("coordination:projects_iati") + "?q=no-such-project", follow=True)
    assert response.redirect_chain and response.redirect_chain[-1][0].startswith(reverse("coordination:projects"))
    assert "nothing to export" in response.content.decode()
