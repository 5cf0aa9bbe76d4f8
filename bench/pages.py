"""Every member page against allauth's own signed-in page, measured with wrk in one run.

    .venv/bin/python bench/pages.py [--seconds 5] [--rounds 3] [--connections 4]

The floor for a signed-in page is what allauth's e-mail page costs on the same
gunicorn (session, user, one template): this prints, for each member page of
the demo group, its requests per second under ``wrk`` and the ratio to that
page. Pages and the anchor take turns, round after round, and the ratio of a
round divides figures measured seconds apart; the median over the rounds is
printed, because the absolute figures of a shared machine move a lot.

Needs PostgreSQL on 127.0.0.1 (BENCH_PG) and ``wrk`` (``apt-get install wrk``);
uses the database wg_perf_pages. With BENCH_REDIS_URL set, gunicorn gets it as
REDIS_URL (cache and sessions in Redis, as in production); the database of
that URL is flushed at start.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys

from _common import gunicorn, queries_for, setup_django

ANCHOR = "/accounts/email/"


def wrk(url: str, cookie: str, *, seconds: int, connections: int) -> tuple[float, float, int]:
    """Requests per second, mean latency in ms and non-2xx/3xx answers."""
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "-H", f"Cookie: {cookie}", url],
        capture_output=True, text=True, check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = re.search(r"50%\s+([\d.]+)(us|ms|s)", out)
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}[p50.group(2)]
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = re.search(r"Socket errors:.*?(\d+).*?(\d+).*?(\d+).*?(\d+)", out)
    failures = int(bad.group(1)) if bad else 0
    if errors:
        failures += sum(int(g) for g in errors.groups())
    return rps, float(p50.group(1)) * scale, failures


def check_signed_in(url: str, cookie: str) -> None:
    """wrk counts a redirect to the sign-in page as a success: make sure there is none."""
    import http.client
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    connection.request("GET", parts.path + (f"?{parts.query}" if parts.query else ""), headers={"Cookie": cookie})
    status = connection.getresponse().status
    connection.close()
    if status != 200:
        raise SystemExit(f"{url} answered {status} to the signed-in member, not 200")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=5, help="wrk duration per page per round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install wrk")

    redis_url = os.environ.get("BENCH_REDIS_URL", "")
    extra_env = {}
    if redis_url:
        os.environ["REDIS_URL"] = redis_url  # this process writes the session the same way gunicorn reads it
        extra_env["REDIS_URL"] = redis_url
    url = setup_django("wg_perf_pages")

    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.core.cache import cache
    from django.core.management import call_command

    from briefings.models import Document
    from meetings.models import Meeting
    from members.models import User

    if redis_url:
        cache.clear()
    call_command("seed_demo", "--password", "bench-pass-2007", verbosity=0)
    member = User.objects.get(email="member@germany.example")
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(member.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = member.get_session_auth_hash()
    store.save()
    cookie = f"{settings.SESSION_COOKIE_NAME}={store.session_key}"

    meeting = Meeting.objects.order_by("-start").first()
    document = Document.objects.filter(access_level="members").order_by("pk").first()
    pages = {
        "allauth e-mail (anchor)": ANCHOR,
        "dashboard": "/",
        "directory": "/members/",
        "meetings": "/meetings/",
        "a meeting": f"/meetings/{meeting.pk}/",
        "library": "/briefings/documents/",
        "search": "/briefings/search/?q=trafficking",
        "a document": f"/briefings/documents/{document.pk}/",
    }
    print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}; "
          f"gunicorn {args.workers} workers; wrk {args.connections} connections, "
          f"{args.seconds} s x {args.rounds} rounds; "
          f"cache {'Redis' if redis_url else 'local memory'}; sessions {settings.SESSION_ENGINE.rsplit('.', 1)[1]}",
          flush=True)

    rps: dict[str, list[float]] = {name: [] for name in pages}
    p50: dict[str, list[float]] = {name: [] for name in pages}
    ratios: dict[str, list[float]] = {name: [] for name in pages}
    failures = dict.fromkeys(pages, 0)
    with gunicorn(url, workers=args.workers, extra_env=extra_env) as base:
        queries = {name: queries_for(path, member) for name, path in pages.items()}  # after collectstatic
        for path in pages.values():
            check_signed_in(base + path, cookie)
        for path in pages.values():  # warm every worker's caches and connections
            wrk(base + path, cookie, seconds=1, connections=args.connections)
        for _ in range(args.rounds):
            anchor = None
            for name, path in pages.items():
                r, latency, bad = wrk(base + path, cookie, seconds=args.seconds, connections=args.connections)
                rps[name].append(r)
                p50[name].append(latency)
                failures[name] += bad
                if anchor is None:
                    anchor = r
                ratios[name].append(r / anchor)

    print(f"{'page':26} {'path':36} {'queries':>7} {'req/s':>8} {'p50 ms':>8} {'ratio':>6} {'errors':>6}")
    for name, path in pages.items():
        print(f"{name:26} {path:36} {queries[name]:7d} {statistics.median(rps[name]):8.1f} "
              f"{statistics.median(p50[name]):8.1f} {statistics.median(ratios[name]):6.2f} {failures[name]:6d}")
    print("ratio = page req/s / anchor req/s measured in the same round; median over the rounds")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
