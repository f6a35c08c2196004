"""What the tests of OGC API writes share: the people's credentials as a desktop client
sends them, and features to send."""

from __future__ import annotations

import base64
import json
from typing import Any

from geoportal.accounts import tokens
from tests.layers.conftest import CENTRE

ITEMS = "/ogc/collections/{collection}/items"
GEOJSON = "application/geo+json"
MERGE_PATCH = "application/merge-patch+json"
POKROV_CENTRE = (34.1149, 47.6547)


def basic(username: str, password: str) -> dict[str, Any]:
    """HTTP Basic as QGIS and OWSLib send it, in the Django test client's header form."""
    pair = base64.b64encode(f"{username}:{password}".encode()).decode()
    return {"HTTP_AUTHORIZATION": f"Basic {pair}"}


def token_of(user: Any) -> dict[str, Any]:
    """Basic with the person's API token as the password."""
    return basic(user.username, tokens.issue(user).key)


def kiosk_feature(lon: float = CENTRE[0] + 0.001, lat: float = CENTRE[1],
                  **properties: Any) -> dict[str, Any]:  # fmt: skip
    """A new МАФ as QGIS posts it: every attribute of the layer, read-only ones null."""
    found = {
        "passport_number": "МАФ-2026-500", "kind": "kiosk", "purpose": "food",
        "area_m2": 6.5, "address": "вул. Центральна, 12", "permit_valid_from": "2026-02-01",
        "permit_valid_to": "2027-02-01", "owner_name": "ТОВ Кава", "owner_code": "12345678",
        "municipality": None, "permit_state": None,
    }  # fmt: skip
    found.update(properties)
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]},
            "properties": found}  # fmt: skip


def square_geometry(lon: float, lat: float, half: float = 0.0005) -> dict[str, Any]:
    ring = [[lon - half, lat - half], [lon + half, lat - half], [lon + half, lat + half],
            [lon - half, lat + half], [lon - half, lat - half]]  # fmt: skip
    return {"type": "Polygon", "coordinates": [ring]}


def plot_feature(**properties: Any) -> dict[str, Any]:
    found = {"cadastral_number": "1412600000:01:003:0042", "purpose_code": "02.01",
             "ownership": "200", "area_ha": 0.25}  # fmt: skip
    found.update(properties)
    return {"type": "Feature", "geometry": square_geometry(CENTRE[0] + 0.004, CENTRE[1]),
            "properties": found}  # fmt: skip


def body(document: Any) -> str:
    return json.dumps(document, ensure_ascii=False)
