"""Invitation emails through a real Celery worker (Redis) to a real SMTP server, and
the link in the received email followed to the end."""

import pytest
from django.test import Client
from django.urls import reverse

from members.models import Invitation, Organization, User
from notifications.models import Message
from tests.fixtures.services import wait_until
from tests.members.factories import OrganizationFactory, UserFactory
from tests.members.invitation_helpers import token_in

pytestmark = pytest.mark.worker

PASSWORD = "Zq8!a-long-new-password"


def test_link_in_the_delivered_email_creates_the_account(celery_worker, smtp_sink, password):
    secretariat = UserFactory(email="secretariat@wgportal.example", full_name="Peter Kamau", organization=None,
                              role="secretariat", password=password)
    india = OrganizationFactory(name="Embassy of India", country="India", status="invited", joined_on=None)
    coordinator = Client()
    coordinator.force_login(secretariat)
    response = coordinator.post(reverse("members:invitation_new"), {
        "organization": india.pk, "contacts": "Anjali Sharma <anjali@india.example>",
        "message": "We would value India's experience.", "action": "send",
    })
    assert response.status_code == 302

    received = smtp_sink.wait_for(1)[0]
    assert "anjali@india.example" in received["To"] and "Anjali Sharma" in received["To"]
    body = received.get_content()
    assert "We would value India's experience." in body and "Peter Kamau" in body
    token = token_in(body)
    wait_until(lambda: Message.objects.get(recipient_email="anjali@india.example").status == "sent")

    invitee = Client()
    link = reverse("members:invitation_public", args=[token])
    assert invitee.get(link).status_code == 200
    assert invitee.post(link + "accept/")["Location"] == reverse("account_signup")
    response = invitee.post(reverse("account_signup"), {
        "full_name": "Anjali Sharma", "title": "Second Secretary", "password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("dashboard")
    assert invitee.get(reverse("dashboard")).status_code == 200

    user = User.objects.get(email="anjali@india.example")
    assert user.organization == india and Organization.objects.get(pk=india.pk).status == "active"
    assert Invitation.objects.get().status == "accepted"

    # The inviter hears of it through the same outbox and worker.
    smtp_sink.wait_for(2)
    told = smtp_sink.to("secretariat@wgportal.example")
    assert len(told) == 1 and "accepted the invitation" in told[0]["Subject"]
    assert len(smtp_sink.to("anjali@india.example")) == 1
