"""/api/v1/places/ answers with the base map's streets and house numbers."""

from __future__ import annotations

import pytest
from django.contrib.gis.geos import Point
from django.test import Client

from geoportal.basemap.addresses import search_text
from geoportal.basemap.models import BaseFeature
from geoportal.municipalities.models import Municipality
from tests.basemap.conftest import EXTRACT, import_basemap

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(melun: Municipality) -> Municipality:
    import_basemap(EXTRACT, "--municipality", melun.slug)
    return melun


def places(client: Client, text: str, slug: str = "") -> list[dict]:
    response = client.get("/api/v1/places/", {"q": text, "municipality": slug})
    assert response.status_code == 200, response.content
    return response.json()


@pytest.mark.parametrize("typed", ["Place Saint-Jean 3", "Saint-Jean, 3", "pl. saint-jean 3"])
def test_house_number_of_the_extract_is_found(
    loaded: Municipality, client: Client, typed: str
) -> None:
    # The extract's post office: addr:street=Place Saint-Jean, addr:housenumber=3.
    post = BaseFeature.objects.get(kind="address", housenumber="3").geometry
    (found,) = places(client, typed, loaded.slug)
    assert found["name"] == "Place Saint-Jean, 3"
    assert found["inside"] == loaded.slug
    assert (round(found["lon"], 6), round(found["lat"], 6)) == (
        round(post.x, 6),
        round(post.y, 6),
    )


def test_another_house_number_is_not_this_house(loaded: Municipality, client: Client) -> None:
    assert places(client, "Place Saint-Jean 4", loaded.slug) == []


def test_street_of_the_extract_is_found(loaded: Municipality, client: Client) -> None:
    found = places(client, "Marcel Houdet")
    assert [place["name"] for place in found] == ["Rue Marcel Houdet"]
    street = BaseFeature.objects.get(name="Rue Marcel Houdet").geometry
    assert street.distance(Point(found[0]["lon"], found[0]["lat"], srid=4326)) < 1e-7
    assert found[0]["inside"] == loaded.slug


@pytest.fixture
def ukrainian_house(loaded: Municipality) -> BaseFeature:
    """The extract has no Ukrainian street: its post office is given the address a
    Ukrainian extract's building would have (addr:street=вулиця Шмідта, housenumber 5)."""
    house = BaseFeature.objects.get(kind="address", housenumber="3")
    house.street, house.housenumber = "вулиця Шмідта", "5"
    house.search = search_text(house.street)
    house.save()
    return house


@pytest.mark.parametrize("typed", ["вул. Шмідта 5", "Шмідта, 5", "Shmidta 5", "vul. Shmidta, 5"])
def test_ukrainian_address_is_found_in_every_spelling(
    ukrainian_house: BaseFeature, client: Client, typed: str
) -> None:
    (found,) = places(client, typed)
    assert found["name"] == "вулиця Шмідта, 5"
    assert found["lon"] == pytest.approx(ukrainian_house.geometry.x)


def test_search_keeps_to_the_hromada_asked_for(loaded: Municipality, client: Client) -> None:
    assert places(client, "Marcel Houdet", "pokrovsk") == []
    assert places(client, "Marcel Houdet", loaded.slug) != []
