"""restore changes nothing until it is sure: one table of damaged or lying backups and
targets it must not replace, one of interruptions at every step, a restore killed outright,
a target that cannot be renamed, and media on S3. Each case compares the whole target
(its database's tables and marker rows, every media file's sum, and what was left beside
the database) before and after."""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import io
import json
import os
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from psycopg import sql

from geoportal.core.backup import Database, Manifest, census
from tests.cast import conninfo, database_url
from tests.core.backup_world import (  # noqa: F401  (fixtures)
    MARKER_ROWS,
    StopAt,
    Target,
    admin,
    copy_fixture,
    databases_beside,
    drop_databases,
    file_reports,
    fresh_fixture,
    made_once_fixture,
    rows_of,
    sums,
    target_fixture,
)
from tests.core.test_s3_media import keys

# The restores reach the target through their own connections; the mark only makes
# pytest-django set up the test database (the backup made once is flushed from it).
pytestmark = pytest.mark.django_db


def edit_manifest(folder: Path, change: Callable[[dict[str, Any]], object]) -> None:
    data = json.loads((folder / "manifest.json").read_text())
    change(data)
    (folder / "manifest.json").write_text(json.dumps(data))


def a_photo(folder: Path) -> Path:
    return next(p for p in sorted((folder / "media").rglob("*.jpg")))


def cut_short(path: Path) -> None:
    path.write_bytes(path.read_bytes()[:-10])


def reports_rows_plus_one(data: dict[str, Any]) -> None:
    data["database"]["tables"]["public.reports_report"]["rows"] += 1


def reports_sum_changed(data: dict[str, Any]) -> None:
    table = data["database"]["tables"]["public.reports_report"]
    table["sum"] = str(int(table["sum"]) + 1)


def not_an_archive(folder: Path) -> None:
    """A dump whose sum the manifest agrees with, but which pg_restore cannot read."""
    (folder / "database.dump").write_bytes(b"not a pg_dump archive")
    digest = hashlib.sha256(b"not a pg_dump archive").hexdigest()
    edit_manifest(folder, lambda data: data["database"].update(sha256=digest))


def a_table_less(data: dict[str, Any]) -> None:
    data["database"]["tables"].pop("public.reports_support")


@dataclasses.dataclass(frozen=True)
class Refusal:
    name: str
    damage: Callable[[Path], object]
    message: str  # a regular expression the error must match
    yes: bool = True


REFUSALS = [
    # The folder does not hold what its manifest says: refused before any database work.
    Refusal("dump cut short", lambda f: cut_short(f / "database.dump"),
            r"database\.dump: its SHA-256 differs from the manifest; damaged"),
    Refusal("photo changed", lambda f: cut_short(a_photo(f)),
            r"\.jpg: its SHA-256 differs from the manifest; damaged"),
    Refusal("photo missing", lambda f: a_photo(f).unlink(), r"\.jpg: missing from the backup"),
    Refusal("file the manifest does not name",
            lambda f: (f / "media" / "reports" / "planted.jpg").write_bytes(b"x"),
            r"planted\.jpg: not in the manifest"),
    Refusal("manifest missing", lambda f: (f / "manifest.json").unlink(),
            r"manifest\.json: missing; this is not a backup folder, or its backup did not finish"),
    Refusal("manifest not JSON", lambda f: (f / "manifest.json").write_text("{\"format\": 2,"),
            r"manifest\.json: not valid JSON"),
    Refusal("manifest of the old format",
            lambda f: edit_manifest(f, lambda d: d.update(format=1)),
            r"format is 1, this version reads 2"),
    Refusal("media name leaving the folder",
            lambda f: edit_manifest(f, lambda d: d["media"]["files"].update(
                {"../../x.jpg": "0" * 64})),
            r"media\.files\['\.\./\.\./x\.jpg'\] is not a plain relative path inside media/"),
    # The files are intact but the manifest's rows and sums are not those of the dump (the
    # old bug: counts taken apart from the dump): found after restoring beside the target.
    Refusal("row count differs from the dump",
            lambda f: edit_manifest(f, reports_rows_plus_one),
            r"differs from the manifest in 1 tables .* public\.reports_report: manifest 4 rows, "
            r"restored 3 rows"),
    Refusal("row sum differs from the dump", lambda f: edit_manifest(f, reports_sum_changed),
            r"differs from the manifest in 1 tables .*public\.reports_report: manifest sum"),
    Refusal("a table the manifest does not name", lambda f: edit_manifest(f, a_table_less),
            r"public\.reports_support: manifest absent, restored 0 rows"),
    Refusal("dump that is no archive", not_an_archive,
            r"pg_restore failed: .*input file does not appear to be a valid archive"),
    # A target that holds something is not replaced without --yes.
    Refusal("non-empty target without --yes", lambda f: None,
            r"The target is not empty: database \w+_target on .* holds 1 tables, views or "
            r"sequences \(public\.marker\) and the media folder .* holds 1 files\. A restore "
            r"replaces them; add --yes to go on\.", yes=False),
]  # fmt: skip


