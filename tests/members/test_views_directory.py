import csv
import io

import pytest
from django.urls import reverse

from members.models import MembershipChange, Organization, User
from tests.members.factories import OrganizationFactory, UserFactory
from tests.members.roles import assert_role_answer


@pytest.fixture
def org(db):
    return OrganizationFactory(name="International Organization for Migration", acronym="IOM", kind="un_agency")


def _urls(org, person):
    """(url, method, who may) for every page of the members app and the portal frame."""
    view = {"member", "secretariat", "cochair"}
    manage = {"secretariat", "cochair"}
    return [
        (reverse("dashboard"), "get", view),
        (reverse("members:directory"), "get", view),
        (reverse("members:directory") + "?q=IOM&kind=un_agency&status=active", "get", view),
        (reverse("members:organization", args=[org.pk]), "get", view),
        (reverse("members:export"), "get", manage),
        (reverse("members:organization_create"), "get", manage),
        (reverse("members:organization_edit", args=[org.pk]), "get", manage),
        (reverse("members:person_create"), "get", manage),
        (reverse("members:person_edit", args=[person.pk]), "get", manage),
        (reverse("members:organization_status", args=[org.pk]), "post", manage),
    ]


@pytest.mark.parametrize("role", ["anonymous", "outsider", "member", "secretariat", "cochair"])
def test_every_page_for_every_role(client, users_by_role, org, role):
    person = UserFactory(organization=org)
    if role != "anonymous":
        client.force_login(users_by_role[role])
    for url, method, allowed in _urls(org, person):
        assert_role_answer(getattr(client, method)(url), role=role, allowed=allowed, url=url)


def test_public_pages_need_no_sign_in(client, db):
    for name in ["account_login", "account_reset_password"]:
        assert client.get(reverse(name)).status_code == 200
    assert client.get("/healthz").status_code == 200


def test_directory_filters_and_search(client, member):
    OrganizationFactory(name="United Nations Children's Fund", acronym="UNICEF", kind="un_agency")
    OrganizationFactory(name="High Commission of India", status="invited", country="India")
    client.force_login(member)
    page = client.get(reverse("members:directory"), {"q": "unicef"}).content.decode()
    assert "United Nations Children" in page and "High Commission of India" not in page
    page = client.get(reverse("members:directory"), {"status": "invited"}).content.decode()
    assert "High Commission of India" in page and "Children" not in page
    page = client.get(reverse("members:directory"), {"kind": "un_agency"}).content.decode()
    assert "UNICEF" in page and "High Commission of India" not in page


def test_directory_rejects_unknown_filter_values_without_error(client, member):
    client.force_login(member)
    response = client.get(reverse("members:directory"), {"kind": "<script>", "page": "abc"})
    assert response.status_code == 200


def test_directory_is_paginated(client, member):
    for i in range(30):
        OrganizationFactory(name=f"Embassy number {i:02d}")
    client.force_login(member)
    first = client.get(reverse("members:directory")).content.decode()
    second = client.get(reverse("members:directory"), {"page": 2}).content.decode()
    assert "Embassy number 00" in first and "Embassy number 29" not in first
    assert "Embassy number 29" in second


def test_directory_queries_stay_flat_with_300_organizations(client, member, django_assert_max_num_queries):
    orgs = Organization.objects.bulk_create(
        [Organization(name=f"Organization {i:03d}", kind="ngo", status="active") for i in range(300)]
    )
    User.objects.bulk_create([User(email=f"p{i}@org{i}.example", organization=o) for i, o in enumerate(orgs)])
    client.force_login(member)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("members:directory"))
    assert response.status_code == 200
    with django_assert_max_num_queries(8):
        client.get(reverse("members:directory"), {"page": 12, "kind": "ngo"})


def test_organization_page_shows_people_and_contacts(client, member, org):
    UserFactory(organization=org, full_name="Daniel Mwangi", email="dm@iom.example", phone="+254 20 444 4174")
    client.force_login(member)
    page = client.get(reverse("members:organization", args=[org.pk])).content.decode()
    assert "Daniel Mwangi" in page and "dm@iom.example" in page and "+254 20 444 4174" in page


