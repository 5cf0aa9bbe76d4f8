"""Back up the database and the media files into one folder, and restore them.

A backup folder holds ``database.dump`` (PostgreSQL's custom format from
``pg_dump``, or a copy of the SQLite file made with SQLite's backup API),
``media.tar.gz`` (the uploaded files) and ``manifest.json`` (when, what, and
the row counts of the main tables, so that a restore can be checked).
Restoring recreates the database if it was dropped, replaces its content and
puts the media files back. Media kept in object storage (S3) is not in the
backup: that storage keeps its own versions (see SECURITY.md).
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings

DUMP = "database.dump"
MEDIA = "media.tar.gz"
MANIFEST = "manifest.json"


class BackupError(Exception):
    pass


def _database() -> dict:
    return settings.DATABASES["default"]


def _is_postgresql() -> bool:
    return "postgresql" in _database()["ENGINE"]


def _pg_args() -> tuple[list[str], dict]:
    db = _database()
    args = []
    if db.get("HOST"):
        args += ["-h", str(db["HOST"])]
    if db.get("PORT"):
        args += ["-p", str(db["PORT"])]
    if db.get("USER"):
        args += ["-U", str(db["USER"])]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return args, env


def _run(command: list[str], env: dict | None = None) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip() or result.stdout.strip()}")


def _counts() -> dict[str, int]:
    from django.apps import apps

    labels = ["members.Organization", "members.User", "meetings.Meeting", "briefings.Document",
              "briefings.Briefing", "notifications.Message"]
    return {label: apps.get_model(label)._default_manager.count() for label in labels}


def backup(output: Path) -> Path:
    """Write a new backup folder under ``output``; return its path."""
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    folder = Path(output) / f"wgportal-backup-{stamp}"
    folder.mkdir(parents=True, exist_ok=False)
    db = _database()
    if _is_postgresql():
        args, env = _pg_args()
        _run(["pg_dump", *args, "--format=custom", "--no-owner", "--no-privileges",
              "--file", str(folder / DUMP), str(db["NAME"])], env)
    else:
        with sqlite3.connect(db["NAME"]) as source, sqlite3.connect(folder / DUMP) as target:
            source.backup(target)
    media = Path(settings.MEDIA_ROOT)
    with tarfile.open(folder / MEDIA, "w:gz") as archive:
        if media.exists():
            archive.add(media, arcname=".")
    (folder / MANIFEST).write_text(json.dumps({
        "created_at": datetime.now(UTC).isoformat(),
        "engine": "postgresql" if _is_postgresql() else "sqlite",
        "database": str(db["NAME"]),
        "counts": _counts(),
    }, indent=2))
    return folder


def restore(folder: Path) -> dict:
    """Replace the database and media files with those of a backup folder; return its manifest."""
    folder = Path(folder)
    if not (folder / DUMP).is_file() or not (folder / MANIFEST).is_file():
        raise BackupError(f"{folder} is not a backup folder (no {DUMP} or {MANIFEST})")
    manifest = json.loads((folder / MANIFEST).read_text())
    db = _database()
    from django.db import connections

    connections.close_all()
    if _is_postgresql():
        if manifest.get("engine") != "postgresql":
            raise BackupError("this backup is of a SQLite database; restore it into SQLite")
        args, env = _pg_args()
        exists = subprocess.run(
            ["psql", *args, "-d", "postgres", "-tAc", f"SELECT 1 FROM pg_database WHERE datname = '{db['NAME']}'"],
            env=env, capture_output=True, text=True,
        )
        if exists.returncode != 0:
            raise BackupError(f"psql failed: {exists.stderr.strip()}")
        if exists.stdout.strip() != "1":
            _run(["createdb", *args, str(db["NAME"])], env)
        _run(["pg_restore", *args, "--clean", "--if-exists", "--no-owner", "--no-privileges",
              "--single-transaction", "-d", str(db["NAME"]), str(folder / DUMP)], env)
    else:
        if manifest.get("engine") != "sqlite":
            raise BackupError("this backup is of a PostgreSQL database; restore it into PostgreSQL")
        Path(db["NAME"]).parent.mkdir(parents=True, exist_ok=True)
        with sqlite3.connect(folder / DUMP) as source, sqlite3.connect(db["NAME"]) as target:
            source.backup(target)
    media = Path(settings.MEDIA_ROOT)
    if media.exists():
        shutil.rmtree(media)
    media.mkdir(parents=True)
    with tarfile.open(folder / MEDIA, "r:gz") as archive:
        # The "data" filter refuses absolute paths, "..", links out of the folder and devices.
        archive.extractall(media, filter="data")
    return manifest
