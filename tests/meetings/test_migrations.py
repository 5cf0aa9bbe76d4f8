"""The rename of the meeting invitation model to ``Rsvp`` keeps every row."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("meetings", "0001_initial")]
AFTER = [("meetings", "0002_rename_invitation_rsvp")]


@pytest.mark.django_db(transaction=True)
def test_rename_to_rsvp_keeps_every_row():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    try:
        old = executor.loader.project_state(BEFORE).apps
        meeting = old.get_model("meetings", "Meeting").objects.create(
            number=1, title="First meeting", start=timezone.now(), end=timezone.now(), calendar_uid="m1@test")
        Invitation = old.get_model("meetings", "Invitation")
        Invitation.objects.bulk_create([
            Invitation(meeting=meeting, email=f"guest{n}@example.org", response="accepted") for n in range(3)])
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(AFTER)
    try:
        new = executor.loader.project_state(AFTER).apps
        rows = new.get_model("meetings", "Rsvp").objects.filter(meeting_id=meeting.pk)
        assert sorted(rows.values_list("email", "response")) == [
            (f"guest{n}@example.org", "accepted") for n in range(3)]
    finally:
        # Back to the latest schema: the tests after this one (and other processes) use it.
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
