"""/api/v1/identify/: what stands at a point, structures within 25 m on the ground."""

from __future__ import annotations

import pytest
from django.contrib.gis.geos import Point
from django.urls import reverse

from layers.geometry import metric_srid
from layers.models import AdvertisingStructure
from tests.layers.conftest import CENTRE


def offset(metres_east: float) -> Point:
    """The point `metres_east` east of the centre, measured in UCS-2000 / TM (metres)."""
    local = Point(*CENTRE, srid=4326)
    local.transform(metric_srid(CENTRE[0]))
    moved = Point(local.x + metres_east, local.y, srid=local.srid)
    moved.transform(4326)
    return moved


def identify(client, point: Point, **extra: object):
    return client.get(reverse("api:identify"), {"lat": point.y, "lon": point.x, **extra})


def test_plot_zone_and_nearby_structures(client, trade_plot, housing_zone, kiosk, pokrovsk):
    AdvertisingStructure.objects.create(
        municipality=pokrovsk, geometry=offset(20), permit_number="Р-20м"
    )
    AdvertisingStructure.objects.create(
        municipality=pokrovsk, geometry=offset(30), permit_number="Р-30м"
    )
    body = identify(client, Point(*CENTRE, srid=4326)).json()
    assert body["plot"]["cadastral_number"] == "1412600000:01:001:0001"
    assert body["zone"]["code"] == "Ж-1"
    assert [m["passport_number"] for m in body["maf"]] == ["МАФ-2026-001"]
    assert body["maf"][0]["distance_m"] == 0.0
    assert [a["permit_number"] for a in body["advertising"]] == ["Р-20м"]
    assert body["advertising"][0]["distance_m"] == pytest.approx(20, abs=0.5)
    assert body["advertising"][0]["permit_state"] == "none"
    assert "user_name" not in body["plot"]


def test_nothing_there(client, pokrovsk):
    body = identify(client, Point(37.25, 48.30, srid=4326)).json()
    assert (body["plot"], body["zone"], body["maf"], body["advertising"]) == (None, None, [], [])


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"lon": 37.1}, "lat"),
        ({"lat": "north", "lon": 37.1}, "lat"),
        ({"lat": 48.2, "lon": 181}, "lon"),
        ({"lat": "NaN", "lon": 37.1}, "lat"),
        ({"lat": 48.2, "lon": "inf"}, "lon"),
    ],
)
def test_bad_coordinates_are_a_400_naming_the_field(client, db, params, field):
    response = client.get(reverse("api:identify"), params)
    assert response.status_code == 400
    assert field in response.json()
