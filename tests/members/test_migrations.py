"""Notes on organizations written before they were dated get the day they were written,
and their author's organization."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("members", "0004_organization_iati_identifier")]
AFTER = [("members", "0005_organization_note_dated_hidden"), ("coordination", "0004_partner_notes_into_members")]


@pytest.mark.django_db(transaction=True)
def test_undated_notes_are_dated_the_day_they_were_written():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    written = timezone.make_aware(datetime.datetime(2007, 1, 8, 16, 0))
    try:
        old = executor.loader.project_state(BEFORE).apps
        Organization, User = old.get_model("members", "Organization"), old.get_model("members", "User")
        iom = Organization.objects.create(name="IOM", kind="international", status="active")
        solwodi = Organization.objects.create(name="SOLWODI", kind="ngo", status="partner")
        author = User.objects.create(email="counter-trafficking@iom.example", organization=iom)
        Note = old.get_model("members", "OrganizationNote")
        Note.objects.create(organization=solwodi, author=author, text="Runs a shelter in Mombasa.")
        Note.objects.create(organization=solwodi, author=None, text="Written by someone who left.")
        Note.objects.update(created_at=written)
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    rows = new.get_model("members", "OrganizationNote").objects.order_by("text")
    assert list(rows.values_list("text", "noted_on", "author_organization_id", "updated_at")) == [
        ("Runs a shelter in Mombasa.", datetime.date(2007, 1, 8), iom.pk, written),
        ("Written by someone who left.", datetime.date(2007, 1, 8), None, written),
    ]
