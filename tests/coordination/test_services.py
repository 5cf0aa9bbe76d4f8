"""Policy tracker and project services. (Notes on partner organizations: tests/members/test_services_notes.py.)"""

import datetime

import pytest

from coordination import services
from coordination.models import Project

from .factories import data_of, make_project

pytestmark = pytest.mark.django_db
D = datetime.date


def test_current_stage_is_the_latest_dated_one_whatever_the_order_recorded(cochair):
    item = services.policy_item_save(title="Bill", kind="bill", route="government", by=cochair)
    services.policy_stage_add(item=item, stage="first_reading", on=D(2007, 6, 1), by=cochair)
    services.policy_stage_add(item=item, stage="drafting", on=D(2006, 12, 14), by=cochair)
    item.refresh_from_db()
    assert (item.current_stage, item.current_stage_on) == ("first_reading", D(2007, 6, 1))
    services.policy_stage_delete(stage=item.stages.get(stage="first_reading"))
    item.refresh_from_db()
    assert item.current_stage == "drafting"


def test_a_plan_has_no_bill_route(cochair):
    item = services.policy_item_save(title="Plan", kind="plan", route="government", by=cochair)
    assert item.route == ""


def test_project_save_replaces_children_and_stamps_the_update(member):
    project = make_project(organization=member.organization, beneficiaries=("children",), sectors=(("15180", 60),
                                                                                                   ("16010", 40)))
    before = project.updated_at
    saved = services.project_save(organization=member.organization, by=member, project=project,
                                  data=data_of(project, beneficiaries=["survivors"], locations=["national"]))
    saved = Project.objects.get(pk=saved.pk)
    assert list(saved.beneficiaries.values_list("group", flat=True)) == ["survivors"]
    assert list(saved.locations.values_list("code", flat=True)) == ["national"]
    assert sum(s.percentage for s in saved.sectors.all()) == 100
    assert saved.updated_at > before and saved.updated_by == member
    assert saved.span_start == D(2007, 1, 1) and saved.span_end == D(2007, 12, 31)
