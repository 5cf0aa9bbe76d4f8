"""The outbox's tasks, run eagerly: the fan-out and the beat sweep."""

from datetime import timedelta

from django.utils import timezone

from notifications import tasks
from notifications.models import Message
from tests.notifications.factories import MessageFactory


def test_sweep_enqueues_rows_left_behind_once(db, mailoutbox):
    left = MessageFactory()
    fresh = MessageFactory()  # queued a moment ago: its own task is on its way
    Message.objects.filter(pk=left.pk).update(updated_at=timezone.now() - timedelta(minutes=10))
    assert tasks.outbox_sweep() == 1
    left.refresh_from_db()
    fresh.refresh_from_db()
    assert (left.status, fresh.status) == ("sent", "queued") and len(mailoutbox) == 1
    assert tasks.outbox_sweep() == 0


def test_fan_out_stops_at_the_first_refusal_of_the_broker(db, monkeypatch):
    from celery.app.task import Task

    calls = []

    def refuse(self, *args, **kwargs):
        calls.append(args)
        raise ConnectionRefusedError("broker down")

    monkeypatch.setattr(Task, "apply_async", refuse)
    rows = MessageFactory.create_batch(3)
    assert tasks.messages_send([row.pk for row in rows]) == 0
    assert len(calls) == 1  # not one slow refusal per row: the sweep takes the rest
    assert set(Message.objects.values_list("status", flat=True)) == {"queued"}
