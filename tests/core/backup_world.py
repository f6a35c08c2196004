"""What the backup and restore tests share: a backup of a few real reports with photos, a
target that already holds something (a database with a marker table and a media folder
with a marker file), its state to compare before and after, and output that stops a
command at a chosen step as Ctrl-C would."""

from __future__ import annotations

import hashlib
import io
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from psycopg import sql

from geoportal.accounts.roles import Role
from tests.cast import conninfo, database_url, give_role, load_hromada, make_user
from tests.reports.conftest import file_report, jpeg

MARKER_ROWS = [(1, "kept"), (2, "also kept")]


def sums(folder: Path) -> dict[str, str]:
    """Every file under `folder` (hidden ones too) with its SHA-256."""
    if not folder.exists():
        return {}
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}  # fmt: skip


def admin() -> psycopg.Connection[Any]:
    return psycopg.connect(conninfo("postgres"), autocommit=True)


def drop_databases(prefix: str) -> None:
    """`prefix` and every database a restore made beside it."""
    with admin() as db:
        names = db.execute(
            "SELECT datname FROM pg_database WHERE datname = %s OR datname LIKE %s",
            [prefix, prefix.replace("_", "\\_") + "\\_%restore\\_%"],
        ).fetchall()
        for (name,) in names:
            db.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))


def databases_beside(name: str) -> list[str]:
    """What a restore into `name` left beside it (nothing, when it finished or gave up)."""
    with admin() as db:
        rows = db.execute(
            "SELECT datname FROM pg_database WHERE datname LIKE %s ORDER BY 1",
            [name.replace("_", "\\_") + "\\_%restore\\_%"],
        ).fetchall()
    return [row[0] for row in rows]


def rows_of(name: str, query: str) -> list[tuple[Any, ...]]:
    with psycopg.connect(conninfo(name)) as db:
        return db.execute(query).fetchall()


def tables_of(name: str) -> list[str]:
    return [row[0] for row in rows_of(
        name, "SELECT schemaname || '.' || tablename FROM pg_tables"
              " WHERE schemaname = 'public' ORDER BY 1")]  # fmt: skip


@dataclass
class Target:
    """A database and a media folder a restore may replace."""

    name: str
    media: Path

    @property
    def url(self) -> str:
        return database_url(self.name)

    def exists(self) -> bool:
        with admin() as db:
            found = db.execute("SELECT 1 FROM pg_database WHERE datname = %s", [self.name])
            return found.fetchone() is not None

    def fill(self) -> None:
        """A database holding one marker table, and a media folder holding one file."""
        with admin() as db:
            db.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(self.name)))
        with psycopg.connect(conninfo(self.name), autocommit=True) as db:
            db.execute("CREATE TABLE marker (id integer PRIMARY KEY, note text)")
            db.cursor().executemany("INSERT INTO marker VALUES (%s, %s)", MARKER_ROWS)
        self.fill_media()

    def fill_media(self) -> None:
        (self.media / "reports" / "photos").mkdir(parents=True, exist_ok=True)
        (self.media / "reports" / "photos" / "marker.jpg").write_bytes(b"the old photo")

    def state(self) -> dict[str, Any]:
        """All a refused or interrupted restore must leave exactly as it was."""
        database = None
        if self.exists():
            database = {"tables": tables_of(self.name),
                        "marker": rows_of(self.name, "SELECT * FROM marker ORDER BY id")
                        if "public.marker" in tables_of(self.name) else None}  # fmt: skip
        return {"database": database, "media": sums(self.media),
                "beside": databases_beside(self.name)}  # fmt: skip


@pytest.fixture(name="target")
def target_fixture(django_db_setup: None, tmp_path: Path) -> Iterator[Target]:
    """A non-empty target beside the test database; dropped with its leftovers after."""
    made = Target(settings.DATABASES["default"]["NAME"] + "_target", tmp_path / "target-media")
    drop_databases(made.name)
    made.fill()
    yield made
    drop_databases(made.name)


@pytest.fixture(name="fresh")
def fresh_fixture(django_db_setup: None, tmp_path: Path) -> Iterator[Target]:
    """A target that does not exist yet: the restore creates the database and the folder."""
    made = Target(settings.DATABASES["default"]["NAME"] + "_fresh", tmp_path / "fresh-media")
    drop_databases(made.name)
    yield made
    drop_databases(made.name)


@pytest.fixture(name="media")
def media_fixture(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


def file_reports(count: int, moderator: Any = None) -> None:
    for number in range(count):
        photo = jpeg(colour=f"#{number}0{number}0a0")
        report = file_report(title=f"Ліхтар {number}", photos=[photo])
        if moderator is not None:
            report.approve(moderator)


@pytest.fixture(name="archive")
def archive_fixture(pokrovsk: Any, moderator: Any, media: Path, tmp_path: Path) -> Path:
    """A backup of three reports with a photo each (photo and thumbnail: six files)."""
    file_reports(3, moderator)
    folder = tmp_path / "backup"
    call_command("backup", str(folder), stdout=io.StringIO())
    return folder


@pytest.fixture(scope="module", name="made_once")
def made_once_fixture(
    django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """The same backup, made once for a module whose tests only restore it: the rows are
    committed (pg_dump reads them from its own session), then the test database is
    flushed as a transactional test's teardown does."""
    folder = tmp_path_factory.mktemp("made-once") / "backup"
    media = tmp_path_factory.mktemp("made-once-media")
    with override_settings(MEDIA_ROOT=media), django_db_blocker.unblock():
        assert connection.settings_dict["NAME"].startswith("test"), "not the test database"
        assert not connection.in_atomic_block, "the rows must commit for pg_dump to see them"
        with connection.cursor() as cursor:
            cursor.execute("SELECT coalesce(max(id), 0) FROM procrastinate_jobs")
            (last_job,) = cursor.fetchone()
        try:
            pokrovsk = load_hromada("pokrovsk")
            moderator = give_role(make_user("moderator_oksana", pokrovsk, is_staff=True),
                                  Role.MODERATOR)  # fmt: skip
            file_reports(3, moderator)
            call_command("backup", str(folder), stdout=io.StringIO())
        finally:
            # As TransactionTestCase does: sequences go on, so do job queueing locks.
            call_command("flush", interactive=False, verbosity=0, reset_sequences=False)
            with connection.cursor() as cursor:  # the flush leaves Procrastinate's jobs
                cursor.execute("DELETE FROM procrastinate_jobs WHERE id > %s", [last_job])
            connection.close()
    return folder


@pytest.fixture(name="copy")
def copy_fixture(made_once: Path, tmp_path: Path) -> Path:
    """A copy of the backup made once, for a test to damage as it likes."""
    return Path(shutil.copytree(made_once, tmp_path / "backup"))


class StopAt(io.StringIO):
    """A command's output that raises KeyboardInterrupt, once, on the first line starting
    with `prefix`: the operator pressing Ctrl-C at that step."""

    def __init__(self, prefix: str) -> None:
        super().__init__()
        self.prefix, self.stopped = prefix, False

    def write(self, text: str) -> int:
        if not self.stopped and text.startswith(self.prefix):
            self.stopped = True
            raise KeyboardInterrupt(f"stopped at {text.strip()!r}")
        return super().write(text)
