"""Whole-layer and whole-report downloads: the worker rebuilds the file after a change
(many changes, one job), the URL sends it with an ETag and answers 304 to a client that
has it; without a file, the export is written for the request in bounded memory."""

from __future__ import annotations

import json
import tracemalloc
from pathlib import Path
from typing import Any

import pyogrio
import pytest
from django.contrib.gis.geos import Point
from django.db import connection
from django.test import Client

from geoportal.core.synthetic import layers as synthetic_layers
from geoportal.core.synthetic import reports as synthetic_reports
from geoportal.opendata import downloads
from geoportal.opendata.downloads import Download, build
from geoportal.opendata.tasks import refresh_downloads
from layers.exporting import FORMATS, source
from layers.models import TemporaryStructure
from tests.layers.conftest import CENTRE
from tests.reports.conftest import file_report, run_worker

URL = "/api/v1/layers/maf/export.geojson?municipality=pokrovsk"


@pytest.fixture
def folder(settings: Any, tmp_path: Path) -> Path:
    settings.EXPORTS_DIR = tmp_path / "exports"
    settings.EXPORTS_REBUILD_DELAY_SECONDS = 0
    return Path(settings.EXPORTS_DIR)


def waiting_jobs() -> list[tuple[str, str]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT task_name, queueing_lock FROM procrastinate_jobs"
            " WHERE queue_name = 'exports' AND status = 'todo' ORDER BY queueing_lock"
        )
        return list(cursor.fetchall())


def add_kiosk(pokrovsk: Any, address: str) -> TemporaryStructure:
    return TemporaryStructure.objects.create(
        municipality=pokrovsk, geometry=Point(*CENTRE, srid=4326), address=address
    )


def features_of(response: Any) -> list[dict[str, Any]]:
    return list(json.loads(b"".join(response.streaming_content))["features"])


