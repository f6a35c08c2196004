"""Bad input to the OGC API's writes: each refusal names the property and the reason (422
for a well-formed feature that breaks a rule, 400 for a body that is not a feature at all),
and nothing is written, neither the feature nor its history."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.gis.geos import Point

from layers.models import AdvertisingStructure, LandPlot, TemporaryStructure, ZoningZone
from tests.layers.conftest import CENTRE, square
from tests.ogc.editors import GEOJSON, ITEMS, MERGE_PATCH, kiosk_feature, plot_feature, token_of

BOW_TIE = {"type": "Polygon", "coordinates": [[[37.17, 48.27], [37.18, 48.28], [37.18, 48.27],
                                              [37.17, 48.28], [37.17, 48.27]]]}  # fmt: skip


@dataclass(frozen=True)
class Bad:
    name: str
    collection: str
    document: Any  # a JSON-able document, or raw text sent as it is
    status: int
    names: str  # the property the refusal must name
    method: str = "post"
    headers: dict[str, str] = field(default_factory=dict)


def billboard(**properties: Any) -> dict[str, Any]:
    found = {"permit_number": "Р-2026-100", "kind": "billboard", "sides": 2}
    found.update(properties)
    point = {"type": "Point", "coordinates": [CENTRE[0] + 0.003, CENTRE[1]]}
    return {"type": "Feature", "properties": found, "geometry": point}


def with_geometry(feature: dict[str, Any], geometry: Any) -> dict[str, Any]:
    return {**feature, "geometry": geometry}


CASES = [
    Bad(
        "wrong geometry type",
        "land",
        with_geometry(plot_feature(), {"type": "Point", "coordinates": list(CENTRE)}),
        422,
        "geometry",
    ),
    Bad("invalid geometry", "land", with_geometry(plot_feature(), BOW_TIE), 422, "geometry"),
    Bad("outside the hromada", "maf", kiosk_feature(30.5234, 50.4501), 422, "geometry"),
    Bad(
        "a date that does not exist",
        "maf",
        kiosk_feature(permit_valid_to="31.02.2027"),
        422,
        "permit_valid_to",
    ),
    Bad(
        "validity ending before it starts",
        "maf",
        kiosk_feature(permit_valid_from="2027-01-01", permit_valid_to="2026-01-01"),
        422,
        "permit_valid_to",
    ),
    Bad(
        "duplicate passport",
        "maf",
        kiosk_feature(passport_number="МАФ-2026-001"),
        422,
        "passport_number",
    ),
    Bad(
        "duplicate cadastral number",
        "land",
        plot_feature(cadastral_number="1412600000:01:001:0001"),
        422,
        "cadastral_number",
    ),
    Bad(
        "malformed cadastral number",
        "land",
        plot_feature(cadastral_number="14126:1"),
        422,
        "cadastral_number",
    ),
    Bad("unknown property", "maf", kiosk_feature(colour="green"), 422, "colour"),
    Bad("a choice that is not one", "maf", kiosk_feature(kind="yurt"), 422, "kind"),
    Bad("a pavilion over 30 m²", "maf", kiosk_feature(kind="pavilion", area_m2=45), 422, "area_m2"),
    Bad("an owner code of 3 digits", "maf", kiosk_feature(owner_code="123"), 422, "owner_code"),
    Bad("a list for a value", "maf", kiosk_feature(address=["a", "b"]), 422, "address"),
    Bad("five sides", "advertising", billboard(sides=5), 422, "sides"),
    Bad("a negative width", "advertising", billboard(width_m=-3), 422, "width_m"),
    Bad(
        "a zone without its name",
        "zoning",
        {
            "type": "Feature",
            "properties": {"code": "Ж-9"},
            "geometry": BOW_TIE
            | {"coordinates": [[[37.17, 48.27], [37.18, 48.27], [37.18, 48.28], [37.17, 48.27]]]},
        },
        422,
        "name",
    ),
    Bad("no geometry", "maf", with_geometry(kiosk_feature(), None), 422, "geometry"),
    Bad("bad JSON", "maf", '{"type": "Feature", "geometry": ', 400, "JSON"),
    Bad("NaN in JSON", "maf", '{"type": "Feature", "properties": {"area_m2": NaN}}', 400, "JSON"),
    Bad(
        "a FeatureCollection", "maf", {"type": "FeatureCollection", "features": []}, 400, "Feature"
    ),
    Bad(
        "coordinates that are not numbers",
        "maf",
        with_geometry(kiosk_feature(), {"type": "Point", "coordinates": "37,48"}),
        400,
        "geometry",
    ),
    Bad(
        "properties as a list", "maf", {**kiosk_feature(), "properties": [1, 2]}, 400, "properties"
    ),
    Bad(
        "a CRS the API does not speak",
        "maf",
        kiosk_feature(),
        400,
        "Content-Crs",
        headers={"HTTP_CONTENT_CRS": "<http://www.opengis.net/def/crs/EPSG/0/2154>"},
    ),
    Bad(
        "a replacement without its key",
        "land",
        plot_feature(cadastral_number=None),
        422,
        "cadastral_number",
        method="put",
    ),
    Bad(
        "a patch removing the geometry", "maf", {"geometry": None}, 422, "geometry", method="patch"
    ),
    Bad(
        "a patch of a date that is not one",
        "maf",
        {"properties": {"permit_valid_from": "soon"}},
        422,
        "permit_valid_from",
        method="patch",
    ),
]


@pytest.fixture
def stored(pokrovsk) -> dict[str, Any]:
    """One feature of each layer, the targets of PUT and PATCH and the holders of the keys."""
    return {
        "maf": TemporaryStructure.objects.create(
            municipality=pokrovsk, geometry=Point(*CENTRE, srid=4326),
            passport_number="МАФ-2026-001", permit_valid_from=date(2026, 1, 10),
            permit_valid_to=date(2027, 1, 10)),
        "land": LandPlot.objects.create(
            municipality=pokrovsk, geometry=square(*CENTRE), area_ha=Decimal("0.8"),
            cadastral_number="1412600000:01:001:0001", purpose_code="02.01"),
        "advertising": AdvertisingStructure.objects.create(
            municipality=pokrovsk, geometry=Point(CENTRE[0] + 0.001, CENTRE[1], srid=4326),
            permit_number="Р-2025-017"),
        "zoning": ZoningZone.objects.create(
            municipality=pokrovsk, geometry=square(*CENTRE, half=0.01), code="Ж-1",
            name="Житлова"),
    }  # fmt: skip


def snapshot() -> list[int]:
    models = (TemporaryStructure, LandPlot, AdvertisingStructure, ZoningZone)
    return [n for model in models for n in (model.objects.count(), model.history.count())]


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_bad_input_is_refused_naming_the_property(client, planner, stored, case: Bad):
    before = snapshot()
    versions = {name: (type(f).objects.get(pk=f.pk).updated_at) for name, f in stored.items()}
    path = ITEMS.format(collection=case.collection)
    if case.method != "post":
        path += f"/{stored[case.collection].pk}"
    text = case.document if isinstance(case.document, str) else json.dumps(case.document)
    kind = MERGE_PATCH if case.method == "patch" else GEOJSON
    answer = getattr(client, case.method)(path, text, content_type=kind, **token_of(planner),
                                          **case.headers)  # fmt: skip
    assert answer.status_code == case.status, answer.content
    refusal = answer.json()
    assert case.names in refusal["description"], refusal
    if case.status == 422:
        assert case.names in refusal["errors"], refusal
        assert refusal["code"] == "InvalidFeature"
    assert snapshot() == before
    for name, feature in stored.items():
        assert type(feature).objects.get(pk=feature.pk).updated_at == versions[name]


def test_a_body_over_the_limit_is_refused_before_it_is_read(client, planner, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2048
    big = kiosk_feature(address="x" * 200, cancellation_decision="y" * 3000)
    answer = client.post(ITEMS.format(collection="maf"), json.dumps(big), content_type=GEOJSON,
                         **token_of(planner))  # fmt: skip
    assert answer.status_code == 413
    assert "2048" in answer.json()["description"]
    assert not TemporaryStructure.objects.exists()


def test_a_body_that_is_not_json_is_unsupported(client, planner):
    answer = client.post(ITEMS.format(collection="maf"), "passport=1", content_type="text/plain",
                         **token_of(planner))  # fmt: skip
    assert answer.status_code == 415
    assert "application/geo+json" in answer.json()["description"]
