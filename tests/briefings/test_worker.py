"""Circulation through a real Celery worker consuming from Redis, delivering to a loopback SMTP server."""

import re

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from briefings.services import circulations as circulation_services
from members.models import User
from notifications import services as outbox
from notifications.models import Message
from notifications.tasks import send_message
from tests.briefings.factories import DocumentFactory
from tests.fixtures.services import wait_until
from tests.members.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.worker


@pytest.fixture
def recipients(member, cochair, outsider):
    sweden = OrganizationFactory(name="Save the Children Sweden", kind="ngo")
    UserFactory(email="member@sweden.example", organization=sweden)
    return ["cochair@unicef.example", "member@germany.example", "member@sweden.example"]


def _links(message) -> list[str]:
    text = message.get_body(preferencelist=("plain",)).get_content()
    return re.findall(r"http://testserver(/briefings/documents/\d+/)", text)


def test_every_recipient_gets_one_email_with_working_links(celery_worker, smtp_sink, cochair, recipients, password):
    report = DocumentFactory(title="Interim TIP report")
    article = DocumentFactory(title="Article on the coast")
    with transaction.atomic():
        circulation = circulation_services.circulation_create(by=cochair, documents=[report, article],
                                                              subject="Reading for Thursday")
    messages = smtp_sink.wait_for(len(recipients))
    wait_until(lambda: outbox.mailing_progress(circulation.mailing)["sent"] == len(recipients))
    assert sorted(m["To"].addresses[0].addr_spec for m in messages) == recipients
    for message in messages:
        assert message["Subject"] == "[TIP working group] Reading for Thursday"
        assert not list(message.iter_attachments())
        html = message.get_body(preferencelist=("html",)).get_content()
        assert f"http://testserver/briefings/documents/{report.pk}/" in html
        links = _links(message)
        assert links == [f"/briefings/documents/{report.pk}/", f"/briefings/documents/{article.pk}/"]
        reader = Client()
        reader.force_login(User.objects.get(email=message["To"].addresses[0].addr_spec))
        for link in links:
            assert reader.get(link).status_code == 200

    # A retried or redelivered task finds its row sent and sends nothing.
    for row_id in Message.objects.filter(mailing=circulation.mailing).values_list("pk", flat=True):
        send_message.delay(row_id)
    with transaction.atomic():
        outbox.message_queue(kind="test", email=outbox.OutgoingEmail(to_email="sentinel@example.org",
                                                                     subject="sentinel", text="x"))
    smtp_sink.wait_for(len(recipients) + 1)
    assert len(smtp_sink.messages) == len(recipients) + 1
    assert smtp_sink.messages[-1]["Subject"] == "sentinel"


def test_refusing_server_leaves_failed_rows_that_a_retry_sends(celery_worker, smtp_sink, cochair, recipients):
    smtp_sink.refuse = True
    document = DocumentFactory(title="Study")
    with transaction.atomic():
        circulation = circulation_services.circulation_create(by=cochair, documents=[document], subject="Refused study")
    mailing = circulation.mailing
    wait_until(lambda: outbox.mailing_progress(mailing)["failed"] == len(recipients), timeout=90)
    failed = Message.objects.filter(mailing=mailing).first()
    assert "554" in failed.last_error and failed.attempts == 3

    coordinator = Client()
    coordinator.force_login(cochair)
    page = coordinator.get(reverse("briefings:circulation", args=[circulation.pk])).content.decode()
    assert "Refused by the test server" in page

    smtp_sink.refuse = False
    response = coordinator.post(reverse("mailing_retry", args=[circulation.mailing_id]))
    assert response.status_code == 302
    smtp_sink.wait_for(len(recipients))
    wait_until(lambda: outbox.mailing_progress(mailing)["sent"] == len(recipients))
    assert sorted(m["To"].addresses[0].addr_spec for m in smtp_sink.messages) == recipients
