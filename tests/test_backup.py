"""`backup` and `restore`: a round trip on SQLite (in a fresh project process) and on PostgreSQL."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from accounts.backups import MANIFEST, backup_create, backup_restore, backup_verify, sha256_of
from accounts.models import Organisation

ROOT = Path(__file__).resolve().parents[1]


def manage(tmp_path, *args, check=True):
    """Run manage.py on an embedded SQLite database and media folder under tmp_path."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PG", "DATABASE_URL", "REDIS_URL"))}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.dev",
        SQLITE_PATH=str(tmp_path / "db.sqlite3"),
        MEDIA_ROOT=str(tmp_path / "media"),
        BACKUP_DIR=str(tmp_path / "backups"),
    )
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    if check:
        assert result.returncode == 0, result.stderr[-2000:]
    return result


CREATE = (
    "from accounts.models import Organisation; Organisation.objects.create(name='Asso sauvegardée'); "
    "import pathlib; p = pathlib.Path('{media}/evidence/2026'); p.mkdir(parents=True); "
    "(p / 'capture.png').write_bytes(bytes(range(256)) * 10)"
)
READ = (
    "from accounts.models import Organisation; import pathlib, hashlib; "
    "print(list(Organisation.objects.values_list('name', flat=True))); "
    "f = pathlib.Path('{media}/evidence/2026/capture.png'); "
    "print(hashlib.sha256(f.read_bytes()).hexdigest() if f.exists() else 'no file')"
)


def test_sqlite_backup_wipe_restore_gives_the_data_and_files_back(tmp_path):
    media = tmp_path / "media"
    manage(tmp_path, "migrate", "accounts", "--noinput", "-v", "0")  # enough tables for this test, and fast
    manage(tmp_path, "shell", "-c", CREATE.format(media=media))
    before = manage(tmp_path, "shell", "-c", READ.format(media=media)).stdout
    assert "Asso sauvegardée" in before

    out = manage(tmp_path, "backup").stdout
    assert "Backup written to" in out
    (folder,) = (tmp_path / "backups").iterdir()
    manifest = json.loads((folder / MANIFEST).read_text())
    assert manifest["engine"] == "sqlite"
    assert set(manifest["files"]) == {"database.sqlite3", "media.tar.gz"}
    for name, info in manifest["files"].items():
        assert sha256_of(folder / name) == info["sha256"]
    assert oct(folder.stat().st_mode)[-3:] == "700"

    # Disaster: the database and the uploaded files are lost.
    (tmp_path / "db.sqlite3").unlink()
    for leftover in tmp_path.glob("db.sqlite3-*"):
        leftover.unlink()
    subprocess.run(["rm", "-rf", str(media)], check=True)

    assert "refuse" not in manage(tmp_path, "restore", str(folder), "--check").stdout
    refused = manage(tmp_path, "restore", str(folder), check=False)
    assert refused.returncode != 0 and "--yes" in refused.stderr
    manage(tmp_path, "restore", str(folder), "--yes")
    assert manage(tmp_path, "shell", "-c", READ.format(media=media)).stdout == before


def test_a_damaged_backup_is_refused_before_anything_is_touched(tmp_path):
    manage(tmp_path, "backup")
    (folder,) = (tmp_path / "backups").iterdir()
    with (folder / "media.tar.gz").open("ab") as handle:
        handle.write(b"tampered")
    result = manage(tmp_path, "restore", str(folder), "--yes", check=False)
    assert result.returncode != 0
    assert "Checksum mismatch: media.tar.gz" in result.stderr


@pytest.mark.django_db(transaction=True)
def test_postgresql_backup_and_restore_round_trip(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "evidence").mkdir(parents=True)
    (settings.MEDIA_ROOT / "evidence" / "a.png").write_bytes(b"\x89PNG fake")
    Organisation.objects.create(name="Asso PostgreSQL")
    result = backup_create(output_dir=tmp_path / "backups")
    assert result.manifest["engine"] == "postgresql"
    assert (result.folder / "database.dump").read_bytes()[:5] == b"PGDMP"  # pg_dump custom format

    Organisation.objects.all().delete()
    (settings.MEDIA_ROOT / "evidence" / "a.png").unlink()
    backup_restore(folder=result.folder)
    assert list(Organisation.objects.values_list("name", flat=True)) == ["Asso PostgreSQL"]
    assert (settings.MEDIA_ROOT / "evidence" / "a.png").read_bytes() == b"\x89PNG fake"
    assert backup_verify(result.folder)["engine"] == "postgresql"


def test_restore_command_needs_a_real_backup_folder(tmp_path):
    with pytest.raises(CommandError, match="No readable manifest.json"):
        call_command("restore", str(tmp_path), "--yes")
