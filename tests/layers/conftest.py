"""Small layer features inside the Pokrovsk demo boundary for the layer tests."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.gis.geos import MultiPolygon, Point, Polygon

from geoportal.municipalities.models import Municipality
from layers.models import AdvertisingStructure, LandPlot, TemporaryStructure, ZoningZone

CENTRE = (37.1772, 48.2771)  # Pokrovsk, DOMAIN.md


def square(lon: float, lat: float, half: float = 0.0005) -> MultiPolygon:
    """A square about 75 m × 110 m around the point."""
    return MultiPolygon(
        Polygon.from_bbox((lon - half, lat - half, lon + half, lat + half)), srid=4326
    )


@pytest.fixture
def trade_plot(pokrovsk: Municipality) -> LandPlot:
    return LandPlot.objects.create(
        municipality=pokrovsk,
        geometry=square(*CENTRE),
        cadastral_number="1412600000:01:001:0001",
        purpose_code="03.07",
        ownership=LandPlot.Ownership.COMMUNAL,
        area_ha=Decimal("0.8250"),
        investor_status=LandPlot.InvestorStatus.FREE,
    )


@pytest.fixture
def kiosk(pokrovsk: Municipality) -> TemporaryStructure:
    return TemporaryStructure.objects.create(
        municipality=pokrovsk,
        geometry=Point(*CENTRE, srid=4326),
        passport_number="МАФ-2026-001",
        permit_valid_from=date(2026, 1, 10),
        permit_valid_to=date(2027, 1, 10),
        kind=TemporaryStructure.Kind.KIOSK,
        address="вул. Центральна, 1",
    )


@pytest.fixture
def billboard(pokrovsk: Municipality) -> AdvertisingStructure:
    return AdvertisingStructure.objects.create(
        municipality=pokrovsk,
        geometry=Point(CENTRE[0] + 0.001, CENTRE[1], srid=4326),
        permit_number="Р-2025-017",
        permit_valid_from=date(2025, 3, 1),
        permit_valid_to=date(2026, 3, 1),
        address="просп. Шевченка, 5",
    )


@pytest.fixture
def housing_zone(pokrovsk: Municipality) -> ZoningZone:
    return ZoningZone.objects.create(
        municipality=pokrovsk,
        geometry=square(*CENTRE, half=0.01),
        code="Ж-1",
        name="Зона садибної житлової забудови",
        allows_advertising=False,
    )


def importer() -> str:
    """The user name import_layer's --user names in tests: a superuser, who may import into
    any hromada (the Kozelshchyna plots' too), made on first use."""
    from geoportal.accounts.models import User

    User.objects.get_or_create(
        username="importer", defaults={"is_superuser": True, "is_staff": True}
    )
    return "importer"
