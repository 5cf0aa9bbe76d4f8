"""The demo shows the overlap the group found, and the gap matrix counts what its cells list."""

import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from coordination.models import PolicyItem, Project, ProjectPair
from coordination.selectors import ProjectFilters, gaps_matrix, projects_list
from members.models import OrganizationNote, User
from notifications.models import Message


@pytest.fixture
def demo(db):
    call_command("seed_demo", "--password", "demo-pass-2007")


def test_coordination_demo_is_idempotent_and_sends_nothing_of_its_own(demo):
    counts = (Project.objects.count(), ProjectPair.objects.count(), OrganizationNote.objects.count(),
              PolicyItem.objects.count())
    call_command("seed_demo", "--password", "demo-pass-2007")
    assert counts == (Project.objects.count(), ProjectPair.objects.count(), OrganizationNote.objects.count(),
                      PolicyItem.objects.count())
    assert not Message.objects.filter(kind__startswith="coordination.").exists()


def test_demo_shows_one_complementary_pair_and_one_open(demo):
    decided = ProjectPair.objects.get(decision="complementary")
    assert {decided.project_a.reporting_organization.acronym, decided.project_b.reporting_organization.acronym} \
        == {"IOM", "ABA"}
    open_pair = ProjectPair.objects.get(is_open=True)
    assert {open_pair.project_a.activity_type, open_pair.project_b.activity_type} == {"training"}
    assert {open_pair.project_a.reporting_organization.acronym,
            open_pair.project_b.reporting_organization.acronym} == {"IOM", "ABA"}
    # Nordic donors fund IOM and UNODC.
    for acronym in ("IOM", "UNODC"):
        funders = set(Project.objects.filter(reporting_organization__acronym=acronym)
                      .values_list("participants__organization__country", flat=True))
        assert funders & {"Norway", "Sweden", "Denmark", "Finland"}
    for county in ("KE-28", "KE-14", "KE-19", "KE-30"):
        assert Project.objects.filter(locations__code=county).exists()


def test_demo_bill_is_sourced_to_iom_briefing(demo):
    bill = PolicyItem.objects.get(kind="bill")
    stage = bill.stages.get()
    assert stage.source_briefing.presenter.acronym == "IOM"
    assert bill.agencies.count() >= 3
    assert PolicyItem.objects.filter(kind="plan").exists()


def test_demo_notes_on_solwodi_and_global_child_are_signed_and_dated(demo):
    notes = OrganizationNote.objects.filter(organization__status="partner")
    assert set(notes.values_list("organization__acronym", flat=True)) >= {"SOLWODI"}
    assert notes.filter(organization__name="Global Child").exists()
    assert not notes.filter(author_organization=None).exists()
    assert min(notes.values_list("noted_on", flat=True)).year == 2007


@pytest.mark.parametrize("by", ["activity", "pillar"])
@pytest.mark.parametrize("query", [{}, {"beneficiary": "children"},
                                   {"date_from": "2007-06-01", "date_to": "2007-12-31"},
                                   {"date_from": "2008-01-01", "beneficiary": "justice_actors"}])
def test_matrix_counts_equal_list_counts_for_every_cell(demo, client, by, query):
    user = User.objects.get(email="member@germany.example")
    filters = ProjectFilters.from_query(query)
    matrix = gaps_matrix(user, filters, by=by)
    axis = "pillar" if by == "pillar" else "activity"
    checked = 0
    for row, _ in matrix.rows:
        for column, _ in matrix.columns:
            cell = matrix.cells.get((row, column), {"organizations": 0, "projects": 0})
            listed = projects_list(user, ProjectFilters.from_query({**query, axis: row, "county": column}))
            assert cell["projects"] == listed.count(), (row, column)
            assert cell["organizations"] == len({p.reporting_organization_id for p in listed}), (row, column)
            checked += cell["projects"] > 0
    assert checked or query  # the unfiltered demo has filled cells
    # And the page's links lead to lists that say the same numbers.
    client.force_login(user)
    page = client.get(reverse("coordination:gaps"), {**query, "by": by}).content.decode()
    for href, organizations, projects in re.findall(
        r'href="/coordination/\?([^"]+)" data-organizations="(\d+)" data-projects="(\d+)"', page
    ):
        listing = client.get("/coordination/?" + href.replace("&amp;", "&")).content.decode()
        assert f'data-projects="{projects}"' in listing and f'data-organizations="{organizations}"' in listing
