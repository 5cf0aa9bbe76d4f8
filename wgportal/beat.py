"""A beat that runs its schedule on one node only, whichever nodes start it.

The periodic tasks (outbox sweep, reminders, the indexing sweep) must not run
once per machine. Deployments start exactly one ``celery beat`` (the
Procfile's ``beat``); this scheduler makes a second one harmless as well: with
``REDIS_URL`` set, a beat sends tasks only while it holds a lock in Redis,
renewed on every tick. The others wait, and one of them takes over within
``LOCK_SECONDS`` when the holder stops or dies. Without Redis (one machine)
it is celery's ordinary scheduler.
"""

from __future__ import annotations

import logging
import os
import socket

from celery.beat import PersistentScheduler
from django.conf import settings

logger = logging.getLogger(__name__)

LOCK_KEY = "wgportal:beat:leader"
LOCK_SECONDS = 30  # a dead leader is replaced after at most this long
FOLLOWER_WAIT = 5.0  # seconds between a follower's attempts to take the lock


class SingleBeatScheduler(PersistentScheduler):
    #: ticks must come well within the lock's lifetime, or the lock would lapse between two of them
    max_interval = LOCK_SECONDS / 3

    def __init__(self, *args, **kwargs):
        self._lock = None
        self._leading = False
        url = getattr(settings, "REDIS_URL", "")
        if url:
            import redis

            client = redis.Redis.from_url(url)
            self._lock = client.lock(LOCK_KEY, timeout=LOCK_SECONDS, thread_local=False)
            self._lock.local.token = f"{socket.gethostname()}:{os.getpid()}:{id(self)}".encode()
        super().__init__(*args, **kwargs)

    def _hold_lock(self) -> bool:
        if self._lock is None:
            return True
        try:
            if self._leading and self._lock.owned():
                self._lock.reacquire()  # back to a full LOCK_SECONDS
                return True
            # Our own token (set above) is what owned() and release() compare with.
            if self._lock.redis.set(LOCK_KEY, self._lock.local.token, nx=True, px=LOCK_SECONDS * 1000):
                if not self._leading:
                    logger.info("beat: this node now runs the schedule")
                self._leading = True
                return True
        except Exception:  # noqa: BLE001 - Redis away: do not run, another node may hold the lock
            logger.warning("beat: cannot reach Redis to hold the schedule lock", exc_info=True)
        if self._leading:
            logger.warning("beat: another node took over the schedule")
        self._leading = False
        return False

    def tick(self, *args, **kwargs):
        if not self._hold_lock():
            return FOLLOWER_WAIT
        return min(super().tick(*args, **kwargs), self.max_interval)

    def close(self):
        try:
            super().close()
        finally:
            if self._lock is not None and self._leading:
                try:
                    self._lock.release()  # hand over at once rather than after LOCK_SECONDS
                except Exception:  # noqa: BLE001 - the lock lapses by itself anyway
                    pass
                self._leading = False
