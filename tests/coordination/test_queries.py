"""Query counts of the list, the matrix and a project page stay flat with 500 projects."""

import datetime
import itertools

import pytest
from django.urls import reverse

from coordination import services
from coordination.models import (
    Project,
    ProjectBeneficiary,
    ProjectLocation,
    ProjectParticipant,
    ProjectSector,
)
from coordination.vocabularies import ActivityType, BeneficiaryGroup, counties
from tests.members.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db

PROJECTS = 500


@pytest.fixture
def registry(member):
    organizations = [OrganizationFactory(name=f"Organization {n}") for n in range(10)]
    contacts = [UserFactory(organization=org) for org in organizations]
    codes = list(counties())[:12] + ["national"]
    activities = itertools.cycle(ActivityType.values)
    groups = itertools.cycle(BeneficiaryGroup.values)
    start = datetime.date(2007, 1, 1)
    projects = Project.objects.bulk_create([
        Project(
            title=f"Project {n}", reporting_organization=organizations[n % 7], contact=contacts[n % 7],
            activity_type=next(activities), planned_start=start, planned_end=datetime.date(2007, 12, 31),
            span_start=start, span_end=datetime.date(2007, 12, 31), budget=1000 + n, currency="USD",
        )
        for n in range(PROJECTS)
    ])
    ProjectLocation.objects.bulk_create(
        [ProjectLocation(project=p, code=codes[n % len(codes)]) for n, p in enumerate(projects)]
        + [ProjectLocation(project=p, code=codes[(n + 5) % len(codes)]) for n, p in enumerate(projects)]
    )
    ProjectSector.objects.bulk_create([ProjectSector(project=p, code="15180", percentage=100) for p in projects])
    ProjectBeneficiary.objects.bulk_create([ProjectBeneficiary(project=p, group=next(groups)) for p in projects])
    ProjectParticipant.objects.bulk_create(
        [ProjectParticipant(project=p, role=1, organization=organizations[(n + 1) % 10])
         for n, p in enumerate(projects)]
        + [ProjectParticipant(project=p, role=4, name="A local NGO") for p in projects]
    )
    subject = projects[0]
    services.overlaps_refresh(project=subject)
    return subject


def test_project_list_queries_are_flat(client, member, registry, django_assert_max_num_queries):
    client.force_login(member)
    with django_assert_max_num_queries(16):
        response = client.get(reverse("coordination:projects"))
    assert response.status_code == 200 and response.content.count(b'href="/coordination/projects/') >= 50


def test_export_queries_are_flat(client, member, registry, django_assert_max_num_queries):
    client.force_login(member)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("coordination:projects_export"))
    assert len(response.content.decode().splitlines()) == PROJECTS + 1


def test_matrix_queries_are_flat(client, member, registry, django_assert_max_num_queries):
    client.force_login(member)
    for by in ("activity", "pillar"):
        with django_assert_max_num_queries(10):
            response = client.get(reverse("coordination:gaps"), {"by": by, "date_from": "2007-01-01"})
        assert response.status_code == 200 and b"data-organizations" in response.content


def test_project_page_queries_are_flat(client, member, registry, django_assert_max_num_queries):
    from coordination.models import ProjectPair

    assert ProjectPair.objects.filter(is_current=True).count() >= 5
    client.force_login(member)
    with django_assert_max_num_queries(16):
        response = client.get(reverse("coordination:project", args=[registry.pk]))
    assert response.status_code == 200


def test_overlaps_page_queries_are_flat(client, cochair, registry, django_assert_max_num_queries):
    client.force_login(cochair)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("coordination:overlaps")).status_code == 200
