"""A real third-party client of OGC API – Features Part 4, OWSLib (owslib.ogcapi.features),
edits a layer on the live server with a planner's API token as its Basic password: it
creates, replaces, updates and deletes a feature, and the feature's history shows each
change with the planner and the reason "OGC API". OWSLib has no PATCH; its update is a PUT.
"""

from __future__ import annotations

import pytest
from owslib.ogcapi.features import Features
from owslib.util import Authentication

from geoportal.accounts import tokens
from layers.models import TemporaryStructure
from tests.cast import PASSWORD
from tests.ogc.editors import kiosk_feature


@pytest.mark.django_db(transaction=True)
def test_owslib_creates_replaces_updates_and_deletes_a_feature(live_server, planner):
    key = tokens.issue(planner).key
    api = Features(f"{live_server.url}/ogc", auth=Authentication(planner.username, key))
    assert "maf" in api.feature_collections()

    assert api.collection_item_create("maf", kiosk_feature()) is True
    location = api.response_headers["Location"]
    feature_id = location.rsplit("/items/", 1)[1]
    assert api.collection_item("maf", feature_id)["properties"]["passport_number"] == "МАФ-2026-500"

    replaced = kiosk_feature(address="вул. Замінена, 1", kind="pavilion", area_m2=20)
    assert api.collection_item_update("maf", feature_id, replaced) is True
    read = api.collection_item("maf", feature_id)["properties"]
    assert (read["address"], read["kind"], read["area_m2"]) == ("вул. Замінена, 1", "pavilion", 20)

    updated = kiosk_feature(address="вул. Замінена, 1", kind="pavilion", area_m2=20,
                            status="cancelled", cancellation_decision="Рішення № 12")  # fmt: skip
    assert api.collection_item_update("maf", feature_id, updated) is True
    assert api.collection_item("maf", feature_id)["properties"]["status"] == "cancelled"

    assert api.collection_item_delete("maf", feature_id) is True
    assert not TemporaryStructure.objects.filter(pk=feature_id).exists()
    history = TemporaryStructure.history.filter(id=feature_id).order_by("history_date")
    assert [(h.history_type, h.history_user, h.history_change_reason) for h in history] == [
        ("+", planner, "OGC API"), ("~", planner, "OGC API"), ("~", planner, "OGC API"),
        ("-", planner, "OGC API"),
    ]  # fmt: skip
    assert [h.address for h in history] == ["вул. Центральна, 12", *["вул. Замінена, 1"] * 3]

    # The account's password in place of the token: OWSLib's request fails, nothing written.
    wrong = Features(f"{live_server.url}/ogc", auth=Authentication(planner.username, PASSWORD))
    with pytest.raises(RuntimeError, match="token"):
        wrong.collection_item_create("maf", kiosk_feature())
    assert not TemporaryStructure.objects.exists()