def test_organization_page_queries_stay_flat(client, member, org, django_assert_max_num_queries):
    for _i in range(40):
        UserFactory(organization=org)
    client.force_login(member)
    # 13: one of them is the coordination panel's partner notes.
    with django_assert_max_num_queries(13):
        assert client.get(reverse("members:organization", args=[org.pk])).status_code == 200


def test_unknown_organization_is_404(client, member):
    client.force_login(member)
    assert client.get(reverse("members:organization", args=[99999])).status_code == 404


def test_csv_export_lists_people_with_organizations(client, secretariat, org):
    UserFactory(organization=org, full_name="=HYPERLINK(\"x\")", email="x@iom.example")
    client.force_login(secretariat)
    response = client.get(reverse("members:export"))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["Organization", "Acronym", "Kind"]
    iom = [r for r in rows if r[9] == "x@iom.example"][0]
    assert iom[0] == "International Organization for Migration"
    assert iom[7].startswith("'=")  # formulas are neutralised


def test_secretariat_adds_organization_with_status_history(client, secretariat):
    client.force_login(secretariat)
    response = client.post(reverse("members:organization_create"), {
        "name": "Embassy of Ireland", "acronym": "", "kind": "mission", "country": "Ireland", "website": "",
        "description": "", "status-status": "active", "status-changed_on": "2007-03-01",
    })
    org = Organization.objects.get(name="Embassy of Ireland")
    assert response.status_code == 302
    assert org.status == "active" and str(org.joined_on) == "2007-03-01"
    assert org.membership_changes.get().changed_by == secretariat


def test_invalid_organization_form_shows_errors_and_saves_nothing(client, cochair, org):
    client.force_login(cochair)
    response = client.post(reverse("members:organization_create"), {
        "name": org.name, "kind": "spaceship", "website": "not a url",
        "status-status": "active", "status-changed_on": "31/31/2007",
    })
    assert response.status_code == 200
    form = response.context["form"]
    assert "name" in form.errors and "kind" in form.errors and "website" in form.errors
    assert "changed_on" in response.context["status_form"].errors
    assert Organization.objects.count() == 2  # the fixture's and the co-chair's


def test_status_change_is_recorded_and_withdrawal_removes_access(client, cochair, member):
    client.force_login(cochair)
    org = member.organization
    client.post(reverse("members:organization_status", args=[org.pk]),
                {"status": "withdrawn", "changed_on": "2007-06-30", "note": "Left Nairobi"})
    org.refresh_from_db()
    assert org.status == "withdrawn"
    change = MembershipChange.objects.filter(organization=org).last()
    assert (change.from_status, change.to_status, change.changed_by) == ("active", "withdrawn", cochair)
    client.force_login(member)
    assert client.get(reverse("members:directory")).status_code == 403


def test_status_change_needs_post(client, cochair, org):
    client.force_login(cochair)
    assert client.get(reverse("members:organization_status", args=[org.pk])).status_code == 405


def test_dashboard_shows_the_group_at_a_glance(client, member, cochair, org):
    OrganizationFactory(name="Save the Children Sweden", kind="ngo")
    client.force_login(member)
    response = client.get(reverse("dashboard"))
    glance = response.context["glance"]
    assert (glance["missions"], glance["un_agencies"], glance["ngos"]) == (1, 2, 1)
    assert "Co-chairs" in response.content.decode()


def test_csv_export_neutralises_every_cell_emails_included(client, secretariat):
    org = OrganizationFactory(name="=cmd|' /C calc'!A0", acronym="+SUM(1)", country="@Lebanon")
    UserFactory(organization=org, full_name="Rania", title="-2+3", phone="=1+1", email="=x@lebanon.example")
    OrganizationFactory(name="-Empty organization")  # listed without people
    client.force_login(secretariat)
    rows = list(csv.reader(io.StringIO(client.get(reverse("members:export")).content.decode())))
    person = [r for r in rows if r[7] == "Rania"][0]
    assert [person[i] for i in (0, 1, 3, 8, 9, 10)] == [
        "'=cmd|' /C calc'!A0", "'+SUM(1)", "'@Lebanon", "'-2+3", "'=x@lebanon.example", "'=1+1"]
    assert [r for r in rows if r[0] == "'-Empty organization"][0][7:] == ["", "", "", "", ""]
    assert not any(cell[:1] in "=+-@" for row in rows for cell in row if cell)