@pytest.mark.django_db(transaction=True)
def test_a_change_is_rebuilt_by_the_worker_and_sent_with_an_etag(folder, no_jobs, pokrovsk):
    made = add_kiosk(pokrovsk, "вул. Центральна, 1")
    add_kiosk(pokrovsk, "вул. Центральна, 3")  # a burst of changes ...
    # ... makes one job for the hromada's download and one for all hromadas'.
    assert waiting_jobs() == [("opendata.build_download", "download:maf:*"),
                              ("opendata.build_download", "download:maf:pokrovsk")]  # fmt: skip
    run_worker("exports")
    assert waiting_jobs() == []
    for fmt in FORMATS:
        assert Download("maf", "pokrovsk").path(fmt).is_file()
        assert Download("maf").path(fmt).is_file()
    assert pyogrio.read_info(Download("maf", "pokrovsk").path("gpkg"))["features"] == 2

    client = Client()
    first = client.get(URL)
    assert first.status_code == 200 and first["ETag"] and first["Last-Modified"]
    assert first["Content-Disposition"] == 'attachment; filename="maf-pokrovsk.geojson"'
    assert {f["properties"]["address"] for f in features_of(first)} == {
        "вул. Центральна, 1", "вул. Центральна, 3"}  # fmt: skip
    again = client.get(URL, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again["ETag"] == first["ETag"]
    assert again.content == b""
    since = client.get(URL, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304

    made.address = "вул. Центральна, 5"
    made.save()
    assert waiting_jobs() != []
    stale = client.get(URL, HTTP_IF_NONE_MATCH=first["ETag"])
    assert stale.status_code == 304  # the file is the old one until the worker has run
    run_worker("exports")
    fresh = client.get(URL, HTTP_IF_NONE_MATCH=first["ETag"])
    assert fresh.status_code == 200 and fresh["ETag"] != first["ETag"]
    assert "вул. Центральна, 5" in {f["properties"]["address"] for f in features_of(fresh)}


@pytest.mark.django_db(transaction=True)
def test_reports_are_rebuilt_when_one_is_approved_or_supported(folder, no_jobs, pokrovsk,
                                                                moderator):  # fmt: skip
    report = file_report()
    run_worker("exports")  # a new report is not public: the file is built, empty
    path = Download("reports", "pokrovsk").path("csv")
    assert path.read_text(encoding="utf-8-sig").count("\n") == 1  # the heading only
    report.approve(moderator)
    run_worker("exports")
    assert f",{report.pk}," in path.read_text(encoding="utf-8-sig")
    before = path.stat().st_mtime_ns
    report.support(email="neighbour@example.org")
    run_worker("exports")
    assert path.stat().st_mtime_ns != before  # the support count is in the file
    rows = pyogrio.read_dataframe(Download("reports").path("gpkg"))
    assert list(rows["support_count"]) == [1]


@pytest.mark.django_db
def test_unchanged_data_is_not_built_again(folder, pokrovsk):
    add_kiosk(pokrovsk, "вул. Центральна, 1")
    assert build(Download("maf", "pokrovsk")) is True
    manifest = json.loads(Download("maf", "pokrovsk").manifest.read_text())
    assert manifest["features"] == 1
    assert build(Download("maf", "pokrovsk")) is False  # same version of the data
    assert build(Download("maf", "atlantis")) is False  # no such hromada: nothing
    leftovers = [p.name for p in Download("maf").folder.rglob(".*")]
    assert leftovers == []  # no temporary file is left behind
    with pytest.raises(ValueError, match="No download"):
        Download("maf", "../reports")

    # The catalogue links the built file and gives its size and date; the rest have none.
    catalogue = Client().get("/open-data/catalog.json").json()
    sets = {d["identifier"]: d["distribution"] for d in catalogue["dataset"]}
    geojson = next(d for d in sets["pokrovsk-maf"] if d["format"] == "GeoJSON")
    assert geojson["downloadURL"].endswith("/layers/maf/export.geojson?municipality=pokrovsk")
    assert geojson["byteSize"] == Download("maf", "pokrovsk").path("geojson").stat().st_size
    assert geojson["modified"]
    assert all("byteSize" not in d for d in sets["pokrovsk-land"])


@pytest.mark.django_db(transaction=True)
def test_the_hourly_sweep_asks_for_every_download(folder, no_jobs, pokrovsk, pokrov):
    refresh_downloads(timestamp=0)
    locks = [lock for _task, lock in waiting_jobs()]
    expected = {f"download:{d}:{s}" for d in downloads.DATASETS for s in ("*", "pokrov",
                                                                          "pokrovsk")}  # fmt: skip
    assert set(locks) == expected and len(locks) == len(expected)


def consume(response: Any) -> tuple[int, int, int, bytes]:
    """Read a streamed body as a client would, part by part: how many parts, their bytes,
    the peak of Python memory meanwhile (tracemalloc, from the third part on: the head and
    the first rows pay for imports and caches once), and the last part."""
    parts = iter(response.streaming_content)
    first, last = next(parts), next(parts)
    count, size = 2, len(first) + len(last)
    tracemalloc.start()
    try:
        for last in parts:
            count += 1
            size += len(last)
        _now, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return count, size, peak, last


def export_peak(url: str, query: dict[str, Any]) -> tuple[int, int, bytes]:
    response = Client().get(url, query)
    assert response.status_code == 200 and response.streaming
    assert not response.has_header("ETag")  # written for this request, not a file
    parts, size, peak, last = consume(response)
    assert parts >= 5, parts  # a chunk of rows at a time (3 or more), not one body
    return size, peak, last


def quiet(_line: str) -> None:
    """What the synthetic data generator says: nothing here."""


@pytest.mark.django_db
def test_without_a_file_the_request_streams_in_bounded_memory(folder, pokrovsk, monkeypatch):
    """Reports streamed 100 at a time: four times the reports, four times the bytes sent,
    the same peak of Python memory meanwhile (a few hundred kilobytes)."""
    monkeypatch.setattr(source, "CHUNK_ROWS", 100)
    monkeypatch.setattr(downloads, "schedule", lambda *args, **kwargs: None)
    synthetic_reports.reports(pokrovsk, 1000, seed=7, say=quiet)
    small_size, small_peak, _last = export_peak("/api/v1/reports/export.csv", {})
    synthetic_reports.reports(pokrovsk, 3000, seed=8, say=quiet)
    size, peak, _last = export_peak("/api/v1/reports/export.csv", {})
    assert size > 3.5 * small_size, (size, small_size)
    assert peak < 1.5 * small_peak, (peak, small_peak)
    assert peak < size / 2, (peak, size)


@pytest.mark.django_db
def test_a_large_ogc_page_streams_in_bounded_memory(pokrovsk, monkeypatch):
    """Plots sent 100 features at a time: a page of 1,200 takes the memory one of 300 does."""
    from geoportal.ogc import views

    monkeypatch.setattr(views, "FEATURES_PER_CHUNK", 100)
    synthetic_layers.plots(pokrovsk, 1200, seed=7, say=quiet)
    items = "/ogc/collections/land/items"
    small_size, small_peak, _last = export_peak(items, {"limit": 300})
    size, peak, last = export_peak(items, {"limit": 1200})
    tail = json.loads("{" + last.decode().removeprefix("], "))
    assert tail["numberReturned"] == 1200 == tail["numberMatched"]
    assert size > 3.5 * small_size, (size, small_size)
    assert peak < 1.5 * small_peak, (peak, small_peak)