def test_an_empty_target_needs_no_yes(copy: Path, fresh: Target):
    assert not fresh.exists()
    call_command("restore", str(copy), "--database-url", fresh.url,
                 "--media-root", str(fresh.media), stdout=io.StringIO())  # fmt: skip
    assert rows_of(fresh.name, "SELECT count(*) FROM reports_report") == [(3,)]
    assert sums(fresh.media) == Manifest.read(copy).media


def test_a_non_empty_target_is_replaced_with_yes(copy: Path, target: Target):
    call_command("restore", str(copy), "--database-url", target.url,
                 "--media-root", str(target.media), "--yes", stdout=io.StringIO())  # fmt: skip
    manifest = Manifest.read(copy)
    with Database.from_url(target.url).connect() as db:
        assert census(db, log=lambda _line: None) == manifest.tables  # no marker table
    assert sums(target.media) == manifest.media  # the old marker photo is gone
    assert target.state()["beside"] == []


@pytest.mark.parametrize("case", REFUSALS, ids=[case.name for case in REFUSALS])
def test_a_refused_restore_changes_nothing(case: Refusal, copy: Path, target: Target):
    case.damage(copy)
    before = target.state()
    assert before["database"]["marker"] == [tuple(row) for row in MARKER_ROWS]
    args = ["--database-url", target.url, "--media-root", str(target.media)]
    with pytest.raises(CommandError, match=case.message):
        call_command("restore", str(copy), *args, *(["--yes"] if case.yes else []),
                     stdout=io.StringIO())  # fmt: skip
    assert target.state() == before


def test_a_media_folder_alone_makes_the_target_not_empty(copy: Path, fresh: Target):
    fresh.fill_media()
    before = fresh.state()
    with pytest.raises(CommandError, match=r"not empty: the media folder .* holds 1 files"):
        call_command("restore", str(copy), "--database-url", fresh.url,
                     "--media-root", str(fresh.media), stdout=io.StringIO())  # fmt: skip
    assert fresh.state() == before and before["database"] is None


INTERRUPTIONS = [
    "check: media files",  # checking the folder's sums
    "database: restoring into a new database",  # before the new database exists
    "database: restoring table",  # inside pg_restore, which is stopped too
    "database: counting and summing rows",  # comparing the new database with the manifest
    "media: staging files",  # copying the photos beside the old ones
    "switch:",  # the last moment before the rename
]


@pytest.mark.parametrize("step", INTERRUPTIONS)
def test_an_interrupted_restore_changes_nothing(step: str, copy: Path, target: Target):
    before = target.state()
    output = StopAt(step)
    with pytest.raises(KeyboardInterrupt):
        call_command("restore", str(copy), "--database-url", target.url,
                     "--media-root", str(target.media), "--yes", stdout=output)  # fmt: skip
    assert output.stopped
    assert target.state() == before


