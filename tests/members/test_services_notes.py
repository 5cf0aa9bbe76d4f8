"""Writes of members' notes on organizations (``members.services.notes``)."""

import datetime

import pytest
from django.utils import timezone

from members import services
from members.models import OrganizationNote
from tests.members.factories import OrganizationFactory

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def solwodi():
    return OrganizationFactory(name="Solidarity with Women in Distress", acronym="SOLWODI", status="partner")


def test_note_keeps_the_authors_organization_of_the_day(member, solwodi):
    germany = member.organization
    note = services.note_add(organization=solwodi, author=member, text="  Runs a shelter in Mombasa. ",
                             noted_on=D(2007, 2, 12))
    member.organization = OrganizationFactory(name="Embassy of Sweden")
    member.save()
    note.refresh_from_db()
    assert (note.author, note.author_organization, note.text, note.noted_on) == (
        member, germany, "Runs a shelter in Mombasa.", D(2007, 2, 12))


def test_note_without_a_date_is_dated_today(member, solwodi):
    note = services.note_add(organization=solwodi, author=member, text="Good at family tracing.")
    assert note.noted_on == timezone.localdate()


def test_edit_changes_text_and_date_and_stamps_the_update(member, solwodi):
    note = services.note_add(organization=solwodi, author=member, text="Draft", noted_on=D(2007, 1, 5))
    OrganizationNote.objects.filter(pk=note.pk).update(updated_at=timezone.now() - datetime.timedelta(days=3))
    note.refresh_from_db()
    before = note.updated_at
    services.note_edit(note=note, text=" Reliable partner for referrals. ", noted_on=D(2007, 3, 1))
    note.refresh_from_db()
    assert (note.text, note.noted_on) == ("Reliable partner for referrals.", D(2007, 3, 1))
    assert note.updated_at > before


def test_delete_removes_only_that_note(member, solwodi):
    kept = services.note_add(organization=solwodi, author=member, text="Kept")
    gone = services.note_add(organization=solwodi, author=member, text="Gone")
    services.note_delete(note=gone)
    assert list(OrganizationNote.objects.all()) == [kept]


def test_hide_records_who_hid_it_and_showing_again_clears_it(member, cochair, solwodi):
    note = services.note_add(organization=solwodi, author=member, text="Slow to report.")
    services.note_hide(note=note, by=cochair)
    note.refresh_from_db()
    assert note.hidden_by == cochair and note.hidden_at is not None
    services.note_hide(note=note, by=cochair, hidden=False)
    note.refresh_from_db()
    assert note.hidden_by is None and note.hidden_at is None
