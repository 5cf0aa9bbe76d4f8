"""The periodic jobs of `make run` (no broker): run when due, once, by one process."""

import datetime

import pytest

from wgportal import apps as portal_apps
from wgportal import embedded_beat
from wgportal.embedded_beat import EmbeddedBeat

pytestmark = pytest.mark.django_db


@pytest.fixture
def schedule():
    return {
        "every-minute": {"task": "meetings.tasks.reminders_send", "schedule": 60.0},
        "hourly": {"task": "meetings.tasks.action_item_reminders_send", "schedule": datetime.timedelta(hours=1)},
    }


def test_jobs_run_when_due_and_not_before(schedule, tmp_path):
    beat = EmbeddedBeat(schedule=schedule, lock_path=tmp_path / "beat.lock")
    try:
        assert beat.tick(now=1000.0) == ["every-minute", "hourly"]
        assert beat.tick(now=1030.0) == []
        assert beat.tick(now=1061.0) == ["every-minute"]
        assert beat.tick(now=4601.0) == ["every-minute", "hourly"]
    finally:
        beat.release()


def test_a_second_process_runs_nothing_while_the_first_holds_the_lock(schedule, tmp_path):
    first = EmbeddedBeat(schedule=schedule, lock_path=tmp_path / "beat.lock")
    second = EmbeddedBeat(schedule=schedule, lock_path=tmp_path / "beat.lock")
    try:
        assert first.tick(now=0.0)
        assert second.tick(now=0.0) == []
        first.release()  # the first server stops: the second takes over
        assert second.tick(now=0.0) == ["every-minute", "hourly"]
    finally:
        first.release()
        second.release()


def test_a_failing_job_does_not_stop_the_others(tmp_path):
    schedule = {"unknown": {"task": "no.such.task", "schedule": 60.0},
                "every-minute": {"task": "meetings.tasks.reminders_send", "schedule": 60.0}}
    beat = EmbeddedBeat(schedule=schedule, lock_path=tmp_path / "beat.lock")
    try:
        assert beat.tick(now=0.0) == ["unknown", "every-minute"]
    finally:
        beat.release()


def test_the_whole_beat_schedule_is_understood(settings):
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert embedded_beat._interval(entry["schedule"]) is not None, entry


def test_started_only_by_the_serving_runserver_process_without_a_broker(settings):
    assert portal_apps._serving_with_runserver(["manage.py", "runserver"], {"RUN_MAIN": "true"})
    assert portal_apps._serving_with_runserver(["manage.py", "runserver", "--noreload"], {})
    assert not portal_apps._serving_with_runserver(["manage.py", "runserver"], {})  # the reloader's parent
    assert not portal_apps._serving_with_runserver(["manage.py", "migrate"], {"RUN_MAIN": "true"})
    settings.CELERY_TASK_ALWAYS_EAGER, settings.EMBEDDED_BEAT = True, True
    assert embedded_beat.wanted()
    settings.EMBEDDED_BEAT = False
    assert not embedded_beat.wanted()
    settings.CELERY_TASK_ALWAYS_EAGER, settings.EMBEDDED_BEAT = False, True
    assert not embedded_beat.wanted()