def test_a_killed_restore_changes_nothing_and_the_next_one_clears_its_leftovers(
    copy: Path, target: Target
):
    before = target.state()
    env = {**os.environ, "DATABASE_URL": database_url(), "DATABASE_REPLICA_URL": "",
           "PYTHONUNBUFFERED": "1"}  # fmt: skip
    restoring = subprocess.Popen(
        [sys.executable, "manage.py", "restore", str(copy), "--database-url", target.url,
         "--media-root", str(target.media), "--yes"],
        cwd=settings.BASE_DIR, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        text=True, start_new_session=True,  # its own group: pg_restore is killed with it
    )  # fmt: skip
    said = []
    try:
        assert restoring.stdout is not None
        for line in restoring.stdout:
            said.append(line)
            if line.startswith("database: restoring table"):
                break
    finally:
        with contextlib.suppress(ProcessLookupError):  # already gone: the assert says why
            os.killpg(restoring.pid, signal.SIGKILL)
        restoring.wait(timeout=30)
    assert restoring.returncode == -signal.SIGKILL, said
    left = databases_beside(target.name)
    assert len(left) == 1 and "_restore_" in left[0]  # the half-made copy, never the target
    assert target.state() == {**before, "beside": left}

    out = io.StringIO()
    call_command("restore", str(copy), "--database-url", target.url,
                 "--media-root", str(target.media), "--yes", stdout=out)  # fmt: skip
    assert f"removing {left[0]}, left by an interrupted restore" in out.getvalue()
    assert databases_beside(target.name) == []
    assert rows_of(target.name, "SELECT count(*) FROM reports_report") == [(3,)]


@pytest.fixture
def unrenamable(tmp_path: Path) -> Iterator[Target]:
    """A target owned by a user who may not create databases (as on some hosted
    services), with PostGIS installed for it and a marker table of its own."""
    name = settings.DATABASES["default"]["NAME"] + "_plain"
    # Roles are the cluster's, not one database's: named after this run's test database, so
    # parallel workers (test_geoportal_gw0, _gw1…) never drop each other's.
    role, password = name + "_owner", "a-plain-owner-password-7"
    drop_databases(name)
    with admin() as db:
        db.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(role)))
        db.execute(sql.SQL("CREATE ROLE {} LOGIN NOCREATEDB PASSWORD {}").format(
            sql.Identifier(role), sql.Literal(password)))  # fmt: skip
        db.execute(sql.SQL("CREATE DATABASE {} OWNER {}").format(
            sql.Identifier(name), sql.Identifier(role)))  # fmt: skip
    with psycopg.connect(conninfo(name), autocommit=True) as db:
        db.execute("CREATE EXTENSION postgis")
    config = settings.DATABASES["default"]
    url = f"postgis://{role}:{password}@{config['HOST']}:{config['PORT']}/{name}"
    with psycopg.connect(Database.from_url(url).conninfo, password=password) as db:
        db.execute("CREATE TABLE marker (id integer PRIMARY KEY, note text)")
        db.cursor().executemany("INSERT INTO marker VALUES (%s, %s)", MARKER_ROWS)
    made = PlainTarget(name, tmp_path / "plain-media", url)
    made.fill_media()
    yield made
    drop_databases(name)
    with admin() as db:
        db.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(role)))


@dataclasses.dataclass
class PlainTarget(Target):
    own_url: str = ""

    @property
    def url(self) -> str:
        return self.own_url


@pytest.mark.parametrize(
    ("damage", "message"),
    [(reports_rows_plus_one, r"the restored database differs from the manifest: "
                             r"public\.reports_report: manifest 4 rows"),
     (a_table_less, r"public\.reports_support: manifest absent; restored 0 rows")],
    ids=["row count differs", "a table the manifest does not name"],
)  # fmt: skip
def test_a_target_that_cannot_be_renamed_rolls_back_a_restore_that_differs(
    copy: Path, unrenamable: Target, damage: Callable[[dict[str, Any]], object], message: str
):
    edit_manifest(copy, damage)
    before = unrenamable.state()
    args = ["--database-url", unrenamable.url, "--media-root", str(unrenamable.media), "--yes"]
    with pytest.raises(CommandError, match=message):
        call_command("restore", str(copy), *args, stdout=io.StringIO())
    assert unrenamable.state() == before


