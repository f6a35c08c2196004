"""The rules around OGC API writes: what OPTIONS tells each person, CSRF for the session but
not for a token, features sent in another CRS, what a replacement keeps, HEAD and ETags of
reads, the read-only reports, expired tokens, and which hromada a new feature joins."""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal

import pyproj
import pytest
from django.test import Client

from geoportal.accounts import tokens
from layers.models import LandPlot, TemporaryStructure
from tests.layers.conftest import CENTRE, square
from tests.ogc.editors import (
    GEOJSON,
    ITEMS,
    MERGE_PATCH,
    POKROV_CENTRE,
    body,
    kiosk_feature,
    plot_feature,
    token_of,
)

MAF = ITEMS.format(collection="maf")
READ = "GET, HEAD, OPTIONS"
EDIT_ITEM = "GET, HEAD, OPTIONS, PUT, PATCH, DELETE"


@pytest.mark.parametrize(
    ("role", "items", "item"),
    [
        ("anonymous", READ, READ),
        ("resident", READ, READ),
        ("moderator", READ, READ),
        ("coordinator", READ, READ),
        ("planner", f"{READ}, POST", EDIT_ITEM),
        ("admin_user", f"{READ}, POST", EDIT_ITEM),
    ],
)
def test_options_tell_each_person_what_they_may_do(request, client, kiosk, role, items, item):
    headers = {} if role == "anonymous" else token_of(request.getfixturevalue(role))
    assert client.options(MAF, **headers)["Allow"] == items
    assert client.options(f"{MAF}/{kiosk.pk}", **headers)["Allow"] == item
    # The reports are read-only for everyone.
    assert client.options(ITEMS.format(collection="reports"), **headers)["Allow"] == READ


def test_the_reports_stay_read_only(client, admin_user):
    auth = token_of(admin_user)
    reports = ITEMS.format(collection="reports")
    for method, path in (("post", reports), ("put", f"{reports}/1"), ("patch", f"{reports}/1"),
                         ("delete", f"{reports}/1")):  # fmt: skip
        answer = getattr(client, method)(path, "{}", content_type=GEOJSON, **auth)
        assert answer.status_code == 405, method
        assert answer["Allow"] == READ
    assert client.put(MAF, "{}", content_type=GEOJSON, **auth).status_code == 405


def test_a_session_write_needs_the_csrf_token_and_a_token_write_does_not(planner):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(planner)
    refused = browser.post(MAF, body(kiosk_feature()), content_type=GEOJSON)
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["description"]
    assert not TemporaryStructure.objects.exists()
    browser.get("/en/")  # the page sets the CSRF cookie, as the site's pages do
    secret = browser.cookies["csrftoken"].value
    signed = browser.post(MAF, body(kiosk_feature()), content_type=GEOJSON, HTTP_X_CSRFTOKEN=secret)
    assert signed.status_code == 201, signed.content
    desktop = Client(enforce_csrf_checks=True)  # QGIS: no cookie, no CSRF token
    made = desktop.post(MAF, body(kiosk_feature(passport_number="МАФ-2026-501")),
                        content_type=GEOJSON, **token_of(planner))  # fmt: skip
    assert made.status_code == 201
    assert TemporaryStructure.objects.count() == 2


@pytest.mark.parametrize("code", [6386, 5565, 4326, 3857])
def test_a_feature_sent_in_another_crs_is_stored_where_it_stands(client, planner, code):
    """Coordinates in the CRS's own axis order (northing first for UCS-2000 and EPSG:4326)."""
    lon, lat = CENTRE[0] + 0.001, CENTRE[1] + 0.001
    there = pyproj.Transformer.from_crs("EPSG:4326", f"EPSG:{code}")  # authority axis order
    first, second = there.transform(lat, lon)
    sent = kiosk_feature()
    sent["geometry"]["coordinates"] = [first, second]
    uri = f"http://www.opengis.net/def/crs/EPSG/0/{code}"
    answer = client.post(MAF, body(sent), content_type=GEOJSON, HTTP_CONTENT_CRS=f"<{uri}>",
                         **token_of(planner))  # fmt: skip
    assert answer.status_code == 201, answer.content
    stored = TemporaryStructure.objects.get().geometry
    assert stored.srid == 4326
    assert abs(stored.x - lon) < 1e-7 and abs(stored.y - lat) < 1e-7, (stored.x, stored.y)


