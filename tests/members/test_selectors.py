"""The dashboard's membership chart, rebuilt from the status history."""

import datetime

from members import selectors, services
from members.models import MembershipChange
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
