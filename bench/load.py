"""Load test: 50 simulated members for 60 s against gunicorn, PostgreSQL and Redis.

    .venv/bin/python bench/load.py [--users 50] [--seconds 60] [--workers 4]
    make bench-load

Builds (once; later runs reuse it) a group of 500 organizations, 5,000 people,
1,000 meetings and 20,000 documents in the database wg_perf_load with
bulk_create, starts gunicorn (DJANGO_DEBUG=0, cache and sessions in Redis from
BENCH_REDIS_URL, default redis://127.0.0.1:6379/13, flushed at start) and runs
locust headless with bench/locustfile.py: each simulated member signs in, then
reads the dashboard, directory, meetings, a meeting, the library, a search and
downloads a document, 1 to 2 s apart. Prints per page: requests, requests per
second, p50/p95/p99 and errors. Needs locust (bench/requirements.txt).
"""

from __future__ import annotations

import argparse
import csv
import datetime
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import ROOT, gunicorn, setup_django  # noqa: E402

PASSWORD = "bench-load-pass-2007"
ORGS, PEOPLE, MEETINGS, DOCUMENTS = 500, 5000, 1000, 20000
DOWNLOADABLE = 200


def log(message: str) -> None:
    print(message, flush=True)


def build(media_root: Path) -> dict:
    """The dataset, made fast with bulk_create; returns what the simulated members need."""
    import briefings_search
    from allauth.account.models import EmailAddress
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    from briefings.demo import pdf_bytes
    from briefings.models import Document
    from meetings.models import Meeting
    from members.models import Organization, User

    started = time.perf_counter()
    call_command("seed_demo", "--password", PASSWORD, verbosity=0)
    rng = random.Random(2007)
    missing = ORGS - Organization.objects.count()
    if missing > 0:
        kinds = list(Organization.Kind.values)
        Organization.objects.bulk_create([
            Organization(name=f"Load organization {i:04d}", kind=rng.choice(kinds), country="Kenya",
                         status="active" if i % 5 else "observer",
                         joined_on=datetime.date(2007, 1, 1) + datetime.timedelta(days=i))
            for i in range(missing)
        ])
    orgs = list(Organization.objects.filter(status="active").values_list("pk", flat=True))
    missing = PEOPLE - User.objects.count()
    if missing > 0:
        hashed = make_password(PASSWORD)
        start = User.objects.count()
        with transaction.atomic():
            people = User.objects.bulk_create([
                User(email=f"load{start + i:05d}@load.example", full_name=f"Load Person {start + i:05d}",
                     organization_id=orgs[i % len(orgs)], password=hashed)
                for i in range(missing)
            ])
            EmailAddress.objects.bulk_create([
                EmailAddress(user=p, email=p.email, verified=True, primary=True) for p in people
            ])
    missing = MEETINGS - Meeting.objects.count()
    if missing > 0:
        now = timezone.now()
        base = Meeting.objects.order_by("-number").values_list("number", flat=True).first() or 0
        rows = []
        for i in range(missing):
            start = now - datetime.timedelta(days=7 * (missing - i)) + datetime.timedelta(days=60)
            rows.append(Meeting(
                number=base + i + 1, title=f"Load meeting {base + i + 1}", start=start,
                end=start + datetime.timedelta(hours=2), venue="Nairobi", host_id=rng.choice(orgs),
                status="held" if start < now else "scheduled", calendar_uid=f"load-{base + i + 1}@wgportal",
            ))
        Meeting.objects.bulk_create(rows)
    briefings_search.load_documents(DOCUMENTS)
    downloads = list(Document.objects.filter(access_level="members", sha256__startswith="bench")
                     .order_by("pk").values_list("pk", "file")[:DOWNLOADABLE])
    content = pdf_bytes("Load document", ["A document downloaded by the load test."])
    for _, name in downloads:
        path = media_root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    # The download's Content-Length is the recorded size: make it the file's.
    Document.objects.filter(pk__in=[pk for pk, _ in downloads]).update(size=len(content))
    log(f"dataset: {Organization.objects.count()} organizations, {User.objects.count()} people, "
        f"{Meeting.objects.count()} meetings, {Document.objects.count()} documents "
        f"({time.perf_counter() - started:.0f} s)")
    return {
        "all_emails": list(User.objects.filter(email__endswith="@load.example").values_list("email", flat=True)[:500]),
        "password": PASSWORD,
        "meetings": list(Meeting.objects.exclude(status="draft").values_list("pk", flat=True)),
        "downloads": [pk for pk, _ in downloads],
        "queries": briefings_search.QUERIES,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers")
    args = parser.parse_args()

    media_root = Path(tempfile.gettempdir()) / "wg_perf_load_media"
    os.environ["MEDIA_ROOT"] = str(media_root)
    redis_url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13")
    os.environ["REDIS_URL"] = redis_url
    url = setup_django("wg_perf_load")
    from django.core.cache import cache

    cache.clear()
    plan = build(media_root)
    plan["emails"] = plan["all_emails"][: args.users]
    work = Path(tempfile.mkdtemp(prefix="wg_perf_load_"))
    (work / "plan.json").write_text(json.dumps(plan))
    log(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}; gunicorn {args.workers} workers; "
        f"{args.users} simulated members for {args.seconds} s")
    # allauth limits sign-ins per address; every simulated member comes from 127.0.0.1.
    (work / "bench_load_settings.py").write_text(
        "from wgportal.settings import *  # noqa: F403\nACCOUNT_RATE_LIMITS = False\n"
    )
    extra_env = {"REDIS_URL": redis_url, "MEDIA_ROOT": str(media_root), "PYTHONPATH": f"{work}:{ROOT}",
                 "DJANGO_SETTINGS_MODULE": "bench_load_settings"}
    with gunicorn(url, workers=args.workers, extra_env=extra_env) as base:
        subprocess.run(
            [sys.executable, "-m", "locust", "-f", str(ROOT / "bench" / "locustfile.py"), "--headless",
             "-u", str(args.users), "-r", "5", "-t", f"{args.seconds}s", "--host", base,
             "--csv", str(work / "load"), "--only-summary", "--loglevel", "WARNING", "--stop-timeout", "5"],
            env={**os.environ, "BENCH_LOAD_PLAN": str(work / "plan.json")}, check=False,
            stdout=subprocess.DEVNULL, timeout=args.seconds + 120,
        )
    with open(work / "load_stats.csv") as handle:
        rows = list(csv.DictReader(handle))
    log(f"\n{'page':18} {'requests':>8} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'errors':>6}")
    for row in rows:
        log(f"{row['Name']:18} {row['Request Count']:>8} {float(row['Requests/s']):7.1f} {row['50%']:>7} "
            f"{row['95%']:>7} {row['99%']:>7} {row['Failure Count']:>6}")
    failures = work / "load_failures.csv"
    if failures.exists() and failures.read_text().count("\n") > 1:
        log("\nfailures:\n" + failures.read_text())


if __name__ == "__main__":
    main()
