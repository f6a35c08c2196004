"""Anonymous reads of the read-only endpoints come from the read replica (a second
database here); staff, writes and everything else use the primary."""

from __future__ import annotations

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.reports.conftest import file_report

pytestmark = pytest.mark.django_db(databases=["default", "replica"])


@pytest.fixture
def replica(settings):
    settings.READ_FROM_REPLICA = True
    return connections["replica"]


def test_anonymous_reads_of_public_endpoints_use_the_replica(pokrovsk, moderator, replica):
    report = file_report()
    report.approve(moderator)  # written to the primary only; the replica database is empty
    with CaptureQueriesContext(replica) as on_replica:
        listed = APIClient().get("/api/v1/reports/").json()
    assert listed["features"] == []  # read from the (empty) replica, not the primary
    assert any("reports_report" in q["sql"] for q in on_replica.captured_queries)
    for path in ("/api/v1/layers/land/", "/ogc/collections", "/open311/v2/services.json"):
        with CaptureQueriesContext(replica) as on_replica:
            APIClient().get(path)
        assert on_replica.captured_queries, path
    # The heavy queries themselves, not only the lookups around them.
    for path, heavy in (("/api/v1/layers/land/", "json_agg"), ("/tiles/land/14/9884/5675.mvt",
                                                               "ST_AsMVT")):  # fmt: skip
        with CaptureQueriesContext(replica) as on_replica:
            assert APIClient().get(path).status_code in (200, 204), path
        assert any(heavy in q["sql"] for q in on_replica.captured_queries), path


def test_staff_writes_and_other_pages_use_the_primary(pokrovsk, moderator, replica):
    report = file_report()
    report.approve(moderator)
    staff = APIClient()
    staff.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=moderator).key}")
    with CaptureQueriesContext(replica) as on_replica:
        seen = staff.get("/api/v1/reports/").json()
        APIClient().get("/api/v1/reports/statistics/")
        APIClient().post(f"/api/v1/reports/{report.pk}/support/", {"email": "a@example.org"})
    assert [f["id"] for f in seen["features"]] == [report.pk]
    assert on_replica.captured_queries == []


def test_without_the_switch_everything_reads_the_primary(pokrovsk, moderator, settings):
    settings.READ_FROM_REPLICA = False
    report = file_report()
    report.approve(moderator)
    with CaptureQueriesContext(connections["replica"]) as on_replica:
        listed = APIClient().get("/api/v1/reports/").json()
    assert [f["id"] for f in listed["features"]] == [report.pk]
    assert on_replica.captured_queries == []
