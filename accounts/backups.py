"""Backups: a database dump and a tar of the uploaded files, with a manifest of SHA-256 sums.

One backup is a timestamped folder:

    plage-libre-20260301-021500/
        database.dump        PostgreSQL, `pg_dump --format=custom` (or database.sqlite3 for SQLite)
        media.tar.gz         the MEDIA_ROOT folder (evidence files, generated documents)
        manifest.json        engine, creation time, and size + SHA-256 of each file above

`restore` checks every SHA-256 of the manifest before touching anything, then replaces the
database and the media folder. The evidence files' own hashes (stored in the database) are
what a court relies on; the manifest proves the backup itself was not altered or truncated.
"""

import datetime
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.utils import timezone

MANIFEST = "manifest.json"
PG_DUMP = "database.dump"
SQLITE_DUMP = "database.sqlite3"
MEDIA_TAR = "media.tar.gz"


class BackupError(Exception):
    pass


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _engine(alias="default") -> str:
    vendor = connections[alias].vendor
    if vendor not in ("postgresql", "sqlite"):
        raise BackupError(f"Unsupported database engine: {vendor}")
    return vendor


def _pg_env(db: dict) -> tuple[list[str], dict]:
    """Connection arguments for pg_dump / pg_restore; the password goes through the environment."""
    args = []
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return args, env


def _dump_database(folder: Path) -> Path:
    db = connections["default"].settings_dict
    if _engine() == "postgresql":
        target = folder / PG_DUMP
        args, env = _pg_env(db)
        result = subprocess.run(
            ["pg_dump", "--format=custom", "--no-owner", "--file", str(target), *args, "--dbname", db["NAME"]],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
        return target
    target = folder / SQLITE_DUMP
    # The online backup API gives a consistent copy even while the application writes.
    source = sqlite3.connect(str(db["NAME"]))
    try:
        destination = sqlite3.connect(str(target))
        with destination:
            source.backup(destination)
        destination.close()
    finally:
        source.close()
    return target


def _tar_media(folder: Path, media_root: Path) -> Path:
    target = folder / MEDIA_TAR
    with tarfile.open(target, "w:gz") as archive:
        if media_root.exists():
            for entry in sorted(media_root.iterdir()):
                archive.add(entry, arcname=entry.name)
    return target


@dataclass
class BackupResult:
    folder: Path
    manifest: dict


def backup_create(*, output_dir: Path, now: datetime.datetime | None = None) -> BackupResult:
    """Write a new backup folder under `output_dir` and return it."""
    moment = timezone.localtime(now or timezone.now())
    folder = Path(output_dir) / f"plage-libre-{moment:%Y%m%d-%H%M%S}"
    folder.mkdir(parents=True, exist_ok=False)
    folder.chmod(0o700)  # personal data: readable by the backup owner only
    files = [_dump_database(folder), _tar_media(folder, Path(settings.MEDIA_ROOT))]
    manifest = {
        "format": 1,
        "created_at": moment.isoformat(),
        "engine": _engine(),
        "files": {path.name: {"size": path.stat().st_size, "sha256": sha256_of(path)} for path in files},
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    for path in folder.iterdir():
        path.chmod(0o600)
    return BackupResult(folder=folder, manifest=manifest)


def backup_verify(folder: Path) -> dict:
    """The manifest, once every listed file is present with the right size and SHA-256."""
    folder = Path(folder)
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise BackupError(f"No readable {MANIFEST} in {folder}") from error
    for name, expected in manifest.get("files", {}).items():
        path = folder / name
        if not path.is_file():
            raise BackupError(f"Missing file: {name}")
        if path.stat().st_size != expected["size"] or sha256_of(path) != expected["sha256"]:
            raise BackupError(f"Checksum mismatch: {name} (altered or truncated)")
    return manifest


def _restore_database(folder: Path, manifest: dict) -> None:
    engine = _engine()
    if manifest["engine"] != engine:
        raise BackupError(f"This backup is for {manifest['engine']}, the configured database is {engine}.")
    db = connections["default"].settings_dict
    connections.close_all()
    if engine == "postgresql":
        args, env = _pg_env(db)
        result = subprocess.run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                *args,
                "--dbname",
                db["NAME"],
                str(folder / PG_DUMP),
            ],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise BackupError(f"pg_restore failed: {result.stderr.strip()}")
        return
    source = sqlite3.connect(str(folder / SQLITE_DUMP))
    try:
        destination = sqlite3.connect(str(db["NAME"]))
        with destination:
            source.backup(destination)
        destination.close()
    finally:
        source.close()


def _restore_media(folder: Path, media_root: Path) -> None:
    staging = media_root.with_name(media_root.name + ".restoring")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    with tarfile.open(folder / MEDIA_TAR, "r:gz") as archive:
        archive.extractall(staging, filter="data")  # refuses absolute paths, "..", devices, links out
    if media_root.exists():
        shutil.rmtree(media_root)
    staging.rename(media_root)


def backup_restore(*, folder: Path) -> dict:
    """Replace the database and the media folder with the backup's (checked first)."""
    folder = Path(folder)
    manifest = backup_verify(folder)
    _restore_database(folder, manifest)
    _restore_media(folder, Path(settings.MEDIA_ROOT))
    return manifest
