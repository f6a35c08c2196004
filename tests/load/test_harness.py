"""The load test's pieces that can be checked in seconds: the plan read from the database,
every path the simulated residents ask for, and the reconciliation of the filers' answers
with the stored reports. The load run itself is `make load` (minutes, not part of the
suite)."""

from __future__ import annotations

import random
import uuid
from pathlib import Path
from typing import Any

import pytest
from django.contrib.gis.geos import Point
from django.test import Client

from geoportal.reports.models import Report
from tests.load import plan as p
from tests.load.results import reconcile, summarise
from tests.reports.conftest import file_report


@pytest.fixture
def public_report(pokrovsk: Any, moderator: Any, settings: Any, tmp_path: Path) -> Report:
    settings.MEDIA_ROOT = tmp_path / "media"
    report = file_report()
    report.approve(by=moderator)
    return report


def test_plan_keeps_to_the_hromada(pokrovsk: Any, public_report: Report, tmp_path: Path) -> None:
    plan = p.build_plan(points=50)
    plan.dump(tmp_path / "plan.json")
    read = p.Plan.load(tmp_path / "plan.json")

    assert read == plan
    assert len(plan.points) == 50
    assert all(pokrovsk.boundary.contains(Point(lon, lat)) for lat, lon in plan.points)
    assert (public_report.point.y, public_report.point.x) in plan.places
    assert set(plan.categories) == set(pokrovsk.categories.active().values_list("code", flat=True))
    assert plan.reports == [public_report.pk]


def test_views_stay_over_the_hromada_and_in_the_map_zooms(pokrovsk: Any) -> None:
    plan = p.build_plan(points=10)
    west, south, east, north = plan.bbox
    rng = random.Random(7)  # noqa: S311  (a fixed walk, not a secret)
    view = p.View.at(*plan.points[0], p.MIN_ZOOM)
    for _move in range(300):
        view = view.panned(plan, rng) if rng.random() < 0.7 else view.zoomed(rng, plan.points[0])
        assert p.MIN_ZOOM <= view.z <= p.MAX_ZOOM
        lat, lon = p.tile_corner(view.z, view.x, view.y)
        below, right = p.tile_corner(view.z, view.x + 1, view.y + 1)
        # The centre tile touches the hromada's box.
        assert lon <= east and right >= west and below <= north and lat >= south


def test_every_path_answers_as_the_residents_expect(
    pokrovsk: Any, public_report: Report, client: Client
) -> None:
    plan = p.build_plan(points=10)
    view = p.View.at(public_report.point.y, public_report.point.x, p.LAND_MIN_ZOOM + 1)
    box = view.bbox()
    tiles = [p.tile_path(plan, layer, *view.tiles()[0]) for layer in p.tile_layers(view.z)]
    layers = [p.layer_path(plan, layer, box) for layer in p.structure_layers(view.z)]
    paths = [
        p.map_page("uk"),
        p.map_page("en"),
        p.boundary_path(plan),
        p.clusters_path(plan, plan.bbox, p.MIN_ZOOM),
        p.clusters_path(plan, box, view.z),
        p.list_path(plan, box),
        p.report_page(public_report.pk),
        p.report_api(public_report.pk),
        p.FORM_PAGE,
        p.nearby_path(plan.points[0], plan.categories[0]),
        *layers,
    ]
    assert len(tiles) == 2 and len(layers) == 2
    for path in paths:
        assert client.get(path).status_code == 200, path
    for path in tiles:
        assert client.get(path).status_code in (200, 204), path
    listed = client.get(p.list_path(plan, box)).json()
    assert [feature["id"] for feature in listed["features"]] == [public_report.pk]


def test_filings_reconcile_with_the_stored_reports(
    pokrovsk: Any, client: Client, settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    plan = p.build_plan(points=10)
    prefix = "load-test-"
    key = f"{prefix}{uuid.uuid4()}"
    form = p.filing_form(plan.points[0], "roads", key)

    def send() -> Any:
        photo = ("photo.jpg", p.photo_jpeg((320, 240)))
        return client.post(
            p.FILING_PATH,
            {**form, "photos": _upload(*photo)},
            headers={"Idempotency-Key": key, "Accept": "application/json"},
        )

    first, again = send(), send()  # the second as a retry after a lost answer
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    stored = [(r.idempotency_key or "", r.pk, r.description)
              for r in Report.objects.filter(idempotency_key__startswith=prefix)]  # fmt: skip

    told = {key: {"answers": [201], "id": first.json()["id"]}}
    assert reconcile(told, stored).ok
    assert reconcile(told, stored).stored == reconcile(told, stored).created == 1
    # What the check must catch: an answered report missing, a filing stored twice (under
    # a second key, as a client making a new key for a retry would), a report never told.
    assert reconcile(told, []).lost == [key]
    twice = [*stored, (f"{prefix}other", 999, form["description"])]
    assert key in reconcile(told, twice).duplicated
    assert reconcile({key: {"answers": [0], "id": None}}, stored).unconfirmed == [key]


def test_summary_takes_rates_over_the_window_and_percentiles_per_kind() -> None:
    made = {
        "tile land": {"times": [float(n) for n in range(1, 101)], "failures": 0},
        "map page": {"times": [200.0, 400.0], "failures": 1},
    }
    kinds = summarise(made, [1000.0, 1010.0])

    assert [k.name for k in kinds] == ["map page", "tile land", "all requests"]
    tiles = kinds[1]
    assert (tiles.requests, tiles.per_second, tiles.max) == (100, 10.0, 100.0)
    assert (tiles.p50, tiles.p95) == (51.0, 95.0)  # nearest rank (tests/perf/stats.py)
    assert (kinds[2].requests, kinds[2].failures) == (102, 1)


def _upload(name: str, content: bytes) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="image/jpeg")
