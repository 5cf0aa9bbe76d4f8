"""People in the directory: added and edited by the coordinators."""

import pytest
from django.urls import reverse

from members.models import User
from tests.members.factories import OrganizationFactory


@pytest.fixture
def org(db):
    return OrganizationFactory(name="International Organization for Migration", acronym="IOM", kind="un_agency")


def test_secretariat_adds_person_who_gets_a_welcome_email(client, secretariat, org, mailoutbox,
                                                          django_capture_on_commit_callbacks):
    client.force_login(secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("members:person_create"), {
            "full_name": "Daniel Mwangi", "email": "DM@IOM.example", "title": "Coordinator", "phone": "",
            "organization": org.pk, "role": "member",
        })
    assert response.status_code == 302
    person = User.objects.get(email="dm@iom.example")
    assert person.organization == org and not person.has_usable_password()
    assert len(mailoutbox) == 1 and "/accounts/password/reset/" in mailoutbox[0].body


def test_person_with_taken_email_is_refused(client, secretariat, member, org):
    client.force_login(secretariat)
    response = client.post(reverse("members:person_create"), {
        "full_name": "Someone", "email": member.email.upper(), "organization": org.pk, "role": "member",
    })
    assert response.status_code == 200 and "email" in response.context["form"].errors


def test_secretariat_edits_a_person_and_a_forged_id_is_404(client, secretariat, member):
    client.force_login(secretariat)
    response = client.post(reverse("members:person_edit", args=[member.pk]), {
        "full_name": "Eva Schmidt", "email": member.email, "title": "Counsellor", "phone": "",
        "organization": member.organization_id, "role": "member",
    })
    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.full_name, member.title) == ("Eva Schmidt", "Counsellor")
    assert client.get(f"/members/people/{'9' * 25}/edit/").status_code == 404
