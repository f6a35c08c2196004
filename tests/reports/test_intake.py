"""Filing a report: where it is, what it is, who it goes to, what stands there."""

from __future__ import annotations

from datetime import date, datetime

import pytest
import time_machine
from django.contrib.gis.geos import Point
from django.core.exceptions import ValidationError
from procrastinate.contrib.django.models import ProcrastinateJob

from geoportal.municipalities.models import RoutingRule
from geoportal.municipalities.working_days import KYIV
from geoportal.reports.intake import IdempotencyMismatchError, Submission, submit
from geoportal.reports.models import Follow, Notification, Report, ReportEvent
from layers.models import AdvertisingStructure, TemporaryStructure
from tests.reports.conftest import CENTRE, file_report, jpeg, stored_files

FRIDAY_17 = datetime(2026, 11, 20, 17, 0, tzinfo=KYIV)


@time_machine.travel(FRIDAY_17, tick=False)
def test_a_report_gets_its_hromada_suggestion_clock_event_and_subscription(pokrovsk, zhkg):
    report = file_report()
    assert report.municipality == pokrovsk
    # DOMAIN.md routes street lighting to zhkg; the moderator starts from that suggestion.
    assert report.suggested_department == zhkg and report.department is None
    # Moderation: 1 working day after Friday is Monday, ending 18:00 (PROCEDURE.md).
    assert (report.state, report.clock) == ("new", "moderation")
    assert report.due_at == datetime(2026, 11, 23, 18, 0, tzinfo=KYIV)
    assert [(e.action, e.to_state, e.by_reporter) for e in report.events.all()] == [
        ("submit", "new", True)
    ]
    follow = Follow.objects.get(report=report)
    assert (follow.email, follow.is_reporter) == ("olha.reporter@example.org", True)
    notification = Notification.objects.get(report=report)
    assert (notification.kind, notification.to_email) == ("submitted", follow.email)
    assert report.tracking_url in notification.body
    # The delivery job was written with the row, in the same transaction.
    assert ProcrastinateJob.objects.filter(
        task_name="reports.deliver_notification", args={"notification_id": notification.pk}
    ).exists()


def test_a_point_in_no_hromada_is_refused_and_nothing_is_written(pokrovsk, media):
    with pytest.raises(ValidationError) as caught:
        file_report(lat=50.45, lon=30.52, photos=[jpeg()])  # Kyiv: not served here
    assert "outside every hromada" in caught.value.message_dict["location"][0]
    assert Report.objects.count() == ReportEvent.objects.count() == 0
    assert stored_files(media) == []


def test_the_hromada_is_found_from_the_point(pokrovsk, pokrov):
    report = file_report(lat=47.6547, lon=34.1149, category="roads")  # Pokrov's centre
    assert report.municipality == pokrov
    assert report.category.municipality == pokrov


@pytest.mark.parametrize("code", ["no-such-category", "", "LIGHTING"])
def test_an_unknown_category_is_refused_naming_the_choices(pokrovsk, code):
    with pytest.raises(ValidationError) as caught:
        file_report(category=code)
    message = caught.value.message_dict["category"][0]
    assert "not a category of" in message and "lighting" in message
    assert not Report.objects.exists()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"title": ""}, "title"),
        ({"description": "   "}, "description"),
        ({"title": "я" * 201}, "title"),
        ({"reporter_email": "not-an-email"}, "reporter_email"),
        ({"lat": float("nan")}, "lat"),
        ({"lon": 181.0}, "lon"),
        ({"lat": None, "lon": 37.1}, "lat"),
        ({"show_name": True, "reporter_name": ""}, "reporter_name"),
    ],
)
def test_bad_fields_are_named_and_nothing_is_written(pokrovsk, fields, field):
    with pytest.raises(ValidationError) as caught:
        file_report(**fields)
    assert field in caught.value.message_dict
    assert not Report.objects.exists()


