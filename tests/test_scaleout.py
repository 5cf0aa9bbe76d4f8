"""Two web nodes and a worker over one PostgreSQL, one Redis and one bucket.

Each node is its own gunicorn process on its own port, with its own (empty)
media folder: whatever one node writes, the other must find in the shared
services, because a load balancer may send the next request anywhere.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import uuid

import pytest

from tests.briefings.factories import make_pdf
from tests.fixtures.services import ROOT, _database_url, _free_port, wait_until

pytestmark = [
    pytest.mark.worker,
    pytest.mark.skipif(
        not (os.environ.get("REDIS_URL") and os.environ.get("CELERY_BROKER_URL")),
        reason="needs Redis: set REDIS_URL and CELERY_BROKER_URL",
    ),
]


def _wait_for_http(url: str, process, timeout: float = 60) -> None:
    import requests

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url}: the process exited; see var/test-scaleout-*.log")
        try:
            requests.get(url + "/healthz", timeout=10)
            return
        except requests.RequestException:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer in time")


@pytest.fixture
def cluster(transactional_db, s3_bucket, tmp_path, settings):
    """Two gunicorn nodes and a celery worker; yields the two base addresses."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("needs a database several processes share: set DATABASE_URL to PostgreSQL")
    queue = f"scaleout-{uuid.uuid4().hex[:8]}"  # nothing else consumes this run's tasks
    common = {
        **os.environ, **s3_bucket.env,
        "DATABASE_URL": _database_url(), "DATABASE_CONN_MAX_AGE": "0", "CELERY_QUEUE": queue,
        "DJANGO_SETTINGS_MODULE": "wgportal.settings",  # the nodes run the portal's settings, not the tests'
        "DJANGO_SECRET_KEY": settings.SECRET_KEY,  # one key for every node, as in production
        "DJANGO_DEBUG": "1",  # static files without collectstatic; nothing else here depends on it
        "SITE_URL": "http://127.0.0.1", "EMAIL_URL": "consolemail://",
    }
    (ROOT / "var").mkdir(exist_ok=True)
    processes, bases = [], []
    try:
        for name in ("a", "b"):
            port = _free_port()
            env = {**common, "MEDIA_ROOT": str(tmp_path / f"media-{name}")}
            log = open(ROOT / "var" / f"test-scaleout-{name}.log", "w")
            process = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "wgportal.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1",
                 "--no-control-socket"],
                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
            )
            processes.append(process)
            bases.append(f"http://127.0.0.1:{port}")
        worker_log = ROOT / "var" / "test-scaleout-worker.log"
        worker = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "wgportal", "worker", "--pool=solo", "--loglevel=INFO", "-Q", queue,
             "--without-gossip", "--without-mingle", "--without-heartbeat", "-n", f"{queue}@%h"],
            cwd=ROOT, env={**common, "MEDIA_ROOT": str(tmp_path / "media-worker")},
            stdout=open(worker_log, "w"), stderr=subprocess.STDOUT,
        )
        processes.append(worker)
        for base, process in zip(bases, processes, strict=False):
            _wait_for_http(base, process)
        wait_until(lambda: " ready." in worker_log.read_text(), timeout=60)
        yield bases
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
    media = [p for p in tmp_path.glob("media-*/**/*") if p.is_file()]
    assert media == [], "a node kept a file on its own disk"


def _with_production_hash(user, password: str) -> None:
    """The nodes run the production settings, which do not accept the tests' fast hasher."""
    from django.contrib.auth.hashers import make_password
    from django.test import override_settings

    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.PBKDF2PasswordHasher"]):
        user.password = make_password(password)
    user.save(update_fields=["password"])


def _sign_in(session, base: str, email: str, password: str) -> None:
    page = session.get(f"{base}/accounts/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    response = session.post(
        f"{base}/accounts/login/", data={"csrfmiddlewaretoken": token, "login": email, "password": password},
        headers={"Referer": f"{base}/accounts/login/"}, allow_redirects=False,
    )
    assert response.status_code == 302, re.findall(r"(?:alert|invalid-feedback|errorlist)[^>]*>([^<]+)", response.text)


def test_a_document_uploaded_through_one_node_downloads_and_is_found_through_the_other(
    cluster, s3_bucket, member, password,
):
    import requests

    node_a, node_b = cluster
    _with_production_hash(member, password)
    browser = requests.Session()
    _sign_in(browser, node_a, member.email, password)

    # The session signed in on node A is valid on node B.
    dashboard = browser.get(f"{node_b}/", allow_redirects=False)
    assert dashboard.status_code == 200 and member.email in dashboard.text

    upload_page = browser.get(f"{node_b}/briefings/documents/upload/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', upload_page.text).group(1)
    content = make_pdf("Referral pathways agreed in Kilifi county")
    response = browser.post(
        f"{node_a}/briefings/documents/upload/",
        data={"csrfmiddlewaretoken": token, "title": "Kilifi referral pathways", "description": "",
              "kind": "report", "access_level": "members"},
        files={"file": ("kilifi.pdf", content, "application/pdf")},
        headers={"Referer": f"{node_a}/briefings/documents/upload/"}, allow_redirects=False,
    )
    assert response.status_code == 302, re.findall(r"(?:alert|invalid-feedback|errorlist)[^>]*>([^<]+)", response.text)
    document_path = response.headers["Location"]
    pk = int(re.search(r"/documents/(\d+)/", document_path).group(1))

    download = browser.get(f"{node_b}/briefings/documents/{pk}/download/", allow_redirects=False)
    assert download.status_code == 302
    assert download.headers["Location"].startswith(f"{s3_bucket.endpoint}/{s3_bucket.name}/")
    assert requests.get(download.headers["Location"], timeout=10).content == content

    # The worker read the file from the bucket and indexed its text; node B finds it.
    def found():
        page = browser.get(f"{node_b}/briefings/search/", params={"q": "Kilifi referral"})
        return f"/briefings/documents/{pk}/" in page.text

    wait_until(found, timeout=60, interval=0.5)


def test_of_two_beats_started_on_two_nodes_one_runs_the_schedule(transactional_db, tmp_path):
    import redis
    from django.conf import settings

    from wgportal import beat

    queue = f"scaleout-beat-{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "DATABASE_URL": _database_url(), "CELERY_QUEUE": queue,
           "DJANGO_SETTINGS_MODULE": "wgportal.settings"}
    client = redis.Redis.from_url(settings.REDIS_URL)
    client.delete(beat.LOCK_KEY)
    logs = [tmp_path / f"beat-{n}.log" for n in (1, 2)]
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "wgportal", "beat", "--loglevel=INFO",
             "--schedule", str(tmp_path / f"schedule-{n}")],
            cwd=ROOT, env=env, stdout=open(log, "w"), stderr=subprocess.STDOUT,
        )
        for n, log in enumerate(logs, 1)
    ]
    try:
        wait_until(lambda: all("beat: Starting..." in log.read_text() for log in logs), timeout=60)
        wait_until(lambda: any("now runs the schedule" in log.read_text() for log in logs), timeout=30)
        time.sleep(2 * beat.FOLLOWER_WAIT)  # long enough for the other to have tried more than once
        leaders = [log for log in logs if "now runs the schedule" in log.read_text()]
        assert len(leaders) == 1
        follower = next(log for log in logs if log not in leaders)
        assert "Sending due task" not in follower.read_text()
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=15)
        broker = redis.Redis.from_url(os.environ["CELERY_BROKER_URL"])
        broker.delete(queue)
        client.delete(beat.LOCK_KEY)
