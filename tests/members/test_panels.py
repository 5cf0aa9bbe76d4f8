"""What members adds to the dashboard: the membership chart built from the selector's data."""

import datetime

from members import panels
from members.models import MembershipChange
from tests.members.factories import OrganizationFactory


def test_membership_chart_stacks_the_selector_series(db, settings):
    settings.GROUP_FOUNDED = "2006-11-01"
    org = OrganizationFactory(name="U.S. Embassy", kind="mission")
    MembershipChange.objects.filter(organization=org).update(changed_on=datetime.date(2006, 11, 9))
    config = panels.membership_chart(until=datetime.date(2007, 1, 31))
    assert config["type"] == "line"
    assert config["data"]["labels"] == ["Nov 2006", "Dec 2006", "Jan 2007"]
    assert [d["label"] for d in config["data"]["datasets"]] == ["Missions", "UN agencies", "NGOs", "Others"]
    assert config["data"]["datasets"][0]["data"] == [1, 1, 1]
    assert config["options"]["scales"]["y"]["stacked"] is True


def test_dashboard_context_holds_the_glance_and_the_chart(db):
    OrganizationFactory(name="UNICEF", kind="un_agency", is_cochair=True)
    context = panels.dashboard_context()
    assert context["glance"]["un_agencies"] == 1 and [o.name for o in context["glance"]["cochairs"]] == ["UNICEF"]
    assert context["membership_chart"]["type"] == "line"
