"""Invitations for one meeting to 1,000 recipients, through the real path, against a bare smtplib loop.

    .venv/bin/python bench/meetings_invitations.py [--recipients 1000] [--concurrency 4]

The real path: ``meetings.services.rsvps_send`` writes one outbox row per person
naming the invitation renderer (the click); a ``celery worker`` subprocess
(prefork, ``--concurrency``) takes the mailing in batches of
``OUTBOX_BATCH_SIZE`` rows, composes each message (text, HTML, signed reply
links, an ``.ics`` made with icalendar) and sends the batch over one SMTP
connection to an aiosmtpd server on loopback, recording each row as it goes.
The clock runs from the click to the last message received. The baseline sends
the very same messages, already built as bytes, with a bare ``smtplib`` loop
over one connection. Prints emails per second for both, their ratio, and the
worker's peak memory (resident set of the worker and its pool processes,
summed, sampled every 50 ms).

Needs PostgreSQL and Redis: BENCH_POSTGRES (default postgres://postgres@127.0.0.1:5432),
BENCH_BROKER_URL (default redis://127.0.0.1:6379/14). It creates the database
wg_perf_meetings, and drops it, the worker and the SMTP server when it ends.
"""

from __future__ import annotations

import argparse
import os
import secrets
import smtplib
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# With DJANGO_DEBUG=0 the portal refuses its public development key.
os.environ.setdefault("DJANGO_SECRET_KEY", "bench-" + secrets.token_urlsafe(50))
sys.path.insert(0, str(ROOT))

POSTGRES = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432").rstrip("/")
DB_NAME = "wg_perf_meetings"
BROKER = os.environ.get("BENCH_BROKER_URL", "redis://127.0.0.1:6379/14")


class Sink:
    """Counts what the SMTP server accepts."""

    def __init__(self):
        self.count = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.count += 1
        return "250 OK"

    def wait_for(self, count: int, timeout: float = 600) -> None:
        deadline = time.monotonic() + timeout
        while self.count < count:
            if time.monotonic() > deadline:
                raise RuntimeError(f"only {self.count} of {count} messages arrived")
            time.sleep(0.01)


def _admin_sql(sql: str) -> None:
    import psycopg2

    connection = psycopg2.connect(f"{POSTGRES}/postgres")
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(sql)
    connection.close()


def _tree_rss(pid: int) -> int:
    """Resident bytes of a process and its children (Linux /proc)."""
    total, pids = 0, [pid]
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        pids += [int(c) for c in children]
    except OSError:
        return 0
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
        except OSError:
            pass
    return total


