"""Base tiles from PostGIS: the layers a zoom shows, Ukrainian names, caching, limits."""

from __future__ import annotations

import math

import mapbox_vector_tile
import pytest
from django.core.cache import cache
from django.test import Client

from geoportal.basemap.models import BaseFeature
from geoportal.municipalities.models import Municipality
from tests.basemap.conftest import EXTRACT, import_basemap

pytestmark = pytest.mark.django_db
CAMPUS = (5.7655, 45.1942)  # the Grenoble campus beside the Isère; its z15 tile holds it all


def tile_of(lon: float, lat: float, z: int) -> tuple[int, int, int]:
    """The Web Mercator tile (z, x, y) that holds the point (the slippy-map formula)."""
    n = 2**z
    y = (1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n
    return z, int((lon + 180) / 360 * n), int(y)


def tile_centre(z: int, x: int, y: int) -> tuple[float, float]:
    """(lon, lat) of a tile's middle (the inverse of tile_of)."""
    n = 2**z
    lat = math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * (y + 0.5) / n))))
    return (x + 0.5) / n * 360 - 180, lat


def decoded(client: Client, z: int, x: int, y: int) -> dict:
    response = client.get(f"/tiles/base/{z}/{x}/{y}.mvt")
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/vnd.mapbox-vector-tile"
    return mapbox_vector_tile.decode(response.content)


@pytest.fixture
def loaded(melun: Municipality) -> Municipality:
    cache.clear()
    import_basemap(EXTRACT, "--municipality", melun.slug)
    return melun


def test_campus_tile_holds_water_green_buildings_and_roads(
    loaded: Municipality, client: Client
) -> None:
    layers = decoded(client, *tile_of(*CAMPUS, 15))
    assert set(layers) == {"water", "green", "buildings", "roads"}
    names = {f["properties"].get("name") for f in layers["water"]["features"]}
    assert "L'Isère" in names


def test_street_tile_names_its_streets(loaded: Municipality, client: Client) -> None:
    street = BaseFeature.objects.get(name="Rue Marcel Houdet").geometry.point_on_surface
    layers = decoded(client, *tile_of(street.x, street.y, 15))
    roads = layers["roads"]["features"]
    assert {"name": "Rue Marcel Houdet", "class": "residential"}.items() <= next(
        f["properties"] for f in roads if f["properties"].get("name") == "Rue Marcel Houdet"
    ).items()


def test_labels_prefer_the_ukrainian_name(loaded: Municipality, client: Client) -> None:
    melun = BaseFeature.objects.get(kind="label", name="Melun")
    melun.name_uk = "Мелен"  # the extract's Melun node has no name:uk (Créteil's is outside)
    melun.save()
    cache.clear()
    layers = decoded(client, *tile_of(melun.geometry.x, melun.geometry.y, 12))
    names = {f["properties"]["name"] for f in layers["labels"]["features"]}
    assert "Мелен" in names
    assert "Melun" not in names
    assert "Vaux-le-Pénil" in names  # no name:uk: its name


@pytest.mark.parametrize(
    ("z", "shown", "hidden"),
    [
        (13, {"water", "green"}, {"roads", "buildings"}),  # service roads from zoom 14
        (14, {"water", "green", "roads"}, {"buildings"}),  # buildings from zoom 15
        (15, {"water", "green", "roads", "buildings"}, set()),
    ],
)
def test_zoom_decides_the_layers(
    loaded: Municipality, client: Client, z: int, shown: set[str], hidden: set[str]
) -> None:
    layers = decoded(client, *tile_of(*CAMPUS, z))
    assert shown <= set(layers)
    assert not hidden & set(layers)


def test_residential_streets_wait_for_zoom_13(loaded: Municipality, client: Client) -> None:
    street = BaseFeature.objects.get(name="Rue Marcel Houdet").geometry.point_on_surface
    layers = decoded(client, *tile_of(street.x, street.y, 12))
    names = {f["properties"].get("name") for f in layers.get("roads", {}).get("features", [])}
    assert "Rue Marcel Houdet" not in names


def test_tile_is_cached_until_the_next_import(loaded: Municipality, client: Client) -> None:
    path = "/tiles/base/{}/{}/{}.mvt".format(*tile_of(*CAMPUS, 15))
    first = client.get(path)
    assert first["Cache-Control"] == "public, max-age=3600"
    assert client.get(path, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304

    import_basemap(EXTRACT, "--municipality", loaded.slug)

    assert client.get(path, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/tiles/base/23/0/0.mvt", 400),
        ("/tiles/base/3/8/0.mvt", 400),
        ("/tiles/base/5/17/11.mvt", 204),  # below the base tiles' first zoom: empty
        ("/tiles/base/14/0/0.mvt", 204),  # nothing there
    ],
)
def test_out_of_range_and_empty_tiles(
    loaded: Municipality, client: Client, path: str, status: int
) -> None:
    assert client.get(path).status_code == status


def test_street_names_lie_along_their_street_from_zoom_15(
    loaded: Municipality, client: Client
) -> None:
    street = BaseFeature.objects.get(name="Rue Marcel Houdet")
    middle = street.geometry.point_on_surface
    assert "street_names" not in decoded(client, *tile_of(middle.x, middle.y, 14))
    labels = decoded(client, *tile_of(middle.x, middle.y, 16))["street_names"]["features"]
    ours = [f["properties"] for f in labels if f["properties"]["name"] == "Rue Marcel Houdet"]
    assert ours and all(-90 <= p["angle"] <= 90 for p in ours)
    # Only ways long enough to hold their name at this zoom are labelled.
    assert len(ours) <= BaseFeature.objects.filter(name="Rue Marcel Houdet").count()


def test_a_label_turns_with_its_street_and_stays_upright(
    loaded: Municipality, client: Client
) -> None:
    """A way drawn east→west and the same way drawn west→east read the same way up; a
    north-south way reads bottom to top."""
    from django.contrib.gis.geos import LineString

    from geoportal.basemap.tiles import DERIVED

    assert "street_names" in DERIVED
    z, x, y = tile_of(*CAMPUS, 16)
    lon, lat = tile_centre(z, x, y)
    ways = {
        "Вулиця Схід": LineString((lon - 0.002, lat + 0.0005), (lon + 0.002, lat + 0.0005)),
        "Вулиця Захід": LineString((lon + 0.002, lat - 0.0005), (lon - 0.002, lat - 0.0005)),
        "Вулиця Північ": LineString((lon, lat - 0.0015), (lon, lat + 0.0015)),
    }
    for name, line in ways.items():
        BaseFeature.objects.create(
            municipality=loaded, kind="road", subclass="residential", name=name, geometry=line
        )
    cache.clear()
    labels = decoded(client, z, x, y)["street_names"]["features"]
    angle = {f["properties"]["name"]: f["properties"]["angle"] for f in labels}
    assert (angle["Вулиця Схід"], angle["Вулиця Захід"]) == (0, 0)
    assert angle["Вулиця Північ"] == -90


def test_house_numbers_from_zoom_17(loaded: Municipality, client: Client) -> None:
    house = BaseFeature.objects.filter(kind__in=["building", "address"]).exclude(housenumber="")
    first = house.first()
    assert first is not None
    where = first.geometry.point_on_surface
    assert "housenumbers" not in decoded(client, *tile_of(where.x, where.y, 16))
    numbers = decoded(client, *tile_of(where.x, where.y, 17))["housenumbers"]["features"]
    assert first.housenumber in {f["properties"]["housenumber"] for f in numbers}
