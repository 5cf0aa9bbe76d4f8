"""The beat runs its schedule on one node: two beats over one Redis, one sends."""

import os

import pytest
from celery.schedules import schedule

from wgportal import beat
from wgportal.celery import app

pytestmark = pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs Redis: set REDIS_URL")


@pytest.fixture
def lock_cleared(settings):
    import redis

    client = redis.Redis.from_url(settings.REDIS_URL)
    client.delete(beat.LOCK_KEY)
    yield client
    client.delete(beat.LOCK_KEY)


def _node(tmp_path, name, sent):
    scheduler = beat.SingleBeatScheduler(
        app, schedule_filename=str(tmp_path / f"{name}-schedule"), lazy=False,
    )
    scheduler.update_from_dict({"every-tick": {"task": "wgportal.tests.nothing", "schedule": schedule(0.001)}})
    scheduler.apply_async = lambda entry, *a, **kw: sent.append((name, entry.name))
    return scheduler


def test_of_two_beats_only_one_sends_and_the_other_takes_over_when_it_stops(tmp_path, lock_cleared):
    sent = []
    first, second = _node(tmp_path, "first", sent), _node(tmp_path, "second", sent)
    for _ in range(5):
        first.tick()
        second.tick()
    assert {node for node, _ in sent} == {"first"}
    assert second.tick() == beat.FOLLOWER_WAIT

    first.close()
    sent.clear()
    for _ in range(3):
        second.tick()
    assert {node for node, _ in sent} == {"second"}
    second.close()


def test_a_dead_leader_is_replaced_once_its_lock_lapses(tmp_path, lock_cleared):
    sent = []
    first, second = _node(tmp_path, "first", sent), _node(tmp_path, "second", sent)
    first.tick()
    second.tick()
    assert 0 < lock_cleared.pttl(beat.LOCK_KEY) <= beat.LOCK_SECONDS * 1000
    lock_cleared.delete(beat.LOCK_KEY)  # what LOCK_SECONDS without a tick from the first would do
    sent.clear()
    second.tick()
    second.tick()
    assert {node for node, _ in sent} == {"second"}
    assert first.tick() == beat.FOLLOWER_WAIT  # the old leader notices and stands by
    second.close()
    first.close()


def test_the_portal_starts_beat_with_this_scheduler(settings):
    assert settings.CELERY_BEAT_SCHEDULER == "wgportal.beat:SingleBeatScheduler"
    assert app.conf.beat_scheduler == "wgportal.beat:SingleBeatScheduler"