class PeakSampler(threading.Thread):
    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.peak, self.running = pid, 0, True

    def run(self):
        while self.running:
            self.peak = max(self.peak, _tree_rss(self.pid))
            time.sleep(0.05)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--recipients", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=4, help="worker pool processes")
    args = parser.parse_args()

    from aiosmtpd.controller import Controller

    sink = Sink()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        smtp_port = probe.getsockname()[1]
    controller = Controller(sink, hostname="127.0.0.1", port=smtp_port)
    controller.start()

    env = {
        **os.environ, "DATABASE_URL": f"{POSTGRES}/{DB_NAME}", "DATABASE_CONN_MAX_AGE": "60",
        "CELERY_BROKER_URL": BROKER, "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}", "DJANGO_DEBUG": "0",
        "SITE_URL": "https://wgportal.example", "LOG_LEVEL": "WARNING",
    }
    _admin_sql(f"DROP DATABASE IF EXISTS {DB_NAME}")
    _admin_sql(f"CREATE DATABASE {DB_NAME}")
    worker = None
    try:
        subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
        os.environ.update({k: env[k] for k in ("DATABASE_URL", "CELERY_BROKER_URL", "EMAIL_URL", "DJANGO_DEBUG",
                                               "SITE_URL", "LOG_LEVEL")})
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wgportal.settings")
        import django

        django.setup()
        from wgportal.celery import app

        app.control.purge()
        worker = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "wgportal", "worker", "--loglevel=WARNING", "--pool=prefork",
             f"--concurrency={args.concurrency}", "--without-gossip", "--without-mingle", "--without-heartbeat",
             "-n", f"bench-{os.getpid()}@%h"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        _wait_for_worker(app)
        sampler = PeakSampler(worker.pid)
        sampler.start()
        idle_rss = _tree_rss(worker.pid)

        meeting = _scene(args.recipients)
        from meetings import services
        from notifications.models import Message

        started = time.perf_counter()
        mailing = services.rsvps_send(meeting=meeting, by=None)
        queued = time.perf_counter()
        sink.wait_for(args.recipients)
        delivered = time.perf_counter()
        while Message.objects.filter(mailing=mailing, status="sent").count() < args.recipients:
            time.sleep(0.05)
        sampler.running = False
        worker_seconds = delivered - started

        # The baseline: the same messages, one connection, nothing else.
        from notifications.delivery import _build_email

        raw = [(row.recipient_email, _build_email(row).message().as_bytes(linesep="\r\n"))
               for row in Message.objects.filter(mailing=mailing).order_by("pk")]
        sink.count = 0
        started = time.perf_counter()
        with smtplib.SMTP("127.0.0.1", smtp_port) as smtp:
            for to, message in raw:
                smtp.sendmail("noreply@wgportal.example", [to], message)
        sink.wait_for(len(raw))
        bare_seconds = time.perf_counter() - started

        n = args.recipients
        size = sum(len(m) for _, m in raw) / len(raw)
        print(f"meeting invitations to {n} recipients (average message {size / 1024:.1f} KiB with its .ics)")
        print(f"  portal (outbox rows + Redis + worker x{args.concurrency} composing + SMTP): "
              f"{worker_seconds:6.2f} s  {n / worker_seconds:7.1f} emails/s "
              f"(of which the click, writing the rows and enqueuing: {queued - (delivered - worker_seconds):.2f} s)")
        print(f"  bare smtplib loop, one connection:                     "
              f"{bare_seconds:6.2f} s  {n / bare_seconds:7.1f} emails/s")
        print(f"  ratio bare / portal: {worker_seconds / bare_seconds:.1f}x")
        print(f"  ratio portal / bare (emails/s): {bare_seconds / worker_seconds:.2f} (goal 0.5 or more)")
        print(f"  worker peak memory (main + {args.concurrency} pool processes): {sampler.peak / 2**20:.0f} MiB "
              f"(idle {idle_rss / 2**20:.0f} MiB)")
    finally:
        if worker is not None:
            worker.terminate()
            try:
                worker.wait(timeout=20)
            except subprocess.TimeoutExpired:
                worker.kill()
        controller.stop()
        from django.db import connections

        connections.close_all()
        _admin_sql(f"DROP DATABASE IF EXISTS {DB_NAME}")


def _wait_for_worker(app, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if app.control.ping(timeout=0.5):
            return
    raise RuntimeError("the Celery worker did not start")


def _scene(recipients: int):
    """1,000 people in 50 active member organizations, and a meeting with an agenda."""
    import datetime

    from django.utils import timezone

    from meetings import services
    from members.models import Organization, User

    organizations = Organization.objects.bulk_create([
        Organization(name=f"Embassy of Country {i}", kind="mission", status="active") for i in range(50)])
    User.objects.bulk_create([
        User(email=f"person{i}@country{i % 50}.example", full_name=f"Person {i}", organization=organizations[i % 50],
             password="!") for i in range(recipients)])
    start = timezone.now() + datetime.timedelta(days=14)
    meeting = services.meeting_create(by=None, title="Anti-TIP projects: who does what where", number=4, start=start,
                                      end=start + datetime.timedelta(hours=2), venue="UNICEF, UN Gigiri complex",
                                      host=organizations[0], status="scheduled")
    for title in ("Review of open action items", "Anti-TIP projects", "Update on the anti-TIP bill"):
        services.agenda_item_add(meeting=meeting, title=title, presenter=organizations[1], minutes=30)
    return meeting


if __name__ == "__main__":
    main()
