"""What coordination adds to the dashboard and the organization page."""

import datetime

import pytest
from django.urls import reverse

from coordination import panels, services
from tests.members.factories import OrganizationFactory

from .factories import make_project

pytestmark = pytest.mark.django_db


def test_dashboard_counts_open_overlaps_for_coordinators_only(client, member, cochair, secretariat):
    make_project(organization=OrganizationFactory())
    make_project(organization=OrganizationFactory())
    assert panels.dashboard_overlaps_count(cochair) == 1
    assert panels.dashboard_overlaps_count(secretariat) == 1
    assert panels.dashboard_overlaps_count(member) is None
    client.force_login(cochair)
    assert 'id="open-overlaps">1<' in client.get(reverse("dashboard")).content.decode()
    client.force_login(member)
    assert 'id="open-overlaps"' not in client.get(reverse("dashboard")).content.decode()


def test_recent_policy_moves_lists_newest_stages(member, cochair, outsider):
    item = services.policy_item_save(title="Counter-trafficking bill", kind="bill", route="government", by=cochair)
    services.policy_stage_add(item=item, stage="drafting", on=datetime.date(2006, 12, 14), by=cochair)
    services.policy_stage_add(item=item, stage="cabinet", on=datetime.date(2007, 3, 1), by=cochair)
    moves = panels.recent_policy_moves(member)
    assert [m.stage for m in moves] == ["cabinet", "drafting"]
    assert panels.recent_policy_moves(outsider) == []
    item.refresh_from_db()
    assert item.current_stage == "cabinet"


def test_member_registers_for_their_own_organization_only(client, member):
    other = OrganizationFactory(name="Someone else")
    client.force_login(member)
    response = client.post(reverse("coordination:project_create"), {
        "title": "Shelter", "activity_type": "shelter", "locations": ["KE-30"], "status": "2",
        "planned_start": "2007-01-01", "reporting_organization": other.pk,
    })
    assert response.status_code == 302
    from coordination.models import Project

    assert Project.objects.get().reporting_organization == member.organization


def test_member_may_not_edit_another_organizations_project(client, member):
    theirs = make_project(organization=OrganizationFactory())
    client.force_login(member)
    assert client.get(reverse("coordination:project_edit", args=[theirs.pk])).status_code == 403
    assert client.post(reverse("coordination:project_edit", args=[theirs.pk]), {"title": "x"}).status_code == 403
