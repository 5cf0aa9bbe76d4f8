"""Benchmark of the document library: search latency, library page throughput, large downloads.

    .venv/bin/python bench/briefings_search.py [--documents 20000] [--database-url postgres://...]

What it does, on this machine only (every address is 127.0.0.1):
1. loads N documents with extracted text into a separate PostgreSQL database
   (default wg_perf_briefings, created if missing), and refreshes their search
   vectors with the same service the portal uses;
2. runs the search the search page runs (count, first page with ranked
   results and highlighted snippets) for a set of queries, and prints p50/p95;
3. starts gunicorn on a free loopback port and measures the library page's
   requests per second for a bounded number of requests and seconds;
4. downloads a 200 MB document through the portal (permission check, log row,
   streamed file) and a 200 MB static file served by whitenoise, printing the
   throughput and the worker's peak memory growth for each.

Everything it starts (gunicorn) is stopped, and the big files removed, on exit.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

QUERIES = [
    "trafficking", "child sex tourism", "Mombasa recruiters", "anti-TIP bill", "ECPAT code of conduct",
    "police prosecution", "Malindi", "victim protection shelter", "domestic workers Middle East",
    "public awareness campaign",
]
WORDS = (
    "trafficking persons victims recruiters agencies coast Mombasa Malindi Kilifi Diani Nairobi police "
    "prosecution court magistrate shelter protection prevention partnership awareness campaign children "
    "tourism hotels operators code conduct ECPAT bill parliament ministry strategy plan action labour "
    "domestic workers Middle East Germany survivors referral counselling NGO network embassy donors budget "
    "training officers border immigration passports brokers debt bondage exploitation study survey report"
).split()
# Marks documents loaded by this version of the generator; a different one reloads.
CORPUS_VERSION = "bench-corpus-2 "
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
PAGE_RECIPE = 25


def log(message: str) -> None:
    print(message, flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ensure_database(url: str) -> None:
    import psycopg2

    parts = urlparse(url)
    if parts.hostname not in LOOPBACK:
        raise SystemExit(f"refusing a database that is not on this machine: {parts.hostname}")
    name = parts.path.lstrip("/")
    connection = psycopg2.connect(
        host=parts.hostname, port=parts.port or 5432, user=parts.username or "postgres",
        password=parts.password or None, dbname="postgres",
    )
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if not cursor.fetchone():
            cursor.execute(f'CREATE DATABASE "{name}"')
            log(f"created database {name}")
    connection.close()


def setup_django(database_url: str, media_root: Path) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ["MEDIA_ROOT"] = str(media_root)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wgportal.settings")
    os.environ.pop("CELERY_BROKER_URL", None)  # the load below needs no worker
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


SYLLABLES = "ka ma li to ren sa vo de mi nu pe ra lo ti be go ha ju ne si".split()


def general_vocabulary(rng: random.Random, size: int = 6000) -> list[str]:
    """Made-up words standing in for the ordinary prose of reports: each is rare."""
    return ["".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))) for _ in range(size)]


def paragraph(rng: random.Random, words: int, topical: list[str], general: list[str]) -> str:
    # Mostly ordinary prose, with the document's own handful of subject words in it:
    # a subject word is then found in some documents, not in all of them.
    chosen = [rng.choice(topical) if rng.random() < 0.12 else rng.choice(general) for _ in range(words)]
    return " ".join(chosen).capitalize() + "."


def load_documents(count: int) -> dict:
    from django.db import transaction

    from briefings.models import Document, Topic
    from briefings.services import indexing as services
    from members.models import Organization, User

    existing = Document.objects.filter(sha256__startswith="bench", text__startswith=CORPUS_VERSION).count()
    member_org, _ = Organization.objects.get_or_create(
        name="Benchmark Embassy", defaults={"kind": "mission", "status": "active"}
    )
    user, _ = User.objects.get_or_create(email="bench@bench.example", defaults={"organization": member_org})
    if existing == count:
        log(f"{count} benchmark documents already loaded")
        return {"user": user, "load_seconds": None}
    Document.objects.filter(sha256__startswith="bench").delete()
    rng = random.Random(2007)
    sources = [
        Organization.objects.get_or_create(name=f"Bench source {i}", defaults={"kind": "ngo", "status": "active"})[0]
        for i in range(40)
    ]
    topics = list(Topic.objects.all())
    general = general_vocabulary(rng)
    started = time.perf_counter()
    batch = 2000
    through = Document.topics.through
    for first in range(0, count, batch):
        rows = []
        for i in range(first, min(first + batch, count)):
            # "trafficking" is in every document of a TIP library; other subject words in some.
            topical = ["trafficking", *rng.sample(WORDS, 8)]
            text = CORPUS_VERSION + "\n\n".join(
                paragraph(rng, rng.randint(60, 140), topical, general) for _ in range(rng.randint(5, 20))
            )
            rows.append(Document(
                title=paragraph(rng, rng.randint(4, 10), topical, general)[:-1],
                description=paragraph(rng, rng.randint(10, 30), topical, general),
                kind=rng.choice(Document.Kind.values), source=rng.choice(sources),
                publication_date=f"{rng.randint(1998, 2007)}-{rng.randint(1, 12):02d}-01",
                access_level="cochairs" if i % 20 == 0 else "members",
                file=f"documents/bench/{i}.pdf", original_name=f"bench {i}.pdf", size=len(text),
                content_type="application/pdf", sha256=f"bench{i:059d}", text=text, text_status="indexed",
                uploaded_by=user,
            ))
        with transaction.atomic():
            created = Document.objects.bulk_create(rows)
            through.objects.bulk_create([
                through(document_id=d.pk, topic_id=t.pk) for d in created for t in rng.sample(topics, 2)
            ])
    inserted = time.perf_counter() - started
    services.search_vectors_refresh()
    total = time.perf_counter() - started
    log(f"loaded {count} documents in {inserted:.1f} s, search vectors refreshed in {total - inserted:.1f} s")
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE briefings_document")
    return {"user": user, "load_seconds": total}


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def full_ranking_page(user, q: str) -> None:
    """The search as the portal ran it before (kept here to measure against, in the same
    run): every match ranked by its whole search vector, snippets over the whole text."""
    from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
    from django.db.models import F, TextField, Value
    from django.db.models.functions import Concat

    from briefings.selectors.documents import documents_visible_to, for_list
    from briefings.selectors.search import SEARCH_CONFIG

    query = SearchQuery(q, search_type="websearch", config=SEARCH_CONFIG)
    rows = documents_visible_to(user).filter(search_vector=query)
    rows.order_by().values("pk")[:1001].count()
    list(
        for_list(rows.annotate(
            rank=SearchRank(F("search_vector"), query),
            snippet=SearchHeadline(Concat("description", Value(" … "), "text", output_field=TextField()), query,
                                   config=SEARCH_CONFIG, max_fragments=2, max_words=30, min_words=12),
        )).order_by("-rank", "-publication_date", "-id")[:PAGE_RECIPE]
    )


def portal_page(user, q: str) -> int:
    from briefings.selectors import search as selectors
    from briefings.views.search import SearchPaginator

    results = selectors.search(user, q)
    page = SearchPaginator(results.documents, PAGE_RECIPE).get_page(1)
    selectors.with_snippets(results, page.object_list)
    return page.paginator.count


def bench_search(user, rounds: int) -> None:
    ways = {"before (full ranking)": full_ranking_page, "now (ranked head, then newest)": portal_page}
    per_query = {way: {q: [] for q in QUERIES} for way in ways}
    hits = {q: portal_page(user, q) for q in QUERIES}  # warm caches once
    for q in QUERIES:
        full_ranking_page(user, q)
    for _ in range(rounds):
        for q in QUERIES:
            for way, run in ways.items():  # side by side, so that both see the same machine
                started = time.perf_counter()
                run(user, q)
                per_query[way][q].append((time.perf_counter() - started) * 1000)
    log(f"\nsearch ({rounds} rounds x {len(QUERIES)} queries; count + first page of {PAGE_RECIPE} with snippets; "
        f"load average {os.getloadavg()[0]:.1f})")
    names = list(ways)
    log(f"  {'query':30} {'hits':>6} " + " ".join(f"{'p50/p95 ms ' + n[:6]:>22}" for n in names))
    for q in QUERIES:
        figures = " ".join(
            f"{percentile(per_query[n][q], 50):>10.1f} / {percentile(per_query[n][q], 95):>7.1f}  " for n in names
        )
        shown = "more than 1,000" if hits[q] > 1000 else str(hits[q])
        log(f"  {q:30} {shown:>6} {figures}")
    everything = {n: [v for values in per_query[n].values() for v in values] for n in names}
    log(f"  {'all queries':30} {'':>6} " + " ".join(
        f"{percentile(everything[n], 50):>10.1f} / {percentile(everything[n], 95):>7.1f}  " for n in names))
    for n in names:
        log(f"  {n}: p95 {percentile(everything[n], 95):.1f} ms over all queries")
    ratio = percentile(everything[names[1]], 95) / percentile(everything[names[0]], 95)
    log(f"  ratio of p95, now / before: {ratio:.2f}")


def write_bench_settings(folder: Path, public_root: Path) -> None:
    (folder / "bench_settings.py").write_text(
        "from wgportal.settings import *  # noqa\n"
        "DEBUG = False\n"
        "ALLOWED_HOSTS = ['127.0.0.1']\n"
        "STORAGES = {**STORAGES, 'staticfiles': {'BACKEND': 'django.contrib.staticfiles.storage.StaticFilesStorage'}}\n"
        f"WHITENOISE_ROOT = {str(public_root)!r}\n"
        "LOGGING = {'version': 1, 'disable_existing_loggers': False, 'root': {'level': 'WARNING'}}\n"
    )


class Gunicorn:
    def __init__(self, *, workers: int, settings_dir: Path, env: dict):
        self.port = free_port()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "wgportal.wsgi", "--bind", f"127.0.0.1:{self.port}",
             "--workers", str(workers), "--worker-class", "sync", "--timeout", "120", "--log-level", "warning"],
            cwd=ROOT, env={**env, "PYTHONPATH": f"{settings_dir}:{ROOT}", "DJANGO_SETTINGS_MODULE": "bench_settings"},
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                if self.process.poll() is not None:
                    raise SystemExit("gunicorn exited: " + self.process.stderr.read().decode()[-2000:]) from None
                time.sleep(0.2)
        self.stop()
        raise SystemExit("gunicorn did not start")

    def worker_pids(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(p) for p in children.read_text().split()] if children.exists() else []

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def get(port: int, path: str, cookie: str, *, read_chunk: int = 0) -> tuple[int, int]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        connection.request("GET", path, headers={"Cookie": cookie, "Host": "127.0.0.1"})
        response = connection.getresponse()
        received = 0
        if read_chunk:
            while chunk := response.read(read_chunk):
                received += len(chunk)
        else:
            received = len(response.read())
        return response.status, received
    finally:
        connection.close()


def session_cookie(user) -> str:
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def bench_library(server: Gunicorn, cookie: str, *, requests: int, seconds: float, concurrency: int, workers: int):
    status, _ = get(server.port, "/briefings/documents/", cookie)
    if status != 200:
        raise SystemExit(f"the library page answered {status}")
    deadline = time.monotonic() + seconds
    paths = ["/briefings/documents/", "/briefings/documents/?page=40", "/briefings/documents/?kind=report&sort=title",
             "/briefings/documents/?topic=prevention&year=2003"]
    latencies, statuses = [], []

    def one(i):
        if time.monotonic() > deadline:
            return
        started = time.perf_counter()
        status, _ = get(server.port, paths[i % len(paths)], cookie)
        latencies.append(time.perf_counter() - started)
        statuses.append(status)

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        list(pool.map(one, range(requests)))
    elapsed = time.perf_counter() - started
    ok = statuses.count(200)
    log(f"\nlibrary page under gunicorn ({workers} sync workers, {concurrency} concurrent clients, "
        f"{len(statuses)} requests, all on 127.0.0.1)")
    log(f"  {ok / elapsed:.1f} requests/s; latency p50 {percentile(latencies, 50) * 1000:.0f} ms, "
        f"p95 {percentile(latencies, 95) * 1000:.0f} ms; non-200 answers: {len(statuses) - ok}")


def memory_kb(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def bench_download(server: Gunicorn, cookie: str, path: str, size: int, label: str):
    [worker] = server.worker_pids()
    get(server.port, "/healthz", cookie)  # warm the worker up
    baseline = memory_kb(worker, "VmRSS")
    peak = [baseline]
    stop = threading.Event()

    def sample():
        while not stop.is_set():
            peak[0] = max(peak[0], memory_kb(worker, "VmRSS"))
            time.sleep(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    started = time.perf_counter()
    status, received = get(server.port, path, cookie, read_chunk=1024 * 1024)
    elapsed = time.perf_counter() - started
    stop.set()
    sampler.join()
    if status != 200 or received != size:
        raise SystemExit(f"{label}: status {status}, {received} of {size} bytes")
    log(f"  {label:38} {size / elapsed / 1024 / 1024:8.0f} MB/s   worker RSS {baseline / 1024:6.1f} MB -> "
        f"peak {peak[0] / 1024:6.1f} MB (+{(peak[0] - baseline) / 1024:.1f} MB)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/wg_perf_briefings")
    parser.add_argument("--documents", type=int, default=20000)
    parser.add_argument("--search-rounds", type=int, default=20)
    parser.add_argument("--requests", type=int, default=600, help="library page requests (at most)")
    parser.add_argument("--seconds", type=float, default=60, help="time limit for the library page load")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--file-mb", type=int, default=200)
    args = parser.parse_args()
    if not 1 <= args.documents <= 100_000 or not 1 <= args.requests <= 10_000 or args.seconds > 600:
        raise SystemExit("keep the load bounded: documents <= 100000, requests <= 10000, seconds <= 600")

    ensure_database(args.database_url)
    workdir = Path(tempfile.mkdtemp(prefix="wg-bench-briefings-"))
    media, public = workdir / "media", workdir / "public"
    media.mkdir()
    public.mkdir()
    servers: list[Gunicorn] = []
    try:
        setup_django(args.database_url, media)
        loaded = load_documents(args.documents)
        user = loaded["user"]
        bench_search(user, args.search_rounds)

        write_bench_settings(workdir, public)
        env = {**os.environ, "DATABASE_URL": args.database_url, "MEDIA_ROOT": str(media), "DJANGO_DEBUG": "0"}
        env.pop("CELERY_BROKER_URL", None)
        cookie = session_cookie(user)

        server = Gunicorn(workers=args.workers, settings_dir=workdir, env=env)
        servers.append(server)
        bench_library(server, cookie, requests=args.requests, seconds=args.seconds,
                      concurrency=args.concurrency, workers=args.workers)
        server.stop()

        size = args.file_mb * 1024 * 1024
        block = os.urandom(1024 * 1024)
        big = media / "documents" / "bench-big.pdf"
        big.parent.mkdir(parents=True)
        with open(big, "wb") as handle:
            handle.write(b"%PDF-1.4\n")
            for _ in range(args.file_mb):
                handle.write(block)
        size = big.stat().st_size
        shutil.copyfile(big, public / "bench-big.bin")
        from briefings.models import Document

        document, _ = Document.objects.update_or_create(
            sha256="benchbig" + "0" * 56,
            defaults={"title": "Benchmark download", "kind": "report", "file": "documents/bench-big.pdf",
                      "original_name": "big.pdf", "size": size, "content_type": "application/pdf",
                      "text_status": "none", "uploaded_by": user},
        )
        server = Gunicorn(workers=1, settings_dir=workdir, env=env)
        servers.append(server)
        log(f"\n{size / 1024 / 1024:.0f} MB download through one gunicorn sync worker on 127.0.0.1")
        bench_download(server, cookie, f"/briefings/documents/{document.pk}/download/", size,
                       "portal download (checked, logged)")
        bench_download(server, cookie, "/bench-big.bin", size, "whitenoise static file")
        server.stop()
        document.delete()
    finally:
        for server in servers:
            server.stop()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
