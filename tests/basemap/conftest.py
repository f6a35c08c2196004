"""A test hromada of two parts where the test extract's real OSM data lies: Melun and the
Grenoble university campus beside the Isère (France)."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.contrib.gis.geos import MultiPolygon, Point, Polygon
from django.core.management import call_command
from django.utils import translation

from geoportal.municipalities.models import Municipality
from tests.cast import TEST_DATA

EXTRACT = TEST_DATA / "osm" / "melun.osm.pbf"
# Both boxes cut through the extract's features (Melun's streets, the Isère), so clipping
# is exercised; the extract's other towns (Neuilly-sur-Seine, Créteil...) lie outside.
MELUN_BOX = (2.62, 48.50, 2.70, 48.56)
CAMPUS_BOX = (5.760, 45.190, 5.770, 45.1965)


@pytest.fixture
def melun(db: None) -> Municipality:
    return Municipality.objects.create(
        slug="melun-test",
        name_uk="Мелен (тест)",
        name_en="Melun (test)",
        oblast_uk="Сена і Марна",
        katotth="UA00000000000000077",
        centre=Point(2.66, 48.53, srid=4326),
        boundary=MultiPolygon(
            Polygon.from_bbox(MELUN_BOX), Polygon.from_bbox(CAMPUS_BOX), srid=4326
        ),
    )


@pytest.fixture
def melun_town(db: None) -> Municipality:
    """Melun alone: a map fitted to it opens at a zoom the base tiles draw."""
    return Municipality.objects.create(
        slug="melun-town",
        name_uk="Мелен",
        name_en="Melun",
        oblast_uk="Сена і Марна",
        katotth="UA00000000000000078",
        centre=Point(2.66, 48.53, srid=4326),
        boundary=MultiPolygon(Polygon.from_bbox(MELUN_BOX), srid=4326),
    )


def import_basemap(*args: str | Path) -> str:
    out = StringIO()
    with translation.override("en"):
        call_command("import_basemap", *map(str, args), stdout=out)
    return out.getvalue()