def test_a_formal_appeal_needs_full_name_and_postal_address(pokrovsk):
    with pytest.raises(ValidationError) as caught:
        file_report(is_formal_appeal=True, reporter_name="Ольга")
    assert set(caught.value.message_dict) == {"reporter_name", "reporter_postal_address"}
    report = file_report(is_formal_appeal=True, reporter_postal_address="вул. Центральна, 1, кв. 5")
    assert report.is_formal_appeal


def test_a_retry_with_the_same_key_returns_the_first_report(pokrovsk):
    first = file_report(idempotency_key="retry-7f3a", photos=[jpeg()])
    again, created = submit(
        Submission(
            category="lighting", title="Не горить ліхтар",
            description="Біля школи третій тиждень темно.", lat=CENTRE[0], lon=CENTRE[1],
            reporter_email="olha.reporter@example.org", photos=[jpeg()],
            idempotency_key="retry-7f3a",
        )
    )  # fmt: skip
    assert (again.pk, created) == (first.pk, False)
    assert Report.objects.count() == 1 and first.photos.count() == 1


def test_a_key_reused_for_other_content_is_refused(pokrovsk):
    file_report(idempotency_key="retry-7f3a")
    with pytest.raises(IdempotencyMismatchError, match="different report"):
        file_report(idempotency_key="retry-7f3a", title="Інша проблема")
    assert Report.objects.count() == 1


def test_a_routing_rule_with_an_area_wins_for_points_inside_it(pokrovsk, arch, zhkg):
    lighting = pokrovsk.categories.get(code="lighting")
    area = Point(CENTRE[1], CENTRE[0], srid=4326).buffer(0.01)
    from django.contrib.gis.geos import MultiPolygon

    RoutingRule.objects.create(
        category=lighting, department=arch, priority=10, area=MultiPolygon(area, srid=4326)
    )
    assert file_report().suggested_department == arch
    assert file_report(lat=48.30, lon=37.22).suggested_department == zhkg


@time_machine.travel(date(2026, 11, 23))
def test_spatial_context_finds_plot_zone_and_structures_with_permits(
    pokrovsk, trade_plot, housing_zone, kiosk, billboard
):
    # The kiosk stands at the centre (valid until 2027-01-10); the billboard ~74 m east.
    report = file_report(category="illegal-maf")
    assert (report.context_plot, report.context_zone, report.context_maf) == (
        trade_plot, housing_zone, kiosk,
    )  # fmt: skip
    assert report.context_advertising is None  # beyond 30 m
    assert report.context["plot"]["cadastral_number"] == "1412600000:01:001:0001"
    assert report.context["maf"]["permit_state"] == "active"
    assert report.context["maf"]["distance_m"] == 0.0
    # A kiosk with a valid passport: not "without a valid permit".
    assert report.structure_without_valid_permit is False


@time_machine.travel(date(2026, 11, 23))
def test_an_expired_permit_flags_illegal_advertising(pokrovsk, billboard):
    lat, lon = billboard.geometry.y, billboard.geometry.x + 0.0002  # ~15 m away
    report = file_report(category="illegal-advertising", lat=lat, lon=lon)
    assert report.context_advertising == billboard
    assert report.context["advertising"]["permit_state"] == "expired"  # ended 2026-03-01
    assert report.structure_without_valid_permit is True


def test_no_registered_structure_at_all_is_flagged_for_linked_categories(pokrovsk):
    assert file_report(category="illegal-maf").structure_without_valid_permit is True
    # Street lighting links to no layer: never flagged.
    assert file_report(category="lighting").structure_without_valid_permit is False


def test_a_cancelled_structure_is_flagged_even_with_dates_left(pokrovsk, kiosk):
    TemporaryStructure.objects.filter(pk=kiosk.pk).update(status="cancelled")
    assert file_report(category="illegal-maf").structure_without_valid_permit is True
    assert AdvertisingStructure.objects.count() == 0
