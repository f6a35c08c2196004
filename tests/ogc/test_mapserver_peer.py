"""MapServer 8, the peer that `make bench` measures /ogc/collections/land/items against
(tests/perf/mapserver.py, measure 8), answers the land collection as the platform does:
started the same way, on the test database, it serves the plots of a box with the same
ids and the same properties. Without MapServer this fails, naming the missing package."""

from __future__ import annotations

import json
from typing import Any

import mapbox_vector_tile
import pytest
import requests

from layers.models import LandPlot
from layers.public_fields import PUBLIC_FIELDS
from tests.cast import conninfo
from tests.ogc.test_features import page_of, plots
from tests.perf import mapserver as peer

BOX = "37.1695,48.27,37.1745,48.28"  # the first three plots of the row, as in test_features


def test_the_peer_serves_the_collections_public_fields():
    assert PUBLIC_FIELDS["land"] == peer.LAND_FIELDS
    for field in peer.LAND_FIELDS:
        assert f"p.{field}" in peer.LAND_SQL
    assert not peer.missing(), "MapServer's peer cannot start; missing: " + "; ".join(
        peer.missing()
    )


@pytest.mark.peer
@pytest.mark.django_db(transaction=True)
def test_mapserver_answers_a_box_of_the_land_collection_as_the_platform(client, pokrovsk, pokrov):
    made = plots(pokrovsk, 5)
    pokrov.is_active = False  # the collection leaves out hromadas that are not active
    pokrov.save(update_fields=["is_active"])
    LandPlot.objects.create(municipality=pokrov, geometry=made[0].geometry,
                            cadastral_number="1211600000:01:001:0099")  # fmt: skip
    asked = {"bbox": BOX, "limit": "500", "f": "json"}
    platform = page_of(client.get("/ogc/collections/land/items", asked))
    with peer.mapserver(conninfo(), processes=1) as root:
        answer = requests.get(f"{root}/collections/land/items", params=asked, timeout=30)
        assert answer.status_code == 200, answer.text[:500]
        served: dict[str, Any] = json.loads(answer.content)
    assert served["type"] == "FeatureCollection"
    assert (served["numberMatched"], len(served["features"])) == (3, 3)
    assert [int(f["id"]) for f in served["features"]] == [p.pk for p in made[:3]]
    assert [f["id"] for f in platform["features"]] == [p.pk for p in made[:3]]
    for theirs, ours in zip(served["features"], platform["features"], strict=True):
        assert set(theirs["properties"]) - {"id"} == set(ours["properties"]) - {"id"}
        for name in ("municipality", "cadastral_number", "purpose_code", "ownership",
                     "investor_status", "lease_until", "area_ha"):  # fmt: skip
            assert theirs["properties"][name] == ours["properties"][name], name
        assert theirs["geometry"]["type"] in ("Polygon", "MultiPolygon")


@pytest.mark.peer
@pytest.mark.django_db(transaction=True)
def test_mapserver_draws_the_same_land_tile_as_the_platform(client, pokrovsk):
    """The bench's tile measure compares like with like: MapServer's vector tile of the
    hromada's land has the platform tile's features and attributes."""
    made = plots(pokrovsk, 3)
    z, x, y = 15, 19767, 11353  # the tile over the row of plots
    ours = client.get(f"/tiles/land/{z}/{x}/{y}.mvt", {"municipality": "pokrovsk"})
    assert ours.status_code == 200
    mine = mapbox_vector_tile.decode(ours.content)["land"]["features"]
    with peer.mapserver(conninfo(), processes=1) as root:
        answer = requests.get(peer.tile_url(root, z, x, y), timeout=30)
    assert answer.status_code == 200, answer.text[:500]
    assert answer.headers["Content-Type"].startswith("application/vnd.mapbox-vector-tile")
    theirs = mapbox_vector_tile.decode(answer.content)["land_tiles"]["features"]
    wanted = sorted(p.pk for p in made)
    assert sorted(int(f["properties"]["id"]) for f in mine) == wanted
    assert sorted(int(f["properties"]["id"]) for f in theirs) == wanted
    for feature in theirs:
        properties = feature["properties"]
        assert set(properties) >= {"cadastral_number", "purpose_code", "ownership",
                                   "investor_status", "municipality"}  # fmt: skip
        assert properties["municipality"] == "pokrovsk"
