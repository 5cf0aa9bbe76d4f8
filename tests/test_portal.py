import os
import subprocess
import sys
from pathlib import Path

from django.db import DatabaseError

ROOT = Path(__file__).resolve().parents[1]


def test_healthz_checks_the_database(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok", "database": "ok"}


def test_healthz_is_503_when_the_database_is_down(client, db, monkeypatch):
    from django.db.backends.utils import CursorWrapper

    def broken(self, sql, params=None):
        raise DatabaseError("connection refused")

    with monkeypatch.context() as patch:
        patch.setattr(CursorWrapper, "execute", broken)
        response = client.get("/healthz")
    assert response.status_code == 503 and response.json()["status"] == "error"


def test_pages_carry_security_headers(client, member):
    client.force_login(member)
    response = client.get("/")
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_check_deploy_is_clean_with_production_variables():
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "wgportal.settings",  # production settings, not the tests'
        "DJANGO_DEBUG": "0",
        "DJANGO_HTTPS": "1",
        "DJANGO_SECRET_KEY": "k3x!" + "q9Lz7Wm2Pd5Rt8Yv1Bn4Hc6Jf0Gs3Ke" * 2,
        "DJANGO_ALLOWED_HOSTS": "portal.example.org",
        "SITE_URL": "https://portal.example.org",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_https_off_serves_plain_http(client, db):
    assert client.get("/healthz").status_code == 200  # no redirect to https


def test_mailing_retry_goes_back_only_inside_the_site(client, cochair):
    from notifications import services as outbox

    mailing = outbox.mailing_create(kind="test", subject="Invitation", by=cochair)
    client.force_login(cochair)
    inside = client.post(f"/mailings/{mailing.pk}/retry/", {"next": "/meetings/"})
    assert inside["Location"] == "/meetings/"
    outside = client.post(f"/mailings/{mailing.pk}/retry/", {"next": "https://evil.example/"})
    assert outside["Location"] == f"/mailings/{mailing.pk}/"


def test_mailing_detail_queries_stay_flat_with_many_messages(client, cochair, django_assert_max_num_queries):
    from tests.notifications.factories import MailingFactory, MessageFactory

    mailing = MailingFactory(created_by=cochair)
    MessageFactory.create_batch(60, mailing=mailing, status="sent")
    MessageFactory.create_batch(20, mailing=mailing, status="failed", last_error="554 refused")
    client.force_login(cochair)
    with django_assert_max_num_queries(10):
        response = client.get(f"/mailings/{mailing.pk}/")
    assert response.status_code == 200 and response.content.count(b"delivery-") >= 80
    with django_assert_max_num_queries(10):
        assert client.get(f"/mailings/{mailing.pk}/?status=failed").content.count(b"554 refused") == 20


def test_a_member_follows_only_the_mailings_they_sent(client, member, cochair):
    from tests.notifications.factories import MailingFactory

    mine, theirs = MailingFactory(created_by=member), MailingFactory(created_by=cochair)
    client.force_login(member)
    assert client.get(f"/mailings/{mine.pk}/").status_code == 200
    assert client.get(f"/mailings/{theirs.pk}/").status_code == 404
    assert client.get(f"/mailings/{'9' * 25}/").status_code == 404


def test_dashboard_draws_the_chart_with_flat_queries(client, db, django_assert_max_num_queries):
    from django.core.management import call_command
    from django.urls import reverse

    from members.models import User

    call_command("seed_demo", "--password", "demo-pass-2007")
    client.force_login(User.objects.get(email="member@germany.example"))
    with django_assert_max_num_queries(25):
        response = client.get(reverse("dashboard"))
    assert response.status_code == 200, response
    page = response.content.decode()
    assert 'canvas data-chart="membership-chart"' in page
    assert 'id="membership-chart"' in page and '"stacked": true' in page
    assert "vendor/chartjs/chart.umd.min.js" in page
    config = response.context["membership_chart"]
    assert config["type"] == "line" and config["data"]["labels"][0] == "Nov 2006"
    march_2007 = config["data"]["labels"].index("Mar 2007")
    total = sum(dataset["data"][march_2007] for dataset in config["data"]["datasets"])
    assert total >= 23  # 15 missions, 4 UN organizations, the NGOs and others of the demo group
