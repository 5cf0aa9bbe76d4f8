"""What members adds to the dashboard: the membership chart built from the selector's data."""

import datetime

from django.urls import reverse

from members import panels, services
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


def _this_month_total(response) -> int:
    config = response.context["membership_chart"]
    return sum(dataset["data"][-1] for dataset in config["data"]["datasets"])


def test_the_cached_chart_and_glance_show_a_membership_change_at_once(client, member, secretariat):
    org = OrganizationFactory(name="Embassy of Ruritania", kind="mission", status="invited", joined_on=None)
    client.force_login(member)
    before = client.get(reverse("dashboard"))
    again = client.get(reverse("dashboard"))  # now from the cache
    assert _this_month_total(again) == _this_month_total(before)

    services.organization_status_set(organization=org, status="active", by=secretariat)
    after = client.get(reverse("dashboard"))
    assert _this_month_total(after) == _this_month_total(before) + 1
    assert after.context["glance"]["missions"] == before.context["glance"]["missions"] + 1
    assert org in after.context["glance"]["recently_joined"]

    services.organization_status_set(organization=org, status="withdrawn", by=secretariat)
    withdrawn = client.get(reverse("dashboard"))
    assert _this_month_total(withdrawn) == _this_month_total(before)
    assert withdrawn.context["glance"]["missions"] == before.context["glance"]["missions"]


def test_the_cached_dashboard_reads_less_the_second_time(client, member):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(member)
    with CaptureQueriesContext(connection) as first:
        client.get(reverse("dashboard"))
    with CaptureQueriesContext(connection) as second:
        client.get(reverse("dashboard"))
    assert len(second.captured_queries) < len(first.captured_queries)
    assert not any("members_membershipchange" in q["sql"] for q in second.captured_queries)


def test_membership_chart_stops_after_the_last_change_and_says_so(db, settings):
    settings.GROUP_FOUNDED = "2006-11-01"
    org = OrganizationFactory(name="U.S. Embassy", kind="mission")
    MembershipChange.objects.filter(organization=org).update(changed_on=datetime.date(2007, 2, 15))
    config = panels.membership_chart(until=datetime.date(2026, 11, 30))
    assert config["data"]["labels"] == ["Nov 2006", "Dec 2006", "Jan 2007", "Feb 2007", "Mar 2007", "Apr 2007"]
    assert config["data"]["datasets"][0]["data"] == [0, 0, 0, 1, 1, 1]
    assert config["note"] == "Unchanged since February 2007."


def test_membership_chart_counts_years_when_the_span_is_long(db, settings):
    settings.GROUP_FOUNDED = "2006-11-01"
    first, second = OrganizationFactory(kind="mission"), OrganizationFactory(kind="mission")
    MembershipChange.objects.filter(organization=first).update(changed_on=datetime.date(2006, 11, 9))
    MembershipChange.objects.filter(organization=second).update(changed_on=datetime.date(2026, 10, 1))
    config = panels.membership_chart(until=datetime.date(2026, 11, 30))
    labels = config["data"]["labels"]
    assert labels[0] == "2006" and labels[-1] == "2026" and len(labels) == 21
    assert config["data"]["datasets"][0]["data"][0] == 1 and config["data"]["datasets"][0]["data"][-1] == 2
    assert config["note"] == ""


def test_dashboard_counts_partners_apart_from_member_ngos(db):
    OrganizationFactory(kind="ngo", status="active")
    OrganizationFactory(name="SOLWODI", kind="ngo", status="partner")
    context = panels.dashboard_context()
    assert context["glance"]["ngos"] == 1 and context["glance"]["partners"] == 1
    assert "note" not in context["membership_chart"]
