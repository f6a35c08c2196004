"""The automatic pre-check (geoportal/permits/precheck.py) against real layers in PostGIS:
one row per situation a planner meets, with the findings and the level it must give."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.gis.geos import MultiPolygon, Point, Polygon
from django.utils import timezone, translation

from geoportal.municipalities.models import Municipality
from geoportal.permits.findings import describe
from geoportal.permits.models import PermitSettings
from geoportal.permits.precheck import run_precheck
from geoportal.permits.states import Kind, State
from layers.models import AdvertisingStructure, LandPlot, TemporaryStructure, ZoningZone
from tests.permits.conftest import CENTRE, application_in, apply, footprint, near

pytestmark = pytest.mark.django_db


def square(centre: Point, half_m: float) -> MultiPolygon:
    dx, dy = half_m / 74_000, half_m / 111_000
    box = (centre.x - dx, centre.y - dy, centre.x + dx, centre.y + dy)
    return MultiPolygon(Polygon.from_bbox(box), srid=4326)


def plot(hromada: Municipality, centre: Point, number: str, purpose: str) -> None:
    LandPlot.objects.create(
        municipality=hromada, geometry=square(centre, 30), cadastral_number=number,
        purpose_code=purpose, area_ha=Decimal("0.36"),
    )  # fmt: skip


@pytest.fixture
def layers(pokrovsk: Municipality) -> Municipality:
    """Plots east of the centre: trade (03.07) at it, housing (02.01) 300 m on, one the
    cadastre left without a code 600 m on; a zone allowing all around them, and a zone
    forbidding МАФ and advertising 1 km west."""
    plot(pokrovsk, CENTRE, "1412600000:01:001:0001", "03.07")
    plot(pokrovsk, near(300), "1412600000:01:001:0002", "02.01")
    plot(pokrovsk, near(600), "1412600000:01:001:0003", "")
    ZoningZone.objects.create(
        municipality=pokrovsk, geometry=square(near(300), 450), code="ГЦ-1", name="Центр",
    )  # fmt: skip
    ZoningZone.objects.create(
        municipality=pokrovsk, geometry=square(near(-1000), 150), code="Р-1",
        name="Парк", allows_temporary_structures=False, allows_advertising=False,
    )  # fmt: skip
    return pokrovsk


def kiosk_at(hromada: Municipality, where: Point, **fields: Any) -> TemporaryStructure:
    number = f"МАФ-2025-{TemporaryStructure.objects.count() + 7:04d}"
    return TemporaryStructure.objects.create(
        municipality=hromada, geometry=where, passport_number=number,
        address="вул. Центральна, 3", **fields,
    )  # fmt: skip


P, W, B = "pass", "warning", "blocker"
CASES: list[tuple[str, str, Any, Any, dict[str, str], str]] = [
    # (case, kind, site, area, {code: level} expected among the findings, overall level)
    ("all passes", Kind.MAF, lambda: footprint(), 12,
     {"inside_hromada": P, "plot_trade": P, "zone_allows": P, "distance_ok": P, "area_ok": P}, P),
    ("a kiosk 12 m away", Kind.MAF, lambda: near(12), 9, {"too_close": W}, W),
    ("on a kiosk", Kind.MAF, lambda: near(0.3), 9, {"overlap": B}, B),
    ("a pavilion of 45 m²", Kind.MAF, lambda: footprint(), 45, {"area_over": B}, B),
    ("a terrace of 45 m²", Kind.TERRACE, lambda: footprint(), 45, {"area_ok": P}, P),
    ("a housing plot", Kind.MAF, lambda: near(300), 9, {"plot_other_purpose": W}, W),
    ("a plot without a code", Kind.MAF, lambda: near(600), 9, {"plot_purpose_unknown": W}, W),
    ("no plot", Kind.MAF, lambda: near(150), 9, {"no_plot": W}, W),
    ("a park forbids МАФ", Kind.MAF, lambda: near(-1000), 9, {"zone_forbids": B}, B),
    ("no zone", Kind.MAF, lambda: near(0, 900), 9, {"no_zone": W}, W),
    ("outside the hromada", Kind.MAF, lambda: Point(30.52, 50.45, srid=4326), 9,
     {"outside_hromada": B}, B),
    ("advertising on a plot", Kind.ADVERTISING, lambda: near(300), None, {"plot_any": P}, P),
    ("a park forbids advertising", Kind.ADVERTISING, lambda: near(-1000), None,
     {"zone_forbids": B}, B),
]  # fmt: skip


@pytest.mark.parametrize(("case", "kind", "site", "area", "expected", "level"), CASES,
                         ids=[c[0] for c in CASES])  # fmt: skip
def test_the_precheck_finds(
    layers: Municipality, case: str, kind: str, site: Any, area: Any,
    expected: dict[str, str], level: str,
) -> None:  # fmt: skip
    if case in {"a kiosk 12 m away", "on a kiosk"}:
        kiosk_at(layers, near(0))
    result = run_precheck(kind, site(), layers, area_m2=area)
    found = {f.code: str(f.level) for f in result.findings}
    assert {code: found.get(code) for code in expected} == expected, found
    assert str(result.level) == level
    for finding in result.findings:  # every finding has its text, with its figures in it
        assert finding.message and "%(" not in finding.message


def test_the_distance_is_measured_and_the_minimum_is_the_hromadas(layers: Municipality) -> None:
    kiosk_at(layers, near(0))
    found = {f.code: f for f in run_precheck(Kind.MAF, near(12), layers, area_m2=9).findings}
    assert 11 <= float(found["too_close"].details["distance"]) <= 13
    assert found["too_close"].details["minimum"] == "20"
    PermitSettings.objects.filter(municipality=layers, kind=Kind.MAF).update(min_distance_m=10)
    found = {f.code: f for f in run_precheck(Kind.MAF, near(12), layers, area_m2=9).findings}
    assert "too_close" not in found and found["distance_ok"].details["minimum"] == "10"


def test_removed_structures_do_not_count(layers: Municipality) -> None:
    kiosk_at(layers, near(0))
    gone = kiosk_at(layers, near(8))
    gone.status = "dismantled"
    gone.save()
    codes = {f.code for f in run_precheck(Kind.MAF, near(14), layers, area_m2=9).findings}
    assert "too_close" in codes  # the standing kiosk, 14 m
    TemporaryStructure.objects.exclude(pk=gone.pk).delete()
    codes = {f.code for f in run_precheck(Kind.MAF, near(14), layers, area_m2=9).findings}
    assert "too_close" not in codes and "distance_ok" in codes


PRIORITY = [
    # (case, the other application's state, its priority's end in days from today, blocker)
    ("registered, priority holds", State.UNDER_REVIEW, 30, "priority_of_another"),
    ("checked, priority holds", State.CHECKED, 1, "priority_of_another"),
    ("sent earlier, not yet registered", State.SUBMITTED, None, "priority_of_another"),
    ("priority lapsed", State.UNDER_REVIEW, -1, None),
    ("refused", State.REFUSED, None, None),
    ("granted: a permit on the site", State.GRANTED, None, "permit_on_site"),
    ("installed: a permit on the site", State.ACTIVE, None, "permit_on_site"),
    ("annulled", State.ANNULLED, None, None),
]


@pytest.mark.parametrize(("case", "state", "days", "blocker"), PRIORITY,
                         ids=[c[0] for c in PRIORITY])  # fmt: skip
def test_advertising_priority_of_another_applicant(
    layers: Municipality, case: str, state: State, days: int | None, blocker: str | None
) -> None:
    today = timezone.localdate()
    until = today + timedelta(days=days) if days is not None else None
    other = application_in(
        state, layers, kind=Kind.ADVERTISING, site=near(300), structure_type="billboard",
        area_m2=None, priority_until=until,
    )  # fmt: skip
    result = run_precheck(Kind.ADVERTISING, near(304), layers)
    blockers = {f.code: f.details for f in result.findings if str(f.level) == B}
    if blocker is None:
        assert blockers == {}
    else:
        assert set(blockers) == {blocker}
        assert other.number in str(blockers[blocker]) or other.permit_number in str(
            blockers[blocker]
        )
    # 20 m on is another site.
    assert not [f for f in run_precheck(Kind.ADVERTISING, near(330), layers).findings
                if str(f.level) == B]  # fmt: skip
    # The application never blocks itself.
    itself = run_precheck(Kind.ADVERTISING, near(304), layers, exclude=other.pk)
    assert not [f for f in itself.findings if str(f.level) == B]


def test_an_advertising_structure_on_the_site_is_an_overlap(layers: Municipality) -> None:
    AdvertisingStructure.objects.create(
        municipality=layers, geometry=near(300), permit_number="Р-2025-017", address="просп. 5",
    )  # fmt: skip
    found = {f.code: f for f in run_precheck(Kind.ADVERTISING, near(300.2), layers).findings}
    assert str(found["overlap"].level) == B and found["overlap"].details["number"] == "Р-2025-017"


def test_intake_stores_the_findings_and_the_console_tells_them_in_the_readers_language(
    layers: Municipality, officer: Any, client: Any
) -> None:
    kiosk_at(layers, near(10))
    with translation.override("en"):
        application = apply(layers, site=footprint(dx_m=-4), area_m2="9")
    stored = {f["code"]: f for f in application.precheck}
    assert application.precheck_level == W
    assert stored["too_close"]["level"] == W
    assert stored["too_close"]["message"].startswith("The nearest structure")
    with translation.override("uk"):
        text = describe(stored["too_close"])
    assert "Найближча" in text and stored["too_close"]["details"]["distance"] in text
    client.force_login(officer)
    page = client.get(f"/staff/permits/{application.pk}/", HTTP_ACCEPT_LANGUAGE="uk")
    assert page.status_code == 200
    assert "Найближча" in page.content.decode()
    assert "The nearest structure" not in page.content.decode()


def test_an_unknown_code_keeps_its_stored_text() -> None:
    assert describe({"code": "retired_check", "message": "As stored."}) == "As stored."
    assert describe({"code": "too_close", "details": {}, "message": "Stored."}) == "Stored."
