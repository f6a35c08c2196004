"""BASEMAP: checked at start-up, and handed to every page's base map."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from geoportal.basemap.checks import check_basemap
from geoportal.municipalities.models import Municipality


@pytest.mark.parametrize(
    ("value", "fine"),
    [
        (["own"], True),
        (["raster"], True),
        (["own", "raster"], True),
        (["raster", "own"], True),
        ([], False),
        (["osm"], False),
        (["own", "own"], False),
    ],
)
def test_basemap_setting_is_checked(settings: Any, value: list[str], fine: bool) -> None:
    settings.BASEMAP = value
    errors = check_basemap(None)
    assert (errors == []) is fine
    if not fine:
        assert errors[0].id == "basemap.E001"


@pytest.mark.django_db
def test_pages_carry_the_base_map_setting(
    client: Client, settings: Any, melun_town: Municipality
) -> None:
    settings.BASEMAP = ["own", "raster"]
    settings.DEFAULT_MUNICIPALITY = melun_town.slug
    html = client.get("/en/").content.decode()
    assert 'id="basemap-config"' in html
    assert 'data-sources="own,raster"' in html
    assert 'data-own-url="/tiles/base/{z}/{x}/{y}.mvt"' in html
    assert "basemap/basemap.js" in html
    assert "Leaflet.VectorGrid.bundled.min.js" in html
