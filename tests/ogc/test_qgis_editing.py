"""QGIS's own sequence of requests when a planner edits an OGC API – Features layer (its OAPIF
provider, QGIS 3.32 and later): OPTIONS on the items and on an item to learn what it may do,
POST of a new feature and GET of its Location, PATCH of one attribute, PUT, DELETE; every
status and header QGIS reads, the 412 of a stale If-Match, and the refusals of a planner of
another hromada, of a wrong token and of the account's password."""

from __future__ import annotations

import json
from typing import Any

from geoportal.accounts import tokens
from layers.models import TemporaryStructure
from tests.cast import PASSWORD
from tests.layers.conftest import CENTRE
from tests.ogc.editors import (
    GEOJSON,
    ITEMS,
    MERGE_PATCH,
    POKROV_CENTRE,
    basic,
    body,
    kiosk_feature,
    token_of,
)

MAF = ITEMS.format(collection="maf")


def allow(response: Any) -> list[str]:
    return [method.strip() for method in response["Allow"].split(",")]


def test_qgis_edits_a_feature_from_start_to_end(client, planner, kiosk):
    auth = token_of(planner)
    # 1. Capabilities: QGIS adds features when the items allow POST, changes them when an
    # item allows PUT (PATCH for a single attribute), deletes them when it allows DELETE.
    items = client.options(MAF, **auth)
    assert items.status_code == 200
    assert allow(items) == ["GET", "HEAD", "OPTIONS", "POST"]
    one = client.options(f"{MAF}/{kiosk.pk}", **auth)
    assert allow(one) == ["GET", "HEAD", "OPTIONS", "PUT", "PATCH", "DELETE"]
    assert one["Accept-Patch"] == MERGE_PATCH
    # QGIS asks about a made-up id when the layer has no feature yet: the same answer.
    assert allow(client.options(f"{MAF}/unknown_id", **auth)) == allow(one)

    # 2. A new feature: 201, its address in Location (QGIS takes the id after /items/).
    created = client.post(MAF, body(kiosk_feature()), content_type=GEOJSON, **auth)
    assert created.status_code == 201, created.content
    location = created["Location"]
    assert location.startswith("http://testserver/ogc/collections/maf/items/")
    new_id = location.rsplit("/items/", 1)[1]
    assert created["ETag"].startswith('"')
    stored = TemporaryStructure.objects.get(pk=new_id)
    assert (stored.passport_number, stored.municipality_id) == (
        "МАФ-2026-500",
        planner.municipality_id,
    )

    # 3. QGIS reads the new feature back.
    read = client.get(location.removeprefix("http://testserver"))
    assert read.status_code == 200
    assert read["Content-Type"] == GEOJSON
    assert read["ETag"] == created["ETag"]
    assert read.json()["properties"]["address"] == "вул. Центральна, 12"

    # 4. One attribute changed: QGIS sends a merge patch of that property alone.
    change = json.dumps({"properties": {"address": "вул. Нова, 3"}})
    patched = client.patch(f"{MAF}/{new_id}", change, content_type=MERGE_PATCH,
                           HTTP_IF_MATCH=read["ETag"], **auth)  # fmt: skip
    assert patched.status_code == 204, patched.content
    assert patched["ETag"] != read["ETag"]
    stored.refresh_from_db()
    assert (stored.address, stored.kind, stored.owner_name) == ("вул. Нова, 3", "kiosk", "ТОВ Кава")

    # 5. Someone saving the version read before the patch is refused, and nothing changes.
    stale = client.put(f"{MAF}/{new_id}", body(kiosk_feature(address="вул. Стара")),
                       content_type=GEOJSON, HTTP_IF_MATCH=read["ETag"], **auth)  # fmt: skip
    assert stale.status_code == 412
    assert stale.json()["code"] == "PreconditionFailed"
    stored.refresh_from_db()
    assert stored.address == "вул. Нова, 3"

    # 6. A whole replacement with the current version (the geometry moved too).
    moved = kiosk_feature(CENTRE[0] + 0.002, CENTRE[1], address="вул. Стара", kind="pavilion")
    replaced = client.put(f"{MAF}/{new_id}", body(moved), content_type=GEOJSON,
                          HTTP_IF_MATCH=patched["ETag"], **auth)  # fmt: skip
    assert replaced.status_code == 204, replaced.content
    stored.refresh_from_db()
    assert (stored.address, stored.kind) == ("вул. Стара", "pavilion")
    assert abs(stored.geometry.x - (CENTRE[0] + 0.002)) < 1e-9
    assert client.get(f"{MAF}/{new_id}")["ETag"] == replaced["ETag"]

    # 7. Deleted with a stale version: 412; with the current one: 204, then it is gone.
    assert client.delete(f"{MAF}/{new_id}", HTTP_IF_MATCH=read["ETag"], **auth).status_code == 412
    deleted = client.delete(f"{MAF}/{new_id}", HTTP_IF_MATCH=replaced["ETag"], **auth)
    assert deleted.status_code == 204
    assert client.get(f"{MAF}/{new_id}").status_code == 404
    assert not TemporaryStructure.objects.filter(pk=new_id).exists()

    # Every change is in the feature's history with the planner and "OGC API".
    history = TemporaryStructure.history.filter(id=new_id).order_by("history_date")
    assert [(h.history_type, h.history_user, h.history_change_reason) for h in history] == [
        ("+", planner, "OGC API"), ("~", planner, "OGC API"), ("~", planner, "OGC API"),
        ("-", planner, "OGC API"),
    ]  # fmt: skip


