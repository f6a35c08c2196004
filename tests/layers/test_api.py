"""/api/v1/layers/<layer>/: explicit public fields, filters, bbox edge, paging."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from layers.models import LandPlot
from tests.layers.conftest import CENTRE, square

LISTS = ["api:layer-maf", "api:layer-advertising", "api:layer-land", "api:layer-zoning"]


@pytest.fixture
def layers(kiosk, billboard, trade_plot, housing_zone):
    trade_plot.user_name = "Іваненко Іван Іванович"
    trade_plot.save()
    billboard.distributor_phone = "+380501112233"
    billboard.distributor_code = "12345678"  # a company's ЄДРПОУ: public
    billboard.save()
    kiosk.owner_code = "3012345678"  # a person's РНОКПП: never public
    kiosk.save()


@pytest.mark.parametrize("name", LISTS)
def test_every_layer_lists_its_features_as_geojson(client, layers, name):
    body = client.get(reverse(name), {"municipality": "pokrovsk"}).json()
    assert body["type"] == "FeatureCollection"
    assert body["count"] == 1
    assert body["features"][0]["properties"]["municipality"] == "pokrovsk"


def test_private_fields_never_appear(client, layers):
    text = "".join(client.get(reverse(name)).content.decode() for name in LISTS)
    for private in ("Іваненко", "+380501112233", "3012345678", "user_name", "distributor_phone"):
        assert private not in text
    billboard = client.get(reverse("api:layer-advertising")).json()["features"][0]
    assert billboard["properties"]["distributor_code"] == "12345678"


@time_machine.travel(date(2026, 11, 23))
def test_permit_state_and_its_filter(client, layers):
    maf = client.get(reverse("api:layer-maf")).json()["features"][0]["properties"]
    assert maf["permit_state"] == "active"  # valid until 2027-01-10
    ads = client.get(reverse("api:layer-advertising"), {"permit_state": "expired"}).json()
    assert [f["properties"]["permit_number"] for f in ads["features"]] == ["Р-2025-017"]
    none = client.get(reverse("api:layer-advertising"), {"permit_state": "active"}).json()
    assert none["count"] == 0


def test_search_by_key_prefix_or_address(client, layers):
    land = client.get(reverse("api:layer-land"), {"q": "1412600000:01"}).json()
    assert land["count"] == 1
    maf = client.get(reverse("api:layer-maf"), {"q": "центральна"}).json()
    assert maf["count"] == 1
    assert client.get(reverse("api:layer-maf"), {"q": "нема"}).json()["count"] == 0


def test_investor_filter(client, layers, pokrovsk):
    LandPlot.objects.create(
        municipality=pokrovsk,
        geometry=square(CENTRE[0] + 0.01, CENTRE[1]),
        cadastral_number="1412600000:01:001:0009",
        ownership=LandPlot.Ownership.PRIVATE,
        investor_status=LandPlot.InvestorStatus.FREE,
    )
    listed = client.get(reverse("api:layer-land"), {"for_investors": "true"}).json()
    assert [f["properties"]["cadastral_number"] for f in listed["features"]] == [
        "1412600000:01:001:0001"
    ]


def test_bbox_keeps_features_crossing_its_edge(client, layers):
    lon, lat = CENTRE
    # The plot spans lon ± 0.0005: a box ending at lon cuts it in two.
    crossing = f"{lon - 0.01},{lat - 0.01},{lon},{lat + 0.01}"
    assert client.get(reverse("api:layer-land"), {"in_bbox": crossing}).json()["count"] == 1
    outside = f"{lon - 0.01},{lat - 0.01},{lon - 0.001},{lat + 0.01}"
    assert client.get(reverse("api:layer-land"), {"in_bbox": outside}).json()["count"] == 0


def test_bad_bbox_is_a_400(client, layers):
    response = client.get(reverse("api:layer-land"), {"in_bbox": "1,2,three"})
    assert response.status_code == 400
    assert "in_bbox" in response.content.decode()


def test_page_size_is_capped(client, pokrovsk):
    for number in range(3):
        LandPlot.objects.create(
            municipality=pokrovsk,
            geometry=square(CENTRE[0] + number * 0.002, CENTRE[1]),
            cadastral_number=f"1412600000:01:002:{number:04d}",
        )
    page = client.get(reverse("api:layer-land"), {"page_size": 2}).json()
    assert (page["count"], len(page["features"])) == (3, 2)
    assert page["next"] is not None
    capped = client.get(reverse("api:layer-land"), {"page_size": 100000}).json()
    assert len(capped["features"]) == 3  # max_page_size 1000 applies, all three fit


def test_unknown_layer_is_a_404_naming_the_layers(client, db):
    response = client.get("/api/v1/layers/roads/")
    assert response.status_code == 404
    assert response.json()["parameter"] == "layer"


def test_layers_are_read_only(client, layers, planner):
    client.force_login(planner)
    assert client.post(reverse("api:layer-land"), {}).status_code == 405


def test_layer_pages_carry_an_etag_until_the_layer_changes(client, pokrovsk, kiosk):
    from layers.models import LayerPassport

    LayerPassport.touch(pokrovsk.pk, "maf")
    first = client.get("/api/v1/layers/maf/", {"municipality": "pokrovsk"})
    tag = first["ETag"]
    assert first["Cache-Control"] == "public, max-age=60" and first["Last-Modified"]
    again = client.get("/api/v1/layers/maf/", {"municipality": "pokrovsk"},
                       HTTP_IF_NONE_MATCH=tag)  # fmt: skip
    assert again.status_code == 304 and again.content == b""
    other_page = client.get("/api/v1/layers/maf/", {"municipality": "pokrovsk", "page_size": "5"})
    assert other_page["ETag"] != tag  # another query, another copy
    LayerPassport.touch(pokrovsk.pk, "maf")  # an edit or an import
    changed = client.get("/api/v1/layers/maf/", {"municipality": "pokrovsk"},
                         HTTP_IF_NONE_MATCH=tag)  # fmt: skip
    assert changed.status_code == 200 and changed["ETag"] != tag
