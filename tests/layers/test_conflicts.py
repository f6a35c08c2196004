"""The conflict report: each kind found once, a clean structure not reported."""

from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
from django.contrib.gis.geos import Point
from django.core.management import call_command

from layers.conflicts import ConflictKind, find_conflicts
from layers.models import AdvertisingStructure, StructureStatus, TemporaryStructure
from tests.layers.conftest import CENTRE

TODAY = date(2026, 11, 23)


def kinds(conflicts, key: str) -> set[str]:
    return {c.kind.value for c in conflicts if c.key == key}


@pytest.fixture
def scene(pokrovsk, trade_plot, housing_zone, kiosk, billboard):
    """The kiosk stands on a trade plot in a zone allowing МАФ, with a valid passport: clean.
    The billboard's permit expired, it stands on no plot, in a zone without advertising."""
    near = Point(billboard.geometry.x + 0.0002, billboard.geometry.y, srid=4326)  # ~15 m
    AdvertisingStructure.objects.create(
        municipality=pokrovsk, geometry=near, permit_number="Р-сусід",
        permit_valid_to=date(2027, 6, 1), status=StructureStatus.ACTIVE,
    )  # fmt: skip
    TemporaryStructure.objects.create(
        municipality=pokrovsk,
        geometry=Point(CENTRE[0] + 0.05, CENTRE[1], srid=4326),
        status=StructureStatus.UNAUTHORISED,
        address="пустир за ринком",
    )


def test_each_kind_of_conflict(scene, trade_plot):
    conflicts = find_conflicts(today=TODAY)
    assert kinds(conflicts, "МАФ-2026-001") == set()  # the clean kiosk
    assert kinds(conflicts, "Р-2025-017") == {
        ConflictKind.EXPIRED_PERMIT, ConflictKind.NO_PLOT, ConflictKind.ZONE_FORBIDS,
        ConflictKind.TOO_CLOSE,
    }  # fmt: skip
    assert kinds(conflicts, "") == {ConflictKind.UNAUTHORISED, ConflictKind.NO_PLOT}
    # A pair is reported once, on the first of the two.
    close = [c for c in conflicts if c.kind == ConflictKind.TOO_CLOSE]
    assert len(close) == 1 and "m from Р-сусід" in close[0].detail


def test_plot_for_housing_is_the_wrong_purpose(scene, trade_plot):
    trade_plot.purpose_code = "02.01"
    trade_plot.save()
    assert kinds(find_conflicts(today=TODAY), "МАФ-2026-001") == {ConflictKind.WRONG_PURPOSE}


def test_spacing_is_configurable_in_metres(scene):
    assert not [c for c in find_conflicts(min_spacing_m=10, today=TODAY) if c.kind == "too_close"]


def test_command_text_and_csv(scene):
    out = StringIO()
    call_command("conflict_report", "--municipality", "pokrovsk", stdout=out)
    text = out.getvalue()
    assert "advertising Р-2025-017, просп. Шевченка, 5: Строк дозволу сплив" in text
    assert "conflicts." in text.splitlines()[-1]
    csv_out = StringIO()
    call_command("conflict_report", "--format", "csv", stdout=csv_out)
    lines = csv_out.getvalue().splitlines()
    # The land checks' columns come after the six of the structures (tests/layers/
    # test_land_quality.py reads them).
    assert lines[0] == (
        '"layer","id","key","address","conflict","detail","quarter","other_key","area_m2",'
        '"registered_ha","measured_ha"'
    )
    assert any(line.startswith('"advertising",') and ',"too_close",' in line for line in lines)


def test_admin_page_for_planners_only(client, scene, planner, resident):
    client.force_login(planner)
    page = client.get("/admin/layers/layerpassport/conflicts/", {"municipality": "pokrovsk"})
    assert page.status_code == 200
    assert "Р-2025-017" in page.content.decode()
    download = client.get("/admin/layers/layerpassport/conflicts/", {"format": "csv"})
    assert download["Content-Type"] == "text/csv; charset=utf-8"
    client.force_login(resident)
    assert client.get("/admin/layers/layerpassport/conflicts/").status_code == 302
