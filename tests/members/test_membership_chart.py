"""The dashboard's membership chart, rebuilt from the status history."""

import datetime

from django.core.management import call_command
from django.urls import reverse

from members import selectors, services
from members.models import MembershipChange, User
from tests.members.factories import OrganizationFactory


def _history(org, *changes):
    MembershipChange.objects.filter(organization=org).delete()
    previous = ""
    for status, day in changes:
        MembershipChange.objects.create(organization=org, from_status=previous, to_status=status, changed_on=day)
        previous = status


def test_members_by_kind_per_month_follow_the_history(db):
    us = OrganizationFactory(name="U.S. Embassy", kind="mission")
    unicef = OrganizationFactory(name="UNICEF", kind="un_agency")
    sweden = OrganizationFactory(name="Save the Children Sweden", kind="ngo")
    ruritania = OrganizationFactory(name="Embassy of Ruritania", kind="mission")
    usaid = OrganizationFactory(name="USAID", kind="donor_agency")
    _history(us, ("invited", datetime.date(2006, 11, 1)), ("active", datetime.date(2006, 11, 9)))
    _history(unicef, ("active", datetime.date(2006, 11, 9)))
    _history(sweden, ("invited", datetime.date(2007, 1, 16)), ("active", datetime.date(2007, 2, 15)))
    _history(ruritania, ("active", datetime.date(2006, 12, 1)), ("withdrawn", datetime.date(2007, 2, 3)),
             ("active", datetime.date(2007, 3, 31)))
    _history(usaid, ("active", datetime.date(2006, 11, 30)))

    data = selectors.membership_by_month(until=datetime.date(2007, 4, 10))
    assert [m.isoformat() for m in data["months"]] == [
        "2006-11-01", "2006-12-01", "2007-01-01", "2007-02-01", "2007-03-01", "2007-04-01"]
    assert data["series"]["Missions"] == [1, 2, 2, 1, 2, 2]
    assert data["series"]["UN agencies"] == [1, 1, 1, 1, 1, 1]
    assert data["series"]["NGOs"] == [0, 0, 0, 1, 1, 1]
    assert data["series"]["Others"] == [1, 1, 1, 1, 1, 1]


def test_status_change_through_the_service_moves_the_chart(db, secretariat):
    org = OrganizationFactory(name="Embassy of Ruritania", kind="mission", status="invited", joined_on=None)
    _history(org, ("invited", datetime.date(2006, 11, 1)))
    today = datetime.date.today()
    assert selectors.membership_by_month()["series"]["Missions"][-1] == 0
    services.organization_status_set(organization=org, status="active", by=secretariat)
    assert selectors.membership_by_month()["series"]["Missions"][-1] == 1
    assert selectors.membership_by_month()["months"][-1] == today.replace(day=1)


def test_dashboard_draws_the_chart_with_flat_queries(client, db, django_assert_max_num_queries):
    call_command("seed_demo", "--password", "demo-pass-2007")
    client.force_login(User.objects.get(email="member@germany.example"))
    with django_assert_max_num_queries(25):
        response = client.get(reverse("dashboard"))
    assert response.status_code == 200, response
    page = response.content.decode()
    assert 'canvas data-chart="membership-chart"' in page
    assert 'id="membership-chart"' in page and '"stacked": true' in page
    assert "vendor/chartjs/chart.umd.min.js" in page
    config = response.context["membership_chart"]
    assert config["type"] == "line" and config["data"]["labels"][0] == "Nov 2006"
    march_2007 = config["data"]["labels"].index("Mar 2007")
    total = sum(dataset["data"][march_2007] for dataset in config["data"]["datasets"])
    assert total >= 23  # 15 missions, 4 UN organizations, the NGOs and others of the demo group


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
