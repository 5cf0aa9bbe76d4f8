"""The partner notes move into ``members.OrganizationNote`` keeping every row: text, dates,
author and their organization, and whether a coordinator hid it."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("coordination", "0003_project_span"), ("members", "0005_organization_note_dated_hidden")]
AFTER = [("coordination", "0004_partner_notes_into_members")]


@pytest.mark.django_db(transaction=True)
def test_partner_notes_move_into_organization_notes_keeping_every_row():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    long_ago = timezone.make_aware(datetime.datetime(2007, 2, 12, 9, 30))
    try:
        old = executor.loader.project_state(BEFORE).apps
        Organization, User = old.get_model("members", "Organization"), old.get_model("members", "User")
        iom = Organization.objects.create(name="IOM", kind="international", status="active")
        solwodi = Organization.objects.create(name="SOLWODI", kind="ngo", status="partner")
        author = User.objects.create(email="counter-trafficking@iom.example", organization=iom)
        cochair = User.objects.create(email="cochair@unicef.example")
        # One note the members app already had, written before notes were dated.
        kept = old.get_model("members", "OrganizationNote").objects.create(
            organization=solwodi, author=author, author_organization=iom, noted_on=datetime.date(2007, 1, 8),
            text="Already in members.")
        PartnerNote = old.get_model("coordination", "PartnerNote")
        PartnerNote.objects.create(organization=solwodi, author=author, author_organization=iom,
                                   noted_on=datetime.date(2007, 2, 12), text="Runs a shelter in Mombasa.")
        PartnerNote.objects.create(organization=solwodi, author=None, author_organization=None,
                                   noted_on=datetime.date(2007, 3, 1), text="Good at family tracing.",
                                   hidden_at=long_ago, hidden_by=cochair)
        PartnerNote.objects.update(created_at=long_ago, updated_at=long_ago)
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    assert "partnernote" not in new.all_models["coordination"]
    rows = new.get_model("members", "OrganizationNote").objects.order_by("noted_on")
    assert list(rows.values_list("pk", flat=True))[0] == kept.pk
    assert list(rows.values_list("organization_id", "author_id", "author_organization_id", "noted_on", "text",
                                 "hidden_by_id")) == [
        (solwodi.pk, author.pk, iom.pk, datetime.date(2007, 1, 8), "Already in members.", None),
        (solwodi.pk, author.pk, iom.pk, datetime.date(2007, 2, 12), "Runs a shelter in Mombasa.", None),
        (solwodi.pk, None, None, datetime.date(2007, 3, 1), "Good at family tracing.", cochair.pk),
    ]
    copied = rows.exclude(pk=kept.pk)
    assert all(note.created_at == note.updated_at == long_ago for note in copied)
    assert copied.get(hidden_by_id=cochair.pk).hidden_at == long_ago
