"""Fixtures of the report tests: photos made with Pillow, a private media folder, and
reports filed through the real intake."""

from __future__ import annotations

import threading
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.utils import translation
from PIL import ExifTags, Image

from geoportal.reports.intake import Submission, submit
from geoportal.reports.models import Report
from tests.layers.conftest import billboard, housing_zone, kiosk, trade_plot  # noqa: F401

CENTRE = (48.2771, 37.1772)  # Pokrovsk (lat, lon), DOMAIN.md


def jpeg(
    size: tuple[int, int] = (640, 480),
    gps: tuple[float, float] | None = None,
    colour: str = "#3366aa",
    name: str = "photo.jpg",
) -> ContentFile[bytes]:
    """A real JPEG, with EXIF (camera, and GPS when given) like a phone's photo."""
    image = Image.new("RGB", size, colour)
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "TestPhone"
    exif[ExifTags.Base.Model] = "Camera 12"
    if gps is not None:
        lat, lon = gps
        exif[ExifTags.IFD.GPSInfo] = {
            ExifTags.GPS.GPSLatitudeRef: "N" if lat >= 0 else "S",
            ExifTags.GPS.GPSLatitude: _dms(abs(lat)),
            ExifTags.GPS.GPSLongitudeRef: "E" if lon >= 0 else "W",
            ExifTags.GPS.GPSLongitude: _dms(abs(lon)),
        }
    out = BytesIO()
    image.save(out, "JPEG", exif=exif, quality=90)
    return ContentFile(out.getvalue(), name=name)


def _dms(value: float) -> tuple[float, float, float]:
    degrees = int(value)
    minutes = int((value - degrees) * 60)
    seconds = round(((value - degrees) * 60 - minutes) * 60, 4)
    return (float(degrees), float(minutes), seconds)


def stored_files(media: Path) -> list[Path]:
    return sorted(p for p in media.rglob("*") if p.is_file())


@pytest.fixture(autouse=True)
def english() -> Any:
    """Messages are asserted in English here; the Ukrainian ones are tested through the API."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    """Every report test writes its photos into its own folder, checked by the tests."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def no_jobs() -> Any:
    """An empty job queue before and after a test that runs the real worker: a transactional
    test's flush leaves Procrastinate's tables alone, and a worker defers periodic jobs."""

    def empty() -> None:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM procrastinate_jobs")

    empty()
    yield
    empty()


def run_worker(queue: str) -> None:
    """The real Procrastinate worker on one queue, until no job there is due.

    With wait=False the worker stops when it finds nothing to do; a retry it has just
    scheduled for "now" may land after that look, so it is started again while jobs are due.
    It runs in a thread of its own, as it would in its own process: the thread has no event
    loop yet (Playwright's sync API keeps one running in the main thread).
    """
    from procrastinate.contrib.django import app

    worker = app.with_connector(app.connector.get_worker_connector())  # type: ignore[attr-defined]
    failures: list[BaseException] = []

    def work() -> None:
        try:
            worker.run_worker(
                queues=[queue], wait=False, install_signal_handlers=False, listen_notify=False
            )
        except BaseException as exc:  # handed to the test's thread below
            failures.append(exc)
        finally:
            connection.close()

    for _round in range(20):
        thread = threading.Thread(target=work)
        thread.start()
        thread.join(timeout=60)
        assert not thread.is_alive(), "The worker did not stop within 60 s."
        if failures:
            raise failures[0]
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM procrastinate_jobs WHERE queue_name = %s AND status = 'todo'"
                " AND (scheduled_at IS NULL OR scheduled_at <= now())",
                [queue],
            )
            if cursor.fetchone()[0] == 0:
                return
    raise AssertionError(f"Jobs of the {queue!r} queue are still due after 20 worker runs.")


def file_report(**fields: Any) -> Report:
    """A report filed through the real intake (Pokrovsk centre, street lighting)."""
    values: dict[str, Any] = {
        "category": "lighting",
        "title": "Не горить ліхтар",
        "description": "Біля школи третій тиждень темно.",
        "lat": CENTRE[0],
        "lon": CENTRE[1],
        "reporter_email": "olha.reporter@example.org",
        "reporter_name": "Ольга Петренко",
    }
    values.update(fields)
    report, _created = submit(Submission(**values))
    return report


def new_report_form(**extra: Any) -> dict[str, Any]:
    """The fields of POST /api/v1/reports/ for a report at the Pokrovsk centre."""
    form: dict[str, Any] = {"category": "lighting", "title": "Не горить ліхтар",
                            "description": "Біля школи.", "lat": CENTRE[0], "lon": CENTRE[1],
                            "reporter_email": "olha@example.org"}  # fmt: skip
    form.update(extra)
    return form


@pytest.fixture
def filed(pokrovsk: Any) -> Report:
    return file_report()
