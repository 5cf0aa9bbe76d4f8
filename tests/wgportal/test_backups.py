"""Backups tried for real: back up the demo, drop its database and media, restore, and
the demo is whole again."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
DEMO_PASSWORD = "wgportal-demo-2007"
PROBE = """
import hashlib, json
from pathlib import Path
from django.conf import settings
from django.contrib.auth import authenticate
from wgportal.backups import _counts
media = Path(settings.MEDIA_ROOT)
files = {str(p.relative_to(media)): hashlib.sha256(p.read_bytes()).hexdigest() for p in media.rglob('*') if p.is_file()}
signs_in = authenticate(username='cochair@usembassy.example', password='DEMO_PASSWORD') is not None
print(json.dumps({'counts': _counts(), 'files': files, 'signs_in': signs_in}))
""".replace("DEMO_PASSWORD", DEMO_PASSWORD)


def _manage(env, *args, check=True):
    result = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True)
    if check:
        assert result.returncode == 0, result.stdout + result.stderr
    return result


def _state(env) -> dict:
    return json.loads(_manage(env, "shell", "-c", PROBE).stdout.strip().splitlines()[-1])


def _environment(tmp_path, database_url):
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update({"DATABASE_URL": database_url, "MEDIA_ROOT": str(tmp_path / "media"), "DATABASE_CONN_MAX_AGE": "0",
                "CELERY_BROKER_URL": "", "EMAIL_URL": "consolemail://"})
    return env


def _round_trip(env, tmp_path, drop):
    setup = ("from django.core.management import call_command\n"
             "call_command('migrate', verbosity=0)\n"
             f"call_command('seed_demo', password='{DEMO_PASSWORD}')\n" + PROBE)
    before = json.loads(_manage(env, "shell", "-c", setup).stdout.strip().splitlines()[-1])
    assert before["counts"]["members.Organization"] > 10 and before["files"] and before["signs_in"]

    made = _manage(env, "backup", "--output", str(tmp_path / "backups"))
    folder = Path(made.stdout.strip().splitlines()[-1])
    assert (folder / "database.dump").is_file() and (folder / "media.tar.gz").is_file()

    drop()
    shutil.rmtree(tmp_path / "media")
    _manage(env, "restore", str(folder), "--yes")
    after = _state(env)
    assert after == before


def test_backup_drop_restore_postgresql(tmp_path, db):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: set DATABASE_URL to a PostgreSQL database")
    missing = [tool for tool in ("pg_dump", "pg_restore", "psql", "createdb", "dropdb") if not shutil.which(tool)]
    if missing:
        pytest.skip(f"needs PostgreSQL's client programs on PATH: {', '.join(missing)} "
                    "(apt-get install postgresql-client)")
    settings_dict = connection.settings_dict
    scratch = f"{settings_dict['NAME']}_backup_{os.getpid()}"
    user = settings_dict.get("USER") or "postgres"
    auth = f"{user}:{settings_dict['PASSWORD']}@" if settings_dict.get("PASSWORD") else f"{user}@"
    url = f"postgres://{auth}{settings_dict.get('HOST') or '127.0.0.1'}:{settings_dict.get('PORT') or 5432}/{scratch}"
    pg = ["-h", settings_dict.get("HOST") or "127.0.0.1", "-p", str(settings_dict.get("PORT") or 5432), "-U", user]
    pg_env = {**os.environ, **({"PGPASSWORD": settings_dict["PASSWORD"]} if settings_dict.get("PASSWORD") else {})}

    def drop():
        subprocess.run(["dropdb", *pg, "--if-exists", "--force", scratch], env=pg_env, check=True)

    drop()
    subprocess.run(["createdb", *pg, scratch], env=pg_env, check=True)
    try:
        _round_trip(_environment(tmp_path, url), tmp_path, drop)
    finally:
        drop()


def test_restore_refuses_a_folder_that_is_not_a_backup(tmp_path):
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="not a backup folder"):
        call_command("restore", str(tmp_path), "--yes")
