"""The public register of permit applications: what it lists, in every place it is shown (the
page, the downloads, the OGC API collection, the map's layer of applications under review)
— and that a natural person's name, e-mail and phone, and a business's contact person, are
in none of them."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pyogrio
import pytest
from django.contrib.gis.geos import Point
from django.test import Client

from geoportal.core.spreadsheet import BOM
from geoportal.municipalities.models import Municipality
from geoportal.municipalities.working_days import KYIV
from geoportal.opendata.downloads import Download, build
from geoportal.permits.models import Application
from geoportal.permits.register import COLUMNS, DATASET, Entry, registered, under_review
from geoportal.permits.states import PUBLIC_STATES, ApplicantKind, Kind, RefusalReason, State
from tests.permits.conftest import application_in, footprint, near

# A natural person applying, and a business's contact person: none of it is ever public.
PERSON = {
    "applicant_kind": ApplicantKind.PERSON,
    "applicant_name": "Personmarker Оксана Дмитренко",
    "applicant_email": "person.private.7731@example.org",
    "applicant_phone": "+380671234501",
    "organisation_name": "",
    "edrpou": "",
}
BUSINESS = {
    "applicant_kind": ApplicantKind.BUSINESS,
    "applicant_name": "Contactmarker Петро Бондар",
    "applicant_email": "contact.private.7731@example.org",
    "applicant_phone": "+380671234502",
    "organisation_name": "ТОВ «Реклама Схід»",
    "edrpou": "23456789",
}
SECRETS = tuple(
    value for who in (PERSON, BUSINESS)
    for key, value in who.items() if key in ("applicant_name", "applicant_email", "applicant_phone")
)  # fmt: skip
REGISTERED = datetime(2026, 3, 2, 10, 0, tzinfo=KYIV)


@dataclass
class Register:
    person: Application  # under review
    business: Application  # under review
    granted: Application
    submitted: Application  # not registered: not public


@pytest.fixture
def register(pokrovsk: Municipality) -> Register:
    return Register(
        person=application_in(State.UNDER_REVIEW, pokrovsk, **PERSON, address="вул. Миру, 5",
                              registered_at=REGISTERED),
        business=application_in(State.CHECKED, pokrovsk, **BUSINESS, kind=Kind.ADVERTISING,
                                site=near(200), structure_type="billboard",
                                address="просп. Шевченка, 20", registered_at=REGISTERED),
        granted=application_in(State.GRANTED, pokrovsk, **BUSINESS, site=footprint(400),
                               decided_at=REGISTERED),
        submitted=application_in(State.SUBMITTED, pokrovsk, **PERSON, site=footprint(600)),
    )  # fmt: skip


def body(response: Any) -> bytes:
    assert response.status_code == 200, response.status_code
    if response.streaming:
        return b"".join(response.streaming_content)
    return bytes(response.content)


def get(path: str) -> Callable[[Client, Register], bytes]:
    return lambda client, register: body(client.get(path))


def ogc_item(which: str) -> Callable[[Client, Register], bytes]:
    def fetch(client: Client, register: Register) -> bytes:
        pk = getattr(register, which).pk
        return body(client.get(f"/ogc/collections/permit-applications/items/{pk}"))

    return fetch


def prebuilt(fmt: str) -> Callable[[Client, Register], bytes]:
    """The file the worker builds for the download."""

    def fetch(client: Client, register: Register) -> bytes:
        assert build(Download(DATASET, "pokrovsk"), force=True)
        return Download(DATASET, "pokrovsk").path(fmt).read_bytes()

    return fetch


# Every place the register is shown, and whether the person's application is in it.
OUTPUTS = {
    "register page": get("/permits/register/"),
    "register page, en, one hromada": get("/en/permits/register/?municipality=pokrovsk"),
    "register page, under review": get("/permits/register/?state=under_review"),
    "CSV download": get("/api/v1/permits/export.csv"),
    "GeoJSON download": get("/api/v1/permits/export.geojson?municipality=pokrovsk"),
    "GeoPackage built by the worker": prebuilt("gpkg"),
    "CSV built by the worker": prebuilt("csv"),
    "OGC items": get("/ogc/collections/permit-applications/items"),
    "OGC items as HTML": get("/ogc/collections/permit-applications/items?f=html"),
    "OGC item of the person": ogc_item("person"),
    "OGC item of the person as HTML": lambda c, r: body(
        c.get(f"/ogc/collections/permit-applications/items/{r.person.pk}?f=html")
    ),
    "OGC item of the business": ogc_item("business"),
    "under-review GeoJSON": get("/permits/under-review.geojson"),
    "under-review GeoJSON of the hromada": get(
        "/permits/under-review.geojson?municipality=pokrovsk"
    ),
    "open-data catalogue": get("/open-data/"),
    "DCAT catalogue": get("/open-data/catalog.json"),
}  # fmt: skip


@pytest.fixture
def exports(settings: Any, tmp_path: Path) -> Path:
    settings.EXPORTS_DIR = tmp_path / "exports"
    return settings.EXPORTS_DIR


@pytest.mark.parametrize("output", OUTPUTS, ids=str)
def test_no_personal_data_in_any_public_output(
    client: Client, register: Register, exports: Path, output: str
):
    shown = OUTPUTS[output](client, register)
    leaked = [secret for secret in SECRETS if secret.encode() in shown]
    assert leaked == []
    # A submission not yet registered is not public either.
    assert register.submitted.number.encode() not in shown


# Outputs that do not show the person's application: the catalogues, the business's item, and
# the items' HTML page (a list of links by id).
NOT_LISTING = ("open-data catalogue", "DCAT catalogue", "OGC item of the business",
               "OGC items as HTML")  # fmt: skip


@pytest.mark.parametrize("output", [o for o in OUTPUTS if o not in NOT_LISTING], ids=str)
def test_the_person_is_listed_without_a_name(
    client: Client, register: Register, exports: Path, output: str
):
    """Each output has the person's application (so the test above looked at it)."""
    assert register.person.number.encode() in OUTPUTS[output](client, register)


