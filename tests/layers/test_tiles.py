"""/tiles/<layer>/<z>/<x>/<y>.mvt: PostGIS vector tiles, cached until the layer changes."""

from __future__ import annotations

import math
import pickle
from pathlib import Path

import mapbox_vector_tile
import pytest
from django.contrib.gis.geos import MultiPolygon, Point
from django.core.cache import caches
from django.db import connection

from layers.tiles.views import tile
from tests.layers.conftest import CENTRE


def tile_of(lon: float, lat: float, z: int) -> tuple[int, int]:
    """The slippy-map tile containing the point (the OSM formula)."""
    n = 2**z
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return x, y


@pytest.fixture(autouse=True)
def empty_cache():
    caches["tiles"].clear()


def get_tile(client, layer: str, z: int = 15, at: tuple[float, float] = CENTRE, **headers: str):
    x, y = tile_of(*at, z)
    return client.get(f"/tiles/{layer}/{z}/{x}/{y}.mvt", headers=headers)


def test_land_tile_decodes_to_the_plot(client, trade_plot):
    response = get_tile(client, "land")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.mapbox-vector-tile"
    assert response["Access-Control-Allow-Origin"] == "*"
    decoded = mapbox_vector_tile.decode(response.content)
    [feature] = decoded["land"]["features"]
    assert feature["properties"] == {
        "id": trade_plot.pk,
        "cadastral_number": "1412600000:01:001:0001",
        "purpose_code": "03.07",
        "ownership": "200",
        "investor_status": "free",
        "municipality": "pokrovsk",
    }
    assert feature["geometry"]["type"] == "Polygon"


def test_structure_tiles_carry_the_permit_state(client, kiosk, billboard):
    maf = mapbox_vector_tile.decode(get_tile(client, "maf").content)["maf"]["features"]
    assert [f["properties"]["passport_number"] for f in maf] == ["МАФ-2026-001"]
    assert maf[0]["properties"]["permit_state"] in {"active", "expiring"}
    position = (billboard.geometry.x, billboard.geometry.y)  # just across a z15 tile edge
    ads = mapbox_vector_tile.decode(get_tile(client, "advertising", at=position).content)
    assert ads["advertising"]["features"][0]["properties"]["permit_state"] == "expired"


def test_empty_tile_is_204(client, trade_plot):
    assert client.get("/tiles/land/15/0/0.mvt").status_code == 204


@pytest.mark.parametrize(
    ("url", "status", "parameter"),
    [
        ("/tiles/land/23/0/0.mvt", 400, "z"),
        ("/tiles/land/3/8/0.mvt", 400, "x/y"),
        ("/tiles/roads/3/1/1.mvt", 404, "layer"),
        ("/tiles/land/3/1/1.mvt?municipality=atlantis", 404, "municipality"),
    ],
)
def test_bad_requests(client, db, url, status, parameter):
    response = client.get(url)
    assert response.status_code == status
    assert response.json()["parameter"] == parameter


def test_etag_304_and_a_new_etag_after_an_edit(client, trade_plot):
    first = get_tile(client, "land")
    assert first["Cache-Control"] == "public, max-age=300"
    assert "Last-Modified" in first
    assert get_tile(client, "land", If_None_Match=first["ETag"]).status_code == 304
    trade_plot.investor_status = "auction"
    trade_plot.save()  # touches the layer passport
    second = get_tile(client, "land")
    assert second["ETag"] != first["ETag"]
    props = mapbox_vector_tile.decode(second.content)["land"]["features"][0]["properties"]
    assert props["investor_status"] == "auction"


def test_cached_tile_does_not_touch_the_layer_table(client, trade_plot):
    first = get_tile(client, "land")
    # Delete behind Django's back: no signal, the passport is not touched.
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM layers_landplot")
    again = get_tile(client, "land")
    assert again.status_code == 200
    assert again.content == first.content


def test_municipality_scope(client, trade_plot, pokrov):
    assert get_tile(client, "land").status_code == 200
    x, y = tile_of(*CENTRE, 15)
    assert client.get(f"/tiles/land/15/{x}/{y}.mvt?municipality=pokrov").status_code == 204


def test_the_cache_keeps_the_tile_as_its_bytes(client, trade_plot):
    body = get_tile(client, "land").content
    # The expiry (as Django's file cache writes it), then the tile itself: no pickle, no zlib.
    assert _kept() == [body]
    again = get_tile(client, "land")
    assert (again.status_code, again.content) == (200, body)


def test_one_query_for_a_cached_tile_two_for_a_new_one(
    client, trade_plot, django_assert_num_queries
):
    x, y = tile_of(*CENTRE, 15)
    url = f"/tiles/land/15/{x}/{y}.mvt?municipality=pokrovsk"
    with django_assert_num_queries(2):  # the hromada with the layer's version, then the tile
        first = client.get(url)
    with django_assert_num_queries(1):
        again = client.get(url)
    assert first.content == again.content and first["ETag"] == again["ETag"]
    assert first.status_code == 200


def test_a_new_tile_is_kept_once_it_is_sent(rf, trade_plot):
    x, y = tile_of(*CENTRE, 15)
    response = tile(rf.get(f"/tiles/land/15/{x}/{y}.mvt"), "land", 15, x, y)
    assert response.status_code == 200 and not _kept()  # the server has not closed it yet
    response.close()  # what the WSGI server does once the body is written
    assert _kept() == [response.content]


def test_a_tile_the_disk_refuses_is_still_answered(rf, trade_plot, monkeypatch, caplog):
    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(caches["tiles"], "set", refuse)
    x, y = tile_of(*CENTRE, 15)
    response = tile(rf.get(f"/tiles/land/15/{x}/{y}.mvt"), "land", 15, x, y)
    response.close()
    assert response.status_code == 200 and response.content
    assert "Could not keep tile" in caplog.text


def _kept() -> list[bytes]:
    """The tiles in the cache (after the expiry Django's file cache writes first)."""
    folder = Path(caches["tiles"]._dir)  # type: ignore[attr-defined]
    return [path.read_bytes()[len(pickle.dumps(1.0, pickle.HIGHEST_PROTOCOL)) :]
            for path in folder.glob("*.djcache")]  # fmt: skip


def test_a_detailed_boundary_is_simplified_to_the_tile(client, trade_plot):
    # An 801-point ring about 110 m across: at z15 a tile unit is ~1.2 m, so the tile keeps
    # a few dozen of its points (ST_Simplify by one unit, then ST_AsMVTGeom's grid).
    trade_plot.geometry = MultiPolygon(Point(*CENTRE).buffer(0.0005, quadsegs=200), srid=4326)
    trade_plot.save()
    [feature] = mapbox_vector_tile.decode(get_tile(client, "land").content)["land"]["features"]
    [ring] = feature["geometry"]["coordinates"]
    assert 20 < len(ring) < 120, len(ring)
