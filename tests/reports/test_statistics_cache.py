"""Statistics kept between requests: computed by the worker's clocks task (or on the first
request), served as of then, recomputed when the worker runs again."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from geoportal.municipalities.models import Municipality
from geoportal.reports.statistics import current_statistics, refresh_all
from tests.reports.conftest import file_report


@pytest.fixture
def kept(settings):
    settings.STATISTICS_CACHE_SECONDS = 300
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()
    yield
    cache.clear()


def test_statistics_are_served_as_of_the_last_computation(pokrovsk, moderator, kept):
    file_report().approve(moderator)
    first = APIClient().get("/api/v1/reports/statistics/").json()
    file_report()
    again = APIClient().get("/api/v1/reports/statistics/").json()
    assert first["rows"][-1]["received"] == again["rows"][-1]["received"] == 1
    assert again["computed_at"] == first["computed_at"]
    # Every active hromada: this month and all time, by department and by category.
    assert refresh_all() == Municipality.objects.active().count() * 2 * 2
    fresh = APIClient().get("/api/v1/reports/statistics/").json()
    assert fresh["rows"][-1]["received"] == 2 and fresh["computed_at"] > first["computed_at"]


def test_names_follow_the_language_of_the_request(pokrovsk, moderator, kept):
    file_report().approve(moderator)
    uk = APIClient().get("/api/v1/reports/statistics/", HTTP_ACCEPT_LANGUAGE="uk").json()
    en = APIClient().get("/api/v1/reports/statistics/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert uk["rows"][0]["name"] == "Житлово-комунальний відділ"
    assert en["rows"][0]["name"] == "Housing and communal services department"
    rows, _when = current_statistics(pokrovsk, date.today().replace(day=1), "category")
    assert rows[-1].key == "total"
