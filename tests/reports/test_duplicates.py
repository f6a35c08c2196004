"""Duplicates nearby, support once per person, supporters and followers moving."""

from __future__ import annotations

import pytest
from django.contrib.gis.geos import Point

from geoportal.reports.errors import AlreadyDoneError, WrongStateError
from geoportal.reports.models import Follow, Report, Support
from tests.reports.conftest import CENTRE, file_report


def at_metres_north(metres: float) -> tuple[float, float]:
    """A point `metres` north of the centre: 1° of latitude is ~111.2 km there (WGS 84)."""
    return CENTRE[0] + metres / 111_200, CENTRE[1]


@pytest.fixture
def original(pokrovsk, moderator):
    report = file_report()
    report.approve(moderator)
    return report


def test_open_reports_of_the_category_within_50_m_are_offered(original, moderator):
    here = Point(CENTRE[1], CENTRE[0], srid=4326)
    lighting = original.category
    assert list(Report.objects.nearby_open(here, lighting)) == [original]
    lat, lon = at_metres_north(45)
    assert list(Report.objects.nearby_open(Point(lon, lat, srid=4326), lighting)) == [original]
    lat, lon = at_metres_north(60)
    assert not Report.objects.nearby_open(Point(lon, lat, srid=4326), lighting).exists()
    roads = original.municipality.categories.get(code="roads")
    assert not Report.objects.nearby_open(here, roads).exists()
    closed = file_report(title="Закрите")
    closed.reject(moderator, "not_a_problem")
    assert list(Report.objects.nearby_open(here, lighting)) == [original]


def test_the_moderator_is_offered_the_duplicates_of_a_new_report(original, moderator):
    from rest_framework.test import APIClient

    lat, lon = at_metres_north(20)
    newcomer = file_report(lat=lat, lon=lon, title="Знову темно")
    client = APIClient()
    client.force_authenticate(moderator)
    offered = client.get(f"/api/v1/reports/{newcomer.pk}/").json()["properties"]
    assert [(d["id"], round(d["distance_m"])) for d in offered["possible_duplicates"]] == [
        (original.pk, 20)
    ]
    answer = client.post(
        f"/api/v1/reports/{newcomer.pk}/mark_duplicate/", {"original": original.pk}
    )
    assert answer.json()["state"] == "duplicate"


def test_support_is_counted_once_per_account_email_and_session(original, resident):
    original.support(user=resident)
    original.support(email="neighbour@example.org")
    original.support(session_key="browser-session-1")
    for again in ({"user": resident}, {"email": "NEIGHBOUR@example.org"},
                  {"session_key": "browser-session-1"}):  # fmt: skip
        with pytest.raises(AlreadyDoneError):
            original.support(**again)
    original.refresh_from_db()
    assert original.support_count == Support.objects.count() == 3


def test_only_open_public_reports_can_be_supported(pokrovsk, moderator):
    new = file_report()
    with pytest.raises(WrongStateError):
        new.support(email="a@example.org")
    new.approve(moderator)
    new.support(email="a@example.org")
    assert new.support_count == 1


def test_marking_a_duplicate_moves_supporters_and_followers(original, moderator, resident):
    original.support(email="both@example.org")
    duplicate = file_report(reporter_email="second.reporter@example.org", title="Те саме")
    duplicate.approve(moderator)
    duplicate.support(email="both@example.org")  # supports both: counted once on the original
    duplicate.support(user=resident)
    duplicate.follow(email="follower@example.org")
    duplicate.mark_duplicate(moderator, original)
    original.refresh_from_db()
    duplicate.refresh_from_db()
    assert (duplicate.state, duplicate.duplicate_of) == ("duplicate", original)
    assert (original.support_count, duplicate.support_count) == (2, 0)
    assert set(Follow.objects.filter(report=original).values_list("email", flat=True)) == {
        "olha.reporter@example.org", "second.reporter@example.org", "follower@example.org",
    }  # fmt: skip
    # The second reporter follows the original, but is its reporter only on their own.
    assert not Follow.objects.get(report=original, email="second.reporter@example.org").is_reporter


def test_a_duplicate_of_a_duplicate_is_refused(original, moderator):
    from django.core.exceptions import ValidationError

    first = file_report(title="Дубль")
    first.mark_duplicate(moderator, original)
    second = file_report(title="Ще дубль")
    with pytest.raises(ValidationError) as caught:
        second.mark_duplicate(moderator, first)
    assert "original" in caught.value.message_dict