@pytest.mark.parametrize(
    "step",
    ["database: preparing the restore script", "media: staging files",
     "database: dropping the target's own objects", "database: restoring ..."],
)  # fmt: skip
def test_an_interrupted_restore_of_a_target_that_cannot_be_renamed_changes_nothing(
    step: str, copy: Path, unrenamable: Target
):
    before = unrenamable.state()
    output = StopAt(step)
    with pytest.raises(KeyboardInterrupt):
        call_command("restore", str(copy), "--database-url", unrenamable.url,
                     "--media-root", str(unrenamable.media), "--yes", stdout=output)  # fmt: skip
    assert output.stopped
    assert unrenamable.state() == before  # psql stopped: its transaction rolled back


def test_a_target_that_cannot_be_renamed_is_replaced_in_one_verified_transaction(
    copy: Path, unrenamable: Target
):
    out = io.StringIO()
    call_command("restore", str(copy), "--database-url", unrenamable.url,
                 "--media-root", str(unrenamable.media), "--yes", stdout=out)  # fmt: skip
    said = out.getvalue()
    assert "the user may not create and rename databases" in said
    assert "database: committed" in said
    manifest = Manifest.read(copy)
    with Database.from_url(unrenamable.url).connect() as db:
        assert census(db, log=lambda _line: None) == manifest.tables  # marker gone too
    assert sums(unrenamable.media) == manifest.media


def bucket(client: Any) -> dict[str, bytes]:
    return {key: client.get_object(Bucket=client.bucket, Key=key)["Body"].read()
            for key in keys(client)}  # fmt: skip


@pytest.mark.django_db(transaction=True)  # pg_dump sees committed rows only
def test_media_on_s3_go_back_into_the_bucket_or_stay_as_they_were(
    pokrovsk: Any, moderator: Any, s3: Any, tmp_path: Path, fresh: Target
):
    file_reports(2)
    folder = tmp_path / "backup"
    call_command("backup", str(folder), stdout=io.StringIO())
    backed_up = bucket(s3)
    assert len(backed_up) == 4 and Manifest.read(folder).media.keys() == backed_up.keys()
    first, second, *_rest = sorted(backed_up)
    s3.put_object(Bucket=s3.bucket, Key=first, Body=b"changed since the backup")
    s3.delete_object(Bucket=s3.bucket, Key=second)
    s3.put_object(Bucket=s3.bucket, Key="reports/photos/later.jpg", Body=b"a later photo")
    before = bucket(s3)

    with pytest.raises(KeyboardInterrupt):
        call_command("restore", str(folder), "--database-url", fresh.url, "--yes",
                     stdout=StopAt("switch:"))  # fmt: skip
    assert bucket(s3) == before and not fresh.exists()

    call_command("restore", str(folder), "--database-url", fresh.url, "--yes",
                 stdout=io.StringIO())  # fmt: skip
    # The backup's files as they were; the later one stays, no row refers to it.
    assert bucket(s3) == {**backed_up, "reports/photos/later.jpg": b"a later photo"}
    assert rows_of(fresh.name, "SELECT count(*) FROM reports_report") == [(2,)]


@pytest.mark.django_db(transaction=True)
def test_a_storage_name_leaving_the_folder_is_refused_by_backup(
    pokrovsk: Any, s3: Any, tmp_path: Path
):
    s3.put_object(Bucket=s3.bucket, Key="../outside.jpg", Body=b"x")
    leaves = r"media folder '\.\.': a name that leaves the media folder"
    with pytest.raises(CommandError, match=leaves):
        call_command("backup", str(tmp_path / "b"), stdout=io.StringIO())
    assert not (tmp_path / "b").exists() and not (tmp_path / "outside.jpg").exists()


def test_the_target_url_must_be_postgresql(copy: Path):
    with pytest.raises(CommandError, match="not a postgresql:// or postgis:// URL"):
        call_command("restore", str(copy), "--database-url", "mysql://u:secret@h/db")
    with pytest.raises(CommandError, match="names no database"):
        call_command("restore", str(copy), "--database-url", "postgis://u:secret@h:5432")