def test_a_replacement_keeps_what_the_api_does_not_show(client, planner, pokrovsk):
    """A plot's user and a person's tax number are not shown; sending back what was shown
    keeps them, while a shown property left out is emptied."""
    plot = LandPlot.objects.create(
        municipality=pokrovsk, geometry=square(*CENTRE), cadastral_number="1412600000:01:001:0007",
        purpose_code="02.01", area_ha=Decimal("0.5"), user_name="Петренко Іван",
        lease_until="2030-01-01",
    )  # fmt: skip
    shown = client.get(f"{ITEMS.format(collection='land')}/{plot.pk}").json()
    assert "user_name" not in shown["properties"]
    shown["properties"].pop("lease_until")
    answer = client.put(f"{ITEMS.format(collection='land')}/{plot.pk}", body(shown),
                        content_type=GEOJSON, **token_of(planner))  # fmt: skip
    assert answer.status_code == 204, answer.content
    plot.refresh_from_db()
    assert (plot.user_name, plot.lease_until) == ("Петренко Іван", None)
    kiosk = TemporaryStructure.objects.create(
        municipality=pokrovsk, geometry=f"POINT({CENTRE[0]} {CENTRE[1]})",
        passport_number="МАФ-9", owner_code="1234567890",
    )  # fmt: skip
    read = client.get(f"{MAF}/{kiosk.pk}").json()
    assert read["properties"]["owner_code"] == ""
    read["properties"]["address"] = "вул. Нова"
    assert client.put(f"{MAF}/{kiosk.pk}", body(read), content_type=GEOJSON,
                      **token_of(planner)).status_code == 204  # fmt: skip
    kiosk.refresh_from_db()
    assert (kiosk.owner_code, kiosk.address) == ("1234567890", "вул. Нова")


def test_a_polygon_joins_a_multipolygon_layer_and_heights_are_dropped(client, planner):
    feature = plot_feature()
    rings = feature["geometry"]["coordinates"]
    feature["geometry"]["coordinates"] = [[[*xy, 140.5] for xy in ring] for ring in rings]
    answer = client.post(ITEMS.format(collection="land"), body(feature), content_type=GEOJSON,
                         **token_of(planner))  # fmt: skip
    assert answer.status_code == 201, answer.content
    stored = LandPlot.objects.get().geometry
    assert (stored.geom_type, stored.hasz) == ("MultiPolygon", False)


def test_head_and_conditional_reads_of_an_item(client, kiosk):
    got = client.get(f"{MAF}/{kiosk.pk}")
    head = client.head(f"{MAF}/{kiosk.pk}")
    assert (head.status_code, head.content, head["ETag"]) == (200, b"", got["ETag"])
    assert head["Content-Type"] == GEOJSON
    items = client.head(MAF)
    assert (items.status_code, items.content) == (200, b"")
    unchanged = client.get(f"{MAF}/{kiosk.pk}", HTTP_IF_NONE_MATCH=got["ETag"])
    assert unchanged.status_code == 304
    kiosk.address = "інша"
    kiosk.save()
    assert client.get(f"{MAF}/{kiosk.pk}", HTTP_IF_NONE_MATCH=got["ETag"]).status_code == 200


def test_an_expired_token_is_refused(client, planner, settings):
    token = tokens.issue(planner)
    token.created -= timedelta(days=settings.API_TOKEN_DAYS + 1)
    token.save()
    answer = client.post(MAF, body(kiosk_feature()), content_type=GEOJSON,
                         HTTP_AUTHORIZATION=f"Token {token.key}",
                         HTTP_ACCEPT_LANGUAGE="en")  # fmt: skip
    assert answer.status_code == 401
    assert "expired" in answer.json()["description"]


def test_which_hromada_a_new_feature_joins(client, planner, admin_user, pokrov):
    # The superuser works for every hromada: the one holding the geometry.
    made = client.post(MAF, body(kiosk_feature(*POKROV_CENTRE)), content_type=GEOJSON,
                       **token_of(admin_user))  # fmt: skip
    assert made.status_code == 201
    assert TemporaryStructure.objects.get().municipality == pokrov
    # A planner naming another hromada is refused; a hromada that does not exist is named.
    auth = token_of(planner)
    named = client.post(MAF, body(kiosk_feature(municipality="pokrov")), content_type=GEOJSON,
                        **auth)  # fmt: skip
    assert named.status_code == 403
    unknown = client.post(MAF, body(kiosk_feature(municipality="atlantis")),
                          content_type=GEOJSON, **auth)  # fmt: skip
    assert unknown.status_code == 422
    assert "municipality" in unknown.json()["errors"]
    # Moving their own feature into another hromada is writing into it: refused too.
    own = client.post(MAF, body(kiosk_feature(municipality="pokrovsk")), content_type=GEOJSON,
                      **auth)  # fmt: skip
    assert own.status_code == 201
    moved = {"geometry": {"type": "Point", "coordinates": list(POKROV_CENTRE)}}
    answer = client.patch(own["Location"], json.dumps(moved), content_type=MERGE_PATCH, **auth)
    assert answer.status_code == 403


def test_the_openapi_document_describes_the_writes(client):
    from openapi_spec_validator import validate

    document = client.get("/ogc/api").json()
    validate(document)
    items = document["paths"]["/collections/{collectionId}/items"]
    item = document["paths"]["/collections/{collectionId}/items/{featureId}"]
    assert {"get", "post", "options"} <= set(items)
    assert {"get", "put", "patch", "delete", "options"} <= set(item)
    assert "application/merge-patch+json" in item["patch"]["requestBody"]["content"]
    assert {"412", "422", "401"} <= set(item["put"]["responses"])
    assert document["components"]["securitySchemes"]["basic"]["scheme"] == "basic"
