"""Layer models: permit state, constraints and the geometry rules of clean()."""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.gis.geos import LineString, MultiPolygon, Point, Polygon
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from layers.models import AdvertisingStructure, LandPlot, PermitState, TemporaryStructure
from tests.layers.conftest import CENTRE, square


@pytest.mark.parametrize(
    ("today", "state"),
    [
        (date(2026, 12, 1), PermitState.ACTIVE),  # 40 days left
        (date(2026, 12, 11), PermitState.EXPIRING),  # exactly 30 days left (the default)
        (date(2027, 1, 10), PermitState.EXPIRING),  # last valid day
        (date(2027, 1, 11), PermitState.EXPIRED),
    ],
)
def test_permit_state_from_dates_in_python_and_sql(kiosk, today, state):
    assert kiosk.permit_state(today) == state
    annotated = TemporaryStructure.objects.with_permit_state(today).get(pk=kiosk.pk)
    assert annotated.permit_state == state


def test_no_end_date_means_no_permit(kiosk):
    kiosk.permit_valid_to = None
    kiosk.save()
    assert kiosk.permit_state() == PermitState.NONE
    assert TemporaryStructure.objects.in_permit_state("none").get() == kiosk


def test_expiring_window_is_a_municipality_setting(kiosk, pokrovsk):
    pokrovsk.permit_expiring_days = 60
    pokrovsk.save()
    kiosk.refresh_from_db()
    assert kiosk.permit_state(date(2026, 11, 20)) == PermitState.EXPIRING
    found = TemporaryStructure.objects.in_permit_state("expiring", date(2026, 11, 20))
    assert list(found) == [kiosk]


def test_valid_to_before_valid_from_is_refused_by_the_database(kiosk):
    kiosk.permit_valid_to = date(2025, 1, 1)
    expected = pytest.raises(IntegrityError, match="temporarystructure_valid_to_after_valid_from")
    with expected, transaction.atomic():
        kiosk.save()


def test_pavilion_over_30_m2_is_refused(kiosk):
    kiosk.kind = TemporaryStructure.Kind.PAVILION
    kiosk.area_m2 = Decimal("31.5")
    with translation.override("en"):
        with pytest.raises(ValidationError) as caught:
            kiosk.full_clean()
        assert caught.value.message_dict["area_m2"] == [
            "A pavilion is at most 30 m² (order No. 244, as amended)."
        ]
    with pytest.raises(IntegrityError, match="maf_pavilion_area_max_30"), transaction.atomic():
        kiosk.save()


def test_passport_number_unique_per_municipality(kiosk, pokrov):
    twin = TemporaryStructure(
        municipality=kiosk.municipality, geometry=kiosk.geometry, passport_number="МАФ-2026-001"
    )
    with pytest.raises(IntegrityError, match="maf_passport_unique"), transaction.atomic():
        twin.save()
    # Another hromada may use the same number, and structures without a passport are many.
    elsewhere = Point(34.1149, 47.6547, srid=4326)
    TemporaryStructure.objects.create(
        municipality=pokrov, geometry=elsewhere, passport_number="МАФ-2026-001"
    )
    for _ in range(2):
        TemporaryStructure.objects.create(municipality=kiosk.municipality, geometry=kiosk.geometry)


def test_cadastral_number_unique_and_well_formed(trade_plot):
    with pytest.raises(IntegrityError, match="cadastral_number"), transaction.atomic():
        LandPlot.objects.create(
            municipality=trade_plot.municipality,
            geometry=trade_plot.geometry,
            cadastral_number=trade_plot.cadastral_number,
        )
    expected = pytest.raises(IntegrityError, match="landplot_cadastral_number_format")
    with expected, transaction.atomic():
        LandPlot.objects.create(
            municipality=trade_plot.municipality,
            geometry=trade_plot.geometry,
            cadastral_number="14126:01:001:0001",
        )


def test_clean_normalises_the_purpose_code(trade_plot):
    trade_plot.purpose_code = "3.07"
    trade_plot.full_clean()
    assert trade_plot.purpose_code == "03.07"
    assert trade_plot.allows_trade()


def geometry_errors(feature) -> list[str]:
    with translation.override("en"):
        with pytest.raises(ValidationError) as caught:
            feature.full_clean()
        return caught.value.message_dict["geometry"]


def test_self_intersecting_polygon_is_refused_saying_where(trade_plot):
    lon, lat = CENTRE
    trade_plot.geometry = MultiPolygon(
        Polygon(((lon, lat), (lon + 0.01, lat + 0.01), (lon + 0.01, lat), (lon, lat + 0.01),
                 (lon, lat))),
        srid=4326,
    )  # fmt: skip
    [message] = geometry_errors(trade_plot)
    assert message.startswith("The geometry is not valid: Self-intersection[37.18")
    assert "--make-valid" in message


def test_wrong_geometry_type_is_refused(kiosk):
    kiosk.geometry = LineString((37.17, 48.27), (37.18, 48.28), srid=4326)
    assert geometry_errors(kiosk) == [
        "The geometry is a LineString; this layer takes Point or Polygon or MultiPolygon."
    ]


def test_point_outside_the_boundary_but_within_tolerance(billboard, pokrovsk):
    # 30 m east of the easternmost boundary vertex on the centre's latitude line.
    east = pokrovsk.boundary.intersection(
        LineString((37.0, CENTRE[1]), (37.6, CENTRE[1]), srid=4326)
    ).extent[2]
    metres_per_degree = 111_320 * 0.6650  # cos(48.28°): only to place the test point
    billboard.geometry = Point(east + 30 / metres_per_degree, CENTRE[1], srid=4326)
    billboard.full_clean()  # the default tolerance is 50 m
    pokrovsk.layer_boundary_tolerance_m = 10
    pokrovsk.save()
    billboard.municipality.refresh_from_db()
    assert geometry_errors(billboard) == ["The geometry lies outside the municipality boundary."]


def test_maf_may_be_a_point_or_a_polygon(kiosk):
    kiosk.geometry = square(*CENTRE, half=0.00003)[0]
    kiosk.full_clean()
    kiosk.geometry = Point(*CENTRE, srid=4326)
    kiosk.full_clean()


def test_investor_list_is_free_or_auctioned_communal_land(trade_plot):
    private = LandPlot.objects.create(
        municipality=trade_plot.municipality,
        geometry=square(CENTRE[0] + 0.01, CENTRE[1]),
        cadastral_number="1412600000:01:001:0002",
        ownership=LandPlot.Ownership.PRIVATE,
        investor_status=LandPlot.InvestorStatus.FREE,
    )
    leased = LandPlot.objects.create(
        municipality=trade_plot.municipality,
        geometry=square(CENTRE[0] - 0.01, CENTRE[1]),
        cadastral_number="1412600000:01:001:0003",
        ownership=LandPlot.Ownership.COMMUNAL,
        investor_status=LandPlot.InvestorStatus.LEASED,
    )
    listed = set(LandPlot.objects.for_investors())
    assert listed == {trade_plot}
    assert private not in listed and leased not in listed


def test_advertising_sides_between_one_and_four(billboard):
    billboard.sides = 5
    with pytest.raises(IntegrityError, match="advertising_sides_1_to_4"), transaction.atomic():
        billboard.save()


def test_permit_state_of_advertising_in_sql(billboard):
    assert AdvertisingStructure.objects.with_permit_state(
        date(2026, 11, 23)
    ).get().permit_state == ("expired")
