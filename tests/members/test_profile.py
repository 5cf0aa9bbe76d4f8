"""Their own profile: name, title and phone; leaving the group; deactivation by the secretariat."""

import pytest
from django.urls import reverse

from meetings.models import Rsvp
from members import services
from members.models import User
from members.selectors import people_of_active_members
from tests.meetings.factories import MeetingFactory
from tests.members.factories import UserFactory


def test_profile_update_saves_name_title_and_phone_only(member):
    email = member.email
    services.profile_update(user=member, full_name="  Katrin Vogel ", title="First Secretary", phone="+254 20 1")
    member.refresh_from_db()
    assert (member.full_name, member.title, member.phone, member.email) == (
        "Katrin Vogel", "First Secretary", "+254 20 1", email)


def test_profile_page_edits_the_signed_in_person_and_ignores_an_email_field(client, member):
    client.force_login(member)
    page = client.get(reverse("members:profile")).content.decode()
    assert 'href="/accounts/email/"' in page and "Leave the group" in page
    response = client.post(reverse("members:profile"), {
        "full_name": "Katrin Vogel", "title": "Counsellor", "phone": "0700", "email": "evil@example.org"})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.title == "Counsellor" and member.email != "evil@example.org"


def test_profile_page_refuses_an_empty_name(client, member):
    client.force_login(member)
    response = client.post(reverse("members:profile"), {"full_name": " ", "title": "", "phone": ""})
    assert response.status_code == 200 and response.context["form"].errors["full_name"]


def test_leaving_signs_out_and_keeps_the_history(client, member):
    meeting = MeetingFactory()
    rsvp = Rsvp.objects.create(meeting=meeting, email=member.email, user=member, organization=member.organization)
    client.force_login(member)
    response = client.post(reverse("members:profile_leave"))
    assert response.status_code == 302 and response["Location"] == reverse("account_login")
    member.refresh_from_db()
    assert not member.is_active
    assert Rsvp.objects.filter(pk=rsvp.pk, user=member).exists()
    assert member not in people_of_active_members()
    # Signed out: the next page asks for sign-in again.
    assert client.get(reverse("dashboard")).status_code == 302


def test_secretariat_deactivates_someone_in_the_portal(client, secretariat, member):
    client.force_login(secretariat)
    page = client.get(reverse("members:person_edit", args=[member.pk])).content.decode()
    assert reverse("members:person_deactivate", args=[member.pk]) in page
    response = client.post(reverse("members:person_deactivate", args=[member.pk]))
    assert response.status_code == 302
    member.refresh_from_db()
    assert not member.is_active and not member.is_focal_point
    assert User.objects.filter(pk=member.pk).exists()


def test_nobody_deactivates_themselves_from_the_directory(client, secretariat):
    client.force_login(secretariat)
    client.post(reverse("members:person_deactivate", args=[secretariat.pk]))
    secretariat.refresh_from_db()
    assert secretariat.is_active


def test_a_member_may_not_deactivate_a_colleague(client, member):
    colleague = UserFactory(organization=member.organization)
    client.force_login(member)
    assert client.post(reverse("members:person_deactivate", args=[colleague.pk])).status_code == 403
    colleague.refresh_from_db()
    assert colleague.is_active


@pytest.mark.parametrize("pk", ["9" * 25, "0"])
def test_deactivating_an_unknown_person_is_not_found(client, secretariat, pk):
    client.force_login(secretariat)
    assert client.post(f"/members/people/{pk}/deactivate/").status_code == 404


def test_after_leaving_the_calendar_address_stops_working(client, member):
    from meetings.models import CalendarFeed

    feed = CalendarFeed.objects.create(user=member)
    url = reverse("meetings:feed", kwargs={"key": feed.key})
    assert client.get(url).status_code == 200
    services.person_leave(person=member)
    assert client.get(url).status_code == 404
