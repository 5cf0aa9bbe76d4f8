"""The stale flag and the one reminder to the contact (beat task)."""

import datetime

import pytest
from django.utils import timezone

from coordination import services, tasks
from coordination.models import Project
from notifications.models import Message
from tests.members.factories import OrganizationFactory

from .factories import data_of, make_project

pytestmark = pytest.mark.django_db


def _age(project, days):
    Project.objects.filter(pk=project.pk).update(updated_at=timezone.now() - datetime.timedelta(days=days))
    project.refresh_from_db()
    return project


def test_a_project_not_updated_for_six_months_is_stale_and_reminded_once(settings):
    settings.PROJECT_STALE_MONTHS = 6
    fresh = make_project(organization=OrganizationFactory())
    old = _age(make_project(organization=OrganizationFactory(), locations=("KE-14",)), 200)
    closed = _age(make_project(organization=OrganizationFactory(), status=4), 400)
    assert old.is_stale and not fresh.is_stale and not closed.is_stale
    assert tasks.stale_reminders_send.delay().get() == 1
    assert tasks.stale_reminders_send.delay().get() == 0
    message = Message.objects.get(kind="coordination.stale_reminder")
    assert message.recipient_email == old.contact.email and old.title in message.subject


def test_updating_a_stale_project_clears_it_and_allows_a_later_reminder(settings):
    settings.PROJECT_STALE_MONTHS = 6
    old = _age(make_project(organization=OrganizationFactory()), 200)
    services.stale_reminders_send()
    updated = services.project_save(organization=old.reporting_organization, data=data_of(old), by=None,
                                    project=old)
    assert not updated.is_stale
    _age(updated, 200)
    assert services.stale_reminders_send() == 1
    assert Message.objects.filter(kind="coordination.stale_reminder").count() == 2


def test_the_setting_changes_the_stale_age(settings):
    settings.PROJECT_STALE_MONTHS = 1
    assert _age(make_project(organization=OrganizationFactory()), 40).is_stale
