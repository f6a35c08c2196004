"""backup and restore: the database through pg_dump/pg_restore and the photos, round trip
compared by row counts and SHA-256 sums; a damaged backup changes nothing."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from psycopg import sql

from geoportal.core.backup import Database, row_counts
from geoportal.reports.models import Report, ReportPhoto
from tests.cast import conninfo, database_url
from tests.reports.conftest import file_report, jpeg

pytestmark = pytest.mark.django_db(transaction=True)  # pg_dump sees committed rows only


@pytest.fixture
def second_database() -> Iterator[str]:
    """An empty database beside the test one, to restore into; dropped afterwards."""
    name = settings.DATABASES["default"]["NAME"] + "_restored"
    with psycopg.connect(conninfo("postgres"), autocommit=True) as db:
        db.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        db.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    yield database_url(name)
    with psycopg.connect(conninfo("postgres"), autocommit=True) as db:
        db.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


def _sums(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}  # fmt: skip


def test_round_trip_keeps_every_row_and_file(pokrovsk, moderator, media, tmp_path, second_database):
    for number in range(3):
        report = file_report(photos=[jpeg(colour=f"#{number}0{number}0a0")])
        report.approve(moderator)
    assert ReportPhoto.objects.count() == 3
    before = row_counts(Database.from_settings(settings.DATABASES["default"]))
    folder = tmp_path / "backup"
    call_command("backup", str(folder))
    assert (folder / "database.dump").stat().st_size > 0
    restored_media = tmp_path / "restored-media"
    call_command("restore", str(folder), "--database-url", second_database,
                 "--media-root", str(restored_media))  # fmt: skip
    after = row_counts(Database.from_url(second_database))
    assert after == before
    assert after["reports_report"] == Report.objects.count() == 3
    assert after["reports_reportevent"] == 6  # submit and approve, three times
    assert _sums(restored_media) == _sums(media) and len(_sums(media)) == 6  # photo + thumbnail


def test_a_damaged_backup_is_refused_before_anything_changes(
    pokrovsk, moderator, media, tmp_path, second_database
):
    file_report(photos=[jpeg()])
    folder = tmp_path / "backup"
    call_command("backup", str(folder))
    photo = next(p for p in (folder / "media").rglob("*") if p.is_file())
    photo.write_bytes(photo.read_bytes()[:-10])  # cut short
    restored_media = tmp_path / "restored-media"
    with pytest.raises(CommandError, match=re.escape(f"{photo.name}: its SHA-256 differs")):
        call_command("restore", str(folder), "--database-url", second_database,
                     "--media-root", str(restored_media))  # fmt: skip
    assert row_counts(Database.from_url(second_database)) == {}  # still empty
    assert not restored_media.exists()


def test_refusals_name_the_problem(pokrovsk, tmp_path):
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "something").write_text("x")
    with pytest.raises(CommandError, match="not empty"):
        call_command("backup", str(tmp_path / "full"))
    with pytest.raises(CommandError, match=re.escape("manifest.json: missing")):
        call_command("restore", str(tmp_path / "full"), "--yes")
    with pytest.raises(CommandError, match="add --yes"):
        call_command("restore", str(tmp_path / "full"))