def test_the_register_query_is_public_states_and_public_fields(register: Register):
    assert set(registered().values_list("pk", flat=True)) == {
        register.person.pk, register.business.pk, register.granted.pk,
    }  # fmt: skip
    assert set(under_review().values_list("pk", flat=True)) == {
        register.person.pk, register.business.pk,
    }  # fmt: skip
    assert State.SUBMITTED not in PUBLIC_STATES
    # The downloads' columns are the public fields, and only those.
    assert [column.name for column in COLUMNS] == [
        "id", "municipality", "number", "kind", "state", "structure_type", "address", "holder",
        "holder_kind", "holder_code", "registered_on", "decided_on", "permit_number",
        "valid_from", "valid_to", "refusal_reason",
    ]  # fmt: skip
    person = Entry.of(registered().get(pk=register.person.pk))
    assert (person.holder, person.holder_kind, person.holder_code) == ("", "person", "")
    assert person.holder_label == "A natural person"
    business = Entry.of(registered().get(pk=register.business.pk))
    assert (business.holder, business.holder_code) == ("ТОВ «Реклама Схід»", "23456789")
    assert business.registered_on == REGISTERED.date()
    # The private columns are not even read for the public.
    loaded = registered().get(pk=register.person.pk)
    assert {"applicant_email", "applicant_phone", "tracking_code"} <= loaded.get_deferred_fields()


def test_an_entrepreneur_without_an_organisation_is_listed_by_name(pokrovsk):
    """A ФОП's name is their business's name (holder_name), never a natural person's."""
    sole = application_in(State.UNDER_REVIEW, pokrovsk, **{**BUSINESS, "organisation_name": "",
                          "applicant_name": "ФОП Коваль Ірина Петрівна", "edrpou": ""})  # fmt: skip
    assert Entry.of(registered().get(pk=sole.pk)).holder == "ФОП Коваль Ірина Петрівна"


