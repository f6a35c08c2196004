"""The shipped reference data of Pokrovsk and Pokrov (DOMAIN.md)."""

import json

import pytest
from django.contrib.gis.geos import GEOSGeometry, Point
from django.core.management import call_command

from geoportal.municipalities.models import Category, Municipality
from geoportal.municipalities.queries import area_km2
from tests.cast import SHARED, TEST_DATA, load_hromada

# DOMAIN.md, "Municipalities (hromadas) to ship as reference data".
HROMADAS = {
    "pokrovsk": {"katotth": "UA14160210010099403", "area": 515.5, "oblast": "UA_14_Donetska"},
    "pokrov": {"katotth": "UA12080090010010311", "area": 170.1, "oblast": "UA_12_Dnipropetrovska"},
}


@pytest.mark.parametrize("slug", HROMADAS)
def test_demo_boundary_is_labelled_approximate_with_the_hromada_area(db, slug):
    municipality = load_hromada(slug)
    assert municipality.katotth == HROMADAS[slug]["katotth"]
    assert municipality.boundary_is_approximate
    assert area_km2(municipality.boundary) == pytest.approx(HROMADAS[slug]["area"], rel=0.02)
    assert municipality.covers(municipality.centre)


@pytest.mark.parametrize("slug", HROMADAS)
def test_demo_boundary_lies_inside_its_oblast_outline(db, slug):
    """Sanity check against OpenStreetMap oblast outlines (tests/data/shared)."""
    municipality = load_hromada(slug)
    outline = json.loads(
        (SHARED / "data" / "boundaries" / f"{HROMADAS[slug]['oblast']}.geojson").read_text()
    )
    features = outline.get("features", [outline])
    oblast = GEOSGeometry(json.dumps(features[0]["geometry"]), srid=4326)
    for feature in features[1:]:
        oblast = oblast.union(GEOSGeometry(json.dumps(feature["geometry"]), srid=4326))
    assert oblast.contains(municipality.boundary)


def test_categories_and_departments_of_pokrovsk(pokrovsk):
    assert pokrovsk.departments.count() == 12
    assert pokrovsk.categories.count() == 16
    advertising = pokrovsk.categories.get(code="illegal-advertising")
    assert (advertising.name_uk, advertising.name_en) == (
        "Незаконна реклама",
        "Illegal advertising",
    )
    assert advertising.linked_layer == "advertising"
    assert not pokrovsk.departments.filter(is_demo=True).exists()


def test_pokrov_departments_are_marked_as_demo(pokrov):
    assert pokrov.departments.count() == 6
    assert not pokrov.departments.filter(is_demo=False).exists()


def test_reloading_is_idempotent_and_keeps_an_official_boundary(pokrovsk):
    call_command(
        "load_boundary",
        "pokrovsk",
        str(TEST_DATA / "boundaries" / "pokrovsk-ucs2000-tm12.gpkg"),
        stdout=None,
    )
    official = Municipality.objects.get(slug="pokrovsk").boundary.wkt
    counts = (Category.objects.count(), pokrovsk.departments.count(), pokrovsk.categories.count())
    call_command("load_reference", stdout=None)
    call_command("load_reference", stdout=None)
    pokrovsk.refresh_from_db()
    assert pokrovsk.boundary.wkt == official
    assert not pokrovsk.boundary_is_approximate
    assert Municipality.objects.count() == 2
    assert (pokrovsk.departments.count(), pokrovsk.categories.count()) == counts[1:]


def test_point_outside_every_hromada_is_in_none(pokrovsk, pokrov):
    kyiv = Point(30.5234, 50.4501, srid=4326)
    assert not Municipality.objects.containing(kyiv).exists()
    centre = Point(37.1772, 48.2771, srid=4326)
    assert list(Municipality.objects.containing(centre)) == [pokrovsk]
