"""The beat task: one automatic reminder per pending invitation per link period."""

import datetime

from django.conf import settings
from django.utils import timezone

from members import services, tasks
from members.models import Invitation
from notifications.models import Message
from tests.members.factories import OrganizationFactory
from tests.members.invitation_helpers import delivered_body, invite, token_in


def _age(invitation, days):
    Invitation.objects.filter(pk=invitation.pk).update(sent_at=timezone.now() - datetime.timedelta(days=days))


def test_reminder_task_sends_once_per_invitation_per_period(client, secretariat):
    organization = OrganizationFactory(name="High Commission of India", status="invited", joined_on=None)
    old, _ = invite(by=secretariat, organization=organization, email="old@india.example")
    fresh, _ = invite(by=secretariat, organization=organization, email="fresh@india.example")
    expired, _ = invite(by=secretariat, organization=organization, email="expired@india.example")
    declined, _ = invite(by=secretariat, organization=organization, email="declined@india.example")
    _age(old, settings.INVITATION_REMINDER_DAYS + 1)
    _age(fresh, settings.INVITATION_REMINDER_DAYS - 1)
    _age(expired, 40)
    Invitation.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - datetime.timedelta(days=10))
    _age(declined, 10)
    services.invitation_decline(invitation_id=declined.pk)

    assert tasks.invitation_reminders_send.delay().get() == 1
    assert tasks.invitation_reminders_send.delay().get() == 0  # the next beat finds nothing due
    reminders = Message.objects.filter(kind="invitation-reminder")
    assert list(reminders.values_list("recipient_email", flat=True)) == ["old@india.example"]
    row = reminders.get()
    assert row.subject.startswith("Reminder:") and row.dedupe_key and row.mailing is None
    assert client.get(f"/members/join/{token_in(delivered_body(row))}/").status_code == 200
    old.refresh_from_db()
    assert old.reminders_sent == 1 and old.last_reminded_at is not None

    # A resend starts a new period: one more reminder once that one is old enough.
    services.invitation_resend(invitation=old, by=secretariat)
    assert tasks.invitation_reminders_send.delay().get() == 0
    _age(old, settings.INVITATION_REMINDER_DAYS + 1)
    assert tasks.invitation_reminders_send.delay().get() == 1
    assert tasks.invitation_reminders_send.delay().get() == 0
    old.refresh_from_db()
    assert old.reminders_sent == 2 and reminders.count() == 2


def test_concurrent_runs_share_the_dedupe_key(secretariat):
    invitation, _ = invite(by=secretariat)
    _age(invitation, settings.INVITATION_REMINDER_DAYS + 1)
    due = [Invitation.objects.get(pk=invitation.pk)]
    assert services.invitations_remind(invitations=due, by=None, automatic=True) == 1
    # Another run that had read the invitation before the first one wrote.
    Invitation.objects.filter(pk=invitation.pk).update(auto_reminded=False)
    assert services.invitations_remind(invitations=due, by=None, automatic=True) == 0
    assert Message.objects.filter(kind="invitation-reminder").count() == 1


def test_beat_schedule_names_the_task():
    entries = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "members.tasks.invitation_reminders_send" in entries
    assert tasks.invitation_reminders_send.name == "members.tasks.invitation_reminders_send"