def test_the_page_filters_by_hromada_kind_and_state(client: Client, register: Register, pokrov):
    elsewhere = application_in(State.REFUSED, pokrov, **BUSINESS, site=Point(34.1149, 47.6547),
                               refusal_reason=RefusalReason.SITE_TAKEN)  # fmt: skip
    everything = client.get("/en/permits/register/").content.decode()
    for application in (register.person, register.business, register.granted, elsewhere):
        assert application.number in everything
    assert "A natural person" in everything and "23456789" in everything
    assert "The site is taken by another structure or permit" in everything

    def listed(query: str) -> set[str]:
        page = client.get(f"/en/permits/register/?{query}").content.decode()
        return {a.number for a in (register.person, register.business, register.granted,
                                   elsewhere) if f">{a.number}<" in page}  # fmt: skip

    assert listed("municipality=pokrov") == {elsewhere.number}
    assert listed("kind=advertising&municipality=pokrovsk") == {register.business.number}
    assert listed("state=granted") == {register.granted.number}
    assert listed("state=under_review&kind=maf") == {register.person.number}
    # A state that is never public, or a hromada that does not exist: said, and all shown.
    refused = client.get("/en/permits/register/?state=submitted").content.decode()
    assert "Choose a value from the list." in refused and register.person.number in refused
    assert "submitted" not in refused.split("<main", 1)[1].replace('value="submitted"', "")


def test_the_page_goes_by_pages_in_both_languages(client: Client, pokrovsk):
    for n in range(27):
        application_in(State.UNDER_REVIEW, pokrovsk, site=footprint(10 * n))
    first = client.get("/permits/register/").content.decode()
    assert "Реєстр заяв на дозволи" in first and "27 заяв" in first
    assert 'rel="next"' in first and "Сторінка 1 з 2" in first
    second = client.get("/en/permits/register/?page=2").content.decode()
    assert "Register of permit applications" in second and "Page 2 of 2" in second
    assert second.count('<th scope="row">') == 2


def test_the_csv_download_has_the_public_columns(client: Client, register: Register):
    raw = body(client.get("/api/v1/permits/export.csv?municipality=pokrovsk")).decode()
    rows = list(csv.DictReader(io.StringIO(raw.removeprefix(BOM))))
    by_number = {row["number"]: row for row in rows}
    assert set(by_number) == {register.person.number, register.business.number,
                              register.granted.number}  # fmt: skip
    person, business = by_number[register.person.number], by_number[register.business.number]
    assert (person["holder"], person["holder_kind"], person["holder_code"]) == ("", "person", "")
    assert (business["holder"], business["holder_code"]) == ("ТОВ «Реклама Схід»", "23456789")
    assert business["WKT"].startswith("POINT") and person["WKT"].startswith("POLYGON")
    assert person["registered_on"] == "2026-03-02" and person["state"] == "under_review"
    granted = by_number[register.granted.number]
    assert granted["permit_number"] == register.granted.permit_number
    assert granted["valid_to"] == str(register.granted.valid_to)


def test_an_organisation_named_like_a_formula_stays_text_in_the_csv(client: Client, pokrovsk):
    application_in(State.UNDER_REVIEW, pokrovsk, organisation_name='=HYPERLINK("http://evil","x")')
    raw = body(client.get("/api/v1/permits/export.csv")).decode("utf-8").removeprefix(BOM)
    cells = [c for row in csv.reader(io.StringIO(raw)) for c in row]
    assert '\'=HYPERLINK("http://evil","x")' in cells
    assert not [c for c in cells if c.startswith("=")]


def test_the_downloads_open_in_gdal(client: Client, register: Register, exports: Path):
    assert build(Download(DATASET), force=True)
    frame = pyogrio.read_dataframe(Download(DATASET).path("gpkg"))
    assert sorted(frame["number"]) == sorted([register.person.number, register.business.number,
                                              register.granted.number])  # fmt: skip
    geojson = json.loads(body(client.get("/api/v1/permits/export.geojson")))
    assert geojson["type"] == "FeatureCollection" and len(geojson["features"]) == 3
    assert {f["geometry"]["type"] for f in geojson["features"]} == {"Point", "Polygon"}
    listed = client.get("/open-data/catalog.json").json()
    permits = next(d for d in listed["dataset"] if d["identifier"] == "pokrovsk-permits")
    assert permits["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert [d["format"] for d in permits["distribution"]] == [
        "GeoJSON", "CSV", "GeoPackage", "OGC API - Features"]  # fmt: skip
    assert permits["distribution"][-1]["accessURL"].endswith("/ogc/collections/permit-applications")
    assert "/permits/register/?municipality=pokrovsk" in permits["landingPage"]
    assert "/api/v1/permits/export.csv?municipality=pokrovsk" in permits["distribution"][1][
        "downloadURL"]  # fmt: skip