def test_a_write_without_if_match_is_carried_out(client, planner, kiosk):
    """QGIS sends no If-Match: its saves go through (the last one wins, as documented)."""
    answer = client.patch(f"{MAF}/{kiosk.pk}", json.dumps({"properties": {"status": "expired"}}),
                          content_type=MERGE_PATCH, **token_of(planner))  # fmt: skip
    assert answer.status_code == 204
    kiosk.refresh_from_db()
    assert kiosk.status == "expired"


def test_a_planner_of_another_hromada_is_refused(client, pokrov_planner, kiosk):
    auth = token_of(pokrov_planner)
    # They edit their own layer, so the collection allows them to write...
    assert "POST" in allow(client.options(MAF, **auth))
    # ...but Pokrovsk's feature does not exist for their writes,
    for method in ("put", "patch", "delete"):
        answer = getattr(client, method)(f"{MAF}/{kiosk.pk}", body(kiosk_feature()),
                                         content_type=GEOJSON, **auth)  # fmt: skip
        assert answer.status_code == 404, method
    # and a feature placed in Pokrovsk is not theirs to create.
    into = client.post(MAF, body(kiosk_feature()), content_type=GEOJSON, **auth)
    assert into.status_code == 403
    assert "Покровськ" in into.json()["description"] or "Pokrovsk" in into.json()["description"]
    kiosk.refresh_from_db()
    assert kiosk.address == "вул. Центральна, 1"
    assert TemporaryStructure.objects.count() == 1
    # In their own hromada they create it.
    own = kiosk_feature(*POKROV_CENTRE)
    assert client.post(MAF, body(own), content_type=GEOJSON, **auth).status_code == 201


def test_wrong_credentials_are_refused_with_the_basic_challenge(client, planner, kiosk):
    token = tokens.issue(planner).key
    wrong = [
        basic(planner.username, "0" * 40),  # a token that does not exist
        basic(planner.username, PASSWORD),  # the account's password, not the token
        basic("someone_else", token),  # another person's name with the planner's token
        {"HTTP_AUTHORIZATION": "Token " + "f" * 40},
        {"HTTP_AUTHORIZATION": "Basic not-base64!"},
    ]
    for headers in wrong:
        for method, path in (("options", MAF), ("post", MAF), ("delete", f"{MAF}/{kiosk.pk}")):
            answer = getattr(client, method)(path, body(kiosk_feature()), content_type=GEOJSON,
                                             **headers)  # fmt: skip
            assert answer.status_code == 401, (headers, method)
            assert answer["WWW-Authenticate"] == 'Basic realm="geoportal"'
    assert TemporaryStructure.objects.count() == 1
    # No credentials at all: reading is public, writing asks for them.
    assert client.get(f"{MAF}/{kiosk.pk}").status_code == 200
    anonymous = client.post(MAF, body(kiosk_feature()), content_type=GEOJSON)
    assert anonymous.status_code == 401
    assert anonymous["WWW-Authenticate"] == 'Basic realm="geoportal"'
    # The token alone, as the rest of the API takes it.
    by_token = client.post(MAF, body(kiosk_feature()), content_type=GEOJSON,
                           HTTP_AUTHORIZATION=f"Token {token}")  # fmt: skip
    assert by_token.status_code == 201
