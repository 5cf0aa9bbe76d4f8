"""Coordination emails through a real Celery worker consuming from Redis, delivered to a loopback SMTP server."""

import datetime

import pytest
from django.db import transaction
from django.utils import timezone

from coordination import services
from coordination.models import Project
from tests.fixtures.services import wait_until
from tests.members.factories import OrganizationFactory

from .factories import make_project

pytestmark = pytest.mark.worker


def test_both_contacts_receive_the_overlap_decision(celery_worker, smtp_sink):
    theirs = make_project(organization=OrganizationFactory(name="ABA"), title="ABA campaign")
    with transaction.atomic():
        ours = make_project(organization=OrganizationFactory(name="IOM"), title="IOM campaign",
                            decisions={theirs.pk: ("complementary", "Different audiences")})
    messages = smtp_sink.wait_for(2)
    assert sorted(m["To"].addresses[0].addr_spec for m in messages) == sorted(
        [theirs.contact.email, ours.contact.email]
    )
    for message in messages:
        text = message.get_body(preferencelist=("plain",)).get_content()
        assert "complementary" in text and "Different audiences" in text
        assert f"http://testserver/coordination/projects/{theirs.pk}/" in text
        assert "budget" not in text.lower()


def test_stale_reminder_is_delivered_once(celery_worker, smtp_sink, settings):
    project = make_project(organization=OrganizationFactory(name="UNODC"), title="Old project")
    Project.objects.filter(pk=project.pk).update(updated_at=timezone.now() - datetime.timedelta(days=400))
    with transaction.atomic():
        assert services.stale_reminders_send() == 1
    with transaction.atomic():
        assert services.stale_reminders_send() == 0
    (message,) = smtp_sink.wait_for(1)
    assert message["To"].addresses[0].addr_spec == project.contact.email
    assert "Old project" in message["Subject"]
    wait_until(lambda: len(smtp_sink.messages) == 1)