def test_the_ogc_collection_is_listed_and_its_items_are_geojson(client: Client, register):
    listed = client.get("/ogc/collections").json()
    assert "permit-applications" in [c["id"] for c in listed["collections"]]
    items = client.get("/ogc/collections/permit-applications/items")
    assert items["Content-Type"] == "application/geo+json"
    collection = json.loads(body(items))
    assert collection["type"] == "FeatureCollection" and collection["numberMatched"] == 3
    for feature in collection["features"]:
        assert feature["type"] == "Feature" and isinstance(feature["id"], int)
        assert feature["geometry"]["type"] in ("Point", "Polygon")
        assert {"number", "kind", "state", "holder", "holder_kind"} <= set(feature["properties"])
    # bbox: only the advertising site, 200 m east of the others' footprints.
    x, y = near(200).coords
    box = f"{x - 0.0002},{y - 0.0002},{x + 0.0002},{y + 0.0002}"
    boxed = json.loads(body(client.get(f"/ogc/collections/permit-applications/items?bbox={box}")))
    assert [f["id"] for f in boxed["features"]] == [register.business.pk]
    one = client.get(f"/ogc/collections/permit-applications/items/{register.business.pk}").json()
    assert one["properties"]["holder"] == "ТОВ «Реклама Схід»"
    missing = client.get(f"/ogc/collections/permit-applications/items/{register.submitted.pk}")
    assert missing.status_code == 404
    since = "datetime=2026-03-03T00:00:00Z/.."
    later = client.get(f"/ogc/collections/permit-applications/items?{since}")
    assert json.loads(body(later))["numberMatched"] == 1  # the granted one, registered today
    refused = client.post("/ogc/collections/permit-applications/items", "{}",
                          content_type="application/geo+json")  # fmt: skip
    assert refused.status_code == 405


def test_the_under_review_layer_holds_only_applications_under_review(
    client: Client, register: Register, pokrov
):
    answer = client.get("/permits/under-review.geojson", HTTP_ACCEPT_LANGUAGE="en")
    assert answer["Content-Type"] == "application/geo+json"
    features = answer.json()["features"]
    assert {f["id"] for f in features} == {register.person.pk, register.business.pk}
    person = next(f for f in features if f["id"] == register.person.pk)["properties"]
    assert (person["number"], person["kind"], person["address"]) == (
        register.person.number, "maf", "вул. Миру, 5")  # fmt: skip
    assert (person["holder"], person["holder_label"]) == ("", "A natural person")
    assert person["kind_label"] == "Temporary structure (МАФ) placement passport"
    assert client.get("/permits/under-review.geojson?municipality=pokrov").json()["features"] == []
    assert client.get("/permits/under-review.geojson?municipality=nowhere").status_code == 404
    bad = client.get("/permits/under-review.geojson?bbox=37,48,36")
    assert bad.status_code == 400 and b"bbox" in bad.content
    x, y = near(200).coords
    box = f"{x - 0.0002},{y - 0.0002},{x + 0.0002},{y + 0.0002}"
    boxed = client.get(f"/permits/under-review.geojson?bbox={box}").json()["features"]
    assert [f["id"] for f in boxed] == [register.business.pk]


def test_the_map_offers_the_layer_with_its_legend(client: Client, register: Register):
    page = client.get("/en/").content.decode()
    assert 'value="permits"' in page and "Applications under review" in page
    assert 'data-permits-url="/permits/under-review.geojson"' in page
    assert 'id="permit-labels"' in page and "A natural person" in page
    assert "/en/permits/register/?municipality=pokrovsk" in page
