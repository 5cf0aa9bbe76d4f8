"""Two submissions of the signup form at once create one account (PostgreSQL row locks)."""

import threading

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from members.models import Invitation, Organization, User
from tests.members.factories import UserFactory
from tests.members.invitation_helpers import invite

PASSWORD = "Zq8!a-long-new-password"


@pytest.mark.django_db(transaction=True)
def test_concurrent_double_submission_creates_one_account():
    if connection.vendor != "postgresql":
        pytest.skip("needs row locks shared by two connections: set DATABASE_URL to PostgreSQL")
    secretariat = UserFactory(email="secretariat@wgportal.example", organization=None, role="secretariat")
    invitation, token = invite(by=secretariat)
    url = reverse("members:invitation_public", args=[token])

    # Two browsers (say, a double click that reached two web processes) each
    # holding the open signup form.
    clients = [Client(), Client()]
    for client in clients:
        client.get(url)
        assert client.post(url + "accept/").status_code == 302

    barrier = threading.Barrier(2)
    responses = [None, None]

    def submit(index):
        try:
            barrier.wait(timeout=10)
            responses[index] = clients[index].post(reverse("account_signup"), {
                "full_name": "Anjali Sharma", "password1": PASSWORD, "password2": PASSWORD})
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert User.objects.filter(email="contact@india.example").count() == 1
    winners = [r for r in responses if r.status_code == 302 and r["Location"] == reverse("dashboard")]
    assert len(winners) == 1  # the winner lands on the dashboard
    loser = next(r for r in responses if r not in winners)
    # The loser waited on the invitation's row lock and found it used, or saw
    # the winner's account while validating, or arrived after the winner's
    # commit and found signup closed again.
    assert (loser.status_code == 410 and b"already been accepted" in loser.content) or (
        loser.status_code == 200 and b"Sign-up is by invitation" in loser.content)
    invitation.refresh_from_db()
    assert invitation.status == "accepted"
    organization = Organization.objects.get(pk=invitation.organization_id)
    assert organization.membership_changes.filter(to_status="active").count() == 1
    assert Invitation.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_double_click_on_send_invites_each_contact_once():
    if connection.vendor != "postgresql":
        pytest.skip("needs two connections at once: set DATABASE_URL to PostgreSQL")
    from members.models import Organization as Org

    secretariat = UserFactory(email="secretariat@wgportal.example", organization=None, role="secretariat")
    india = Org.objects.create(name="Embassy of India", kind="mission", country="India")
    clients = [Client(), Client()]
    for client in clients:
        client.force_login(secretariat)
    barrier = threading.Barrier(2)
    responses = [None, None]

    def send(index):
        try:
            barrier.wait(timeout=10)
            responses[index] = clients[index].post(reverse("members:invitation_new"), {
                "organization": india.pk, "contacts": "Anjali Sharma <anjali@india.example>", "action": "send"})
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert [r.status_code for r in responses] == [302, 302]
    assert Invitation.objects.filter(email="anjali@india.example").count() == 1
    from notifications.models import Message

    assert Message.objects.filter(recipient_email="anjali@india.example").count() == 1
