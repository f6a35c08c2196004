"""backup: the counts, row sums and dump come from one snapshot, also while the site
writes; the media are copied with their sums; a backup that fails leaves nothing behind.
Round trips compare the restored database and files with the live ones."""

from __future__ import annotations

import io
import json
import re
import threading
import time
from typing import Any

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from geoportal.core.backup import Database, Manifest, census
from geoportal.reports.models import Report, ReportPhoto
from tests.core.backup_world import (  # noqa: F401  (fixtures)
    StopAt,
    archive_fixture,
    file_reports,
    fresh_fixture,
    media_fixture,
    rows_of,
    sums,
)
from tests.reports.conftest import file_report, jpeg

pytestmark = pytest.mark.django_db(transaction=True)  # pg_dump sees committed rows only


def live_census() -> dict[str, Any]:
    with Database.from_settings(settings.DATABASES["default"]).connect() as db:
        return census(db, log=lambda _line: None)


def test_round_trip_keeps_every_row_and_file(archive, media, fresh):
    manifest = Manifest.read(archive)
    assert manifest.tables == live_census()  # nothing was written since the backup
    assert manifest.tables["public.reports_report"].rows == Report.objects.count() == 3
    assert manifest.tables["public.reports_reportevent"].rows == 6  # submit + approve, 3 times
    assert manifest.media == sums(media) and len(manifest.media) == 6  # photo + thumbnail
    out = io.StringIO()
    call_command("restore", str(archive), "--database-url", fresh.url,
                 "--media-root", str(fresh.media), stdout=out)  # fmt: skip
    with Database.from_url(fresh.url).connect() as db:
        assert census(db, log=lambda _line: None) == manifest.tables
    assert rows_of(fresh.name, "SELECT count(*) FROM reports_report") == [(3,)]
    assert sums(fresh.media) == sums(media)
    said = out.getvalue()
    for step in ("check: media files: 6/6", "database: restoring table:",
                 "database: counting and summing rows", "media: staging files: 6/6",
                 f"switch: {fresh.name}_restore_", "every table's rows and sum match"):  # fmt: skip
        assert step in said, step
    assert fresh.state()["beside"] == []


def test_backup_says_what_it_does(pokrovsk, media, tmp_path):
    file_report(photos=[jpeg()])
    out = io.StringIO()
    call_command("backup", str(tmp_path / "b"), stdout=out)
    said = out.getvalue()
    for step in ("database: snapshot ", "database: counting and summing rows, table:",
                 "database: pg_dump through snapshot", "database: dumping table:",
                 "media: copying files: 2/2", "Backed up "):  # fmt: skip
        assert step in said, step


class Writers:
    """Threads filing reports with a photo through the real intake, like residents during
    a backup. Each stops by itself after `limit` reports or `seconds`, whichever first."""

    def __init__(self, count: int = 3, limit: int = 150, seconds: float = 120) -> None:
        self.limit, self.deadline = limit, time.monotonic() + seconds
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.written = 0
        self.failures: list[BaseException] = []
        self.threads = [threading.Thread(target=self.write, args=(n,)) for n in range(count)]

    def write(self, number: int) -> None:
        try:
            for serial in range(self.limit):
                if self.stop.is_set() or time.monotonic() > self.deadline:
                    return
                file_report(title=f"Writer {number}, report {serial}", photos=[jpeg()])
                with self.lock:
                    self.written += 1
        except BaseException as exc:  # handed to the test's thread
            self.failures.append(exc)
        finally:
            connection.close()

    def wait_for_more(self, more: int) -> None:
        goal = self.written + more
        while self.written < goal:
            assert not self.failures, self.failures
            assert time.monotonic() < self.deadline, "the writers stopped writing"
            time.sleep(0.05)

    def __enter__(self) -> Writers:
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=60)
        assert not any(thread.is_alive() for thread in self.threads)
        assert not self.failures, self.failures


class WaitForWriters(io.StringIO):
    """The backup's output: at each of its steps, it lets the writers commit more reports
    first, so rows land between the snapshot, the census, the dump and the media copy."""

    STEPS = ("database: snapshot", "database: pg_dump", "database: dumping table",
             "media: copying files")  # fmt: skip

    def __init__(self, writers: Writers) -> None:
        super().__init__()
        self.writers, self.seen = writers, list[str]()

    def write(self, text: str) -> int:
        for step in self.STEPS:
            if text.startswith(step) and step not in self.seen:
                self.seen.append(step)
                self.writers.wait_for_more(3)
        return super().write(text)


