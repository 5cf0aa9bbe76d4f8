"""Periodic jobs without a broker: under `make run` (no CELERY_BROKER_URL) there is
no `celery beat`, so the development server runs CELERY_BEAT_SCHEDULE itself in a
background thread, each task eagerly, in process.

Several processes (two `runserver`s on one checkout) must not run the jobs twice:
the first to take an exclusive lock on ``var/embedded-beat.lock`` is the only one
that runs them; the others keep trying, and take over if it stops. The jobs are
idempotent anyway (outbox dedupe keys), so the lock saves work, not correctness.
With a broker, `make worker` and `make beat` do this instead and nothing here runs.
"""

from __future__ import annotations

import datetime
import fcntl
import importlib
import logging
import threading
import time
from pathlib import Path

from django.conf import settings
from django.db import close_old_connections

from .celery import app

log = logging.getLogger(__name__)

TICK_SECONDS = 5.0


def _interval(schedule) -> float | None:
    """Seconds between runs of a schedule entry; None for schedules only beat understands (crontab)."""
    if isinstance(schedule, int | float):
        return float(schedule)
    if isinstance(schedule, datetime.timedelta):
        return schedule.total_seconds()
    run_every = getattr(schedule, "run_every", None)  # celery.schedules.schedule
    return run_every.total_seconds() if isinstance(run_every, datetime.timedelta) else None


class EmbeddedBeat:
    """Runs the beat schedule's due tasks on each ``tick`` while holding the lock."""

    def __init__(self, *, schedule: dict | None = None, lock_path: Path | None = None):
        self.schedule = settings.CELERY_BEAT_SCHEDULE if schedule is None else schedule
        self.lock_path = lock_path or Path(settings.BASE_DIR) / "var" / "embedded-beat.lock"
        self.last_run: dict[str, float] = {}
        self._lock_file = None

    def _hold_lock(self) -> bool:
        if self._lock_file is not None:
            return True
        self.lock_path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(self.lock_path, "a+")  # noqa: SIM115 - held open for the life of the process
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            return False
        self._lock_file = handle
        return True

    def release(self) -> None:
        if self._lock_file is not None:
            self._lock_file.close()  # closing the file releases the lock
            self._lock_file = None

    def tick(self, now: float | None = None) -> list[str]:
        """Run every entry whose interval has passed; returns the names run (none without the lock)."""
        if not self._hold_lock():
            return []
        now = time.monotonic() if now is None else now
        ran = []
        for name, entry in self.schedule.items():
            interval = _interval(entry.get("schedule"))
            if interval is None:
                continue
            last = self.last_run.get(name)
            if last is not None and now - last < interval:
                continue
            self.last_run[name] = now
            ran.append(name)
            try:
                _task(entry["task"]).apply(args=entry.get("args", ()), kwargs=entry.get("kwargs", {}))
            except Exception:  # one failing job must not stop the others
                log.exception("Embedded beat: %s failed", entry.get("task"))
            finally:
                close_old_connections()
        return ran


def _task(name: str):
    """The registered task ``name``; its module is imported first, since the web
    process never ran Celery's (lazy) autodiscovery."""
    importlib.import_module(name.rsplit(".", 1)[0])
    return app.tasks[name]


def start_in_background() -> threading.Thread:
    """Start the scheduler thread (a daemon: it ends with the server)."""
    beat = EmbeddedBeat()

    def loop():
        time.sleep(TICK_SECONDS)  # let the server finish starting
        while True:
            beat.tick()
            time.sleep(TICK_SECONDS)

    thread = threading.Thread(target=loop, name="embedded-beat", daemon=True)
    thread.start()
    log.info("Embedded beat started: periodic jobs run in this process (no CELERY_BROKER_URL).")
    return thread


def wanted() -> bool:
    """Only without a broker (tasks eager), unless EMBEDDED_BEAT is switched off."""
    return bool(settings.CELERY_TASK_ALWAYS_EAGER and getattr(settings, "EMBEDDED_BEAT", True))