def test_a_backup_taken_while_the_site_writes_is_one_snapshot(pokrovsk, media, tmp_path, fresh):
    file_reports(2)
    folder = tmp_path / "backup"
    with Writers() as writers:
        writers.wait_for_more(3)
        before = Report.objects.count()
        output = WaitForWriters(writers)
        call_command("backup", str(folder), stdout=output)
        after = Report.objects.count()
    assert output.seen == list(WaitForWriters.STEPS)  # writes landed at every step
    manifest = Manifest.read(folder)
    reports = manifest.tables["public.reports_report"].rows
    assert before <= reports < after  # the snapshot's count, not the count at any later step
    assert manifest.tables["public.reports_reportphoto"].rows == reports  # one photo each
    assert manifest.missing_media == []  # every photo the snapshot names was copied

    call_command("restore", str(folder), "--database-url", fresh.url,
                 "--media-root", str(fresh.media), stdout=io.StringIO())  # fmt: skip
    with Database.from_url(fresh.url).connect() as db:
        assert census(db, log=lambda _line: None) == manifest.tables
    assert rows_of(fresh.name, "SELECT count(*) FROM reports_report") == [(reports,)]
    assert rows_of(fresh.name, "SELECT count(*) FROM reports_reportevent") == [
        (manifest.tables["public.reports_reportevent"].rows,)
    ]
    live = sums(media)
    restored = sums(fresh.media)
    for image, thumbnail in rows_of(fresh.name, "SELECT image, thumbnail FROM reports_reportphoto"):
        assert restored[image] == live[image] and restored[thumbnail] == live[thumbnail]


def test_restore_into_the_configured_database_brings_back_the_snapshot(archive, media):
    manifest = Manifest.read(archive)
    file_reports(2)  # written after the backup: the restore takes them away
    (media / "reports" / "photos" / "later.jpg").write_bytes(b"a later photo")
    assert Report.objects.count() == 5
    with pytest.raises(CommandError, match=r"The target is not empty: database .* add --yes"):
        call_command("restore", str(archive), stdout=io.StringIO())
    assert Report.objects.count() == 5
    call_command("restore", str(archive), "--yes", stdout=io.StringIO())
    assert Report.objects.count() == 3
    assert live_census() == manifest.tables
    assert sums(media) == manifest.media


def test_a_file_the_database_names_but_the_storage_lost_is_listed(archive, media, tmp_path):
    photo = ReportPhoto.objects.order_by("pk").first()
    assert photo is not None
    (media / photo.image.name).unlink()
    out = io.StringIO()
    call_command("backup", str(tmp_path / "again"), stdout=out)
    assert "1 files the database refers to are not in the storage" in out.getvalue()
    manifest = json.loads((tmp_path / "again" / "manifest.json").read_text())
    assert manifest["media"]["missing"] == [photo.image.name]
    assert photo.image.name not in manifest["media"]["files"]


@pytest.mark.parametrize(
    "step",
    ["database: counting and summing rows", "database: dumping table", "media: copying files"],
)
@pytest.mark.parametrize("folder_exists", [False, True], ids=["new folder", "empty folder"])
def test_an_interrupted_backup_leaves_nothing(pokrovsk, media, tmp_path, step, folder_exists):
    file_report(photos=[jpeg()])
    folder = tmp_path / "backup"
    if folder_exists:
        folder.mkdir()
    with pytest.raises(KeyboardInterrupt):
        call_command("backup", str(folder), stdout=StopAt(step))
    assert folder.exists() == folder_exists
    assert not folder.exists() or list(folder.iterdir()) == []


def test_backup_refusals_name_the_problem(pokrovsk, media, tmp_path):
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "something").write_text("x")
    (tmp_path / "a-file").write_text("x")
    for folder, reason in [
        (tmp_path / "full", "the folder is not empty; give a new one"),
        (tmp_path / "a-file", "not a folder"),
        (media / "backups" / "today", f"inside the media folder {media}, the backup would copy"),
    ]:
        with pytest.raises(CommandError, match=re.escape(f"{folder}: {reason}")):
            call_command("backup", str(folder))
    assert (tmp_path / "a-file").read_text() == "x"
    assert sorted(p.name for p in (tmp_path / "full").iterdir()) == ["something"]
    assert not media.exists()
