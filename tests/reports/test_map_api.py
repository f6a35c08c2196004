"""Reports for the map: counted per cell by PostGIS when many, single when few; places."""

from __future__ import annotations

import random

from django.contrib.gis.geos import Point
from rest_framework.test import APIClient

from geoportal.reports.api.clusters import POINTS_UP_TO
from geoportal.reports.models import Report
from tests.reports.conftest import CENTRE, file_report

MAP = "/api/v1/reports/map/"
BOX = "37.10,48.22,37.25,48.33"


def many_routed(pokrovsk, zhkg, count: int) -> None:
    """Routed reports scattered over the centre (bulk: this is about drawing, not filing)."""
    rng = random.Random(7)  # noqa: S311 (repeatable test data, not a secret)
    category = pokrovsk.categories.get(code="roads")
    Report.objects.bulk_create(
        Report(
            municipality=pokrovsk, category=category, title=f"Яма {n}", description="Яма",
            point=Point(CENTRE[1] + rng.uniform(-0.03, 0.03), CENTRE[0] + rng.uniform(-0.02, 0.02),
                        srid=4326),
            state="routed", department=zhkg,
        )
        for n in range(count)
    )  # fmt: skip


def test_few_reports_come_as_themselves(pokrovsk, moderator):
    report = file_report()
    report.approve(moderator)
    file_report(title="Ще не схвалене")  # new: not on the map
    answer = APIClient().get(MAP, {"bbox": BOX, "zoom": "12"}).json()
    assert (answer["total"], answer["clustered"]) == (1, False)
    item = answer["items"][0]
    assert (item["kind"], item["id"], item["state"]) == ("report", report.pk, "routed")
    assert "reporter_email" not in item


def test_many_reports_are_counted_per_cell_by_the_database(pokrovsk, zhkg):
    many_routed(pokrovsk, zhkg, POINTS_UP_TO + 100)
    answer = APIClient().get(MAP, {"bbox": BOX, "zoom": "13"}).json()
    assert answer["clustered"] is True and answer["total"] == POINTS_UP_TO + 100
    assert sum(item["count"] for item in answer["items"]) == answer["total"]
    assert 1 < len(answer["items"]) < 100  # cells, not 500 markers
    assert {item["state"] for item in answer["items"]} == {"routed"}
    closer = APIClient().get(MAP, {"bbox": BOX, "zoom": "17"}).json()
    assert closer["clustered"] is False  # close in, every report is itself
    hidden = APIClient().get(MAP, {"bbox": BOX, "zoom": "13", "state": "resolved"}).json()
    assert hidden["total"] == 0


def test_hide_closed_and_bad_boxes(pokrovsk, moderator, worker_zhkg):
    report = file_report()
    report.approve(moderator)
    report.accept(worker_zhkg)
    report.resolve(worker_zhkg, "Зроблено")
    client = APIClient()
    assert client.get(MAP, {"bbox": BOX, "zoom": "12"}).json()["total"] == 1
    assert client.get(MAP, {"bbox": BOX, "zoom": "12", "hide_closed": "true"}).json()["total"] == 0
    for bad in ("1,2,3", "37.2,48.2,37.1,48.3", "nan,1,2,3", "0,0,200,10", "a,b,c,d"):
        answer = client.get(MAP, {"bbox": bad, "zoom": "12"})
        assert answer.status_code == 400 and "bbox" in answer.json(), bad
    assert client.get(MAP, {"bbox": BOX, "zoom": "40"}).status_code == 400


def test_places_from_coordinates_and_known_addresses(pokrovsk, kiosk):
    client = APIClient()
    for typed in ("48.2771, 37.1772", "48,2771; 37,1772", "48.2771 37.1772"):
        found = client.get("/api/v1/places/", {"q": typed}).json()
        assert found == [{"name": "48.277100, 37.177200", "lat": 48.2771, "lon": 37.1772,
                          "inside": "pokrovsk"}], typed  # fmt: skip
    by_address = client.get("/api/v1/places/", {"q": "Центральна"}).json()
    assert by_address[0]["name"] == "вул. Центральна, 1" and by_address[0]["inside"] == "pokrovsk"
    assert client.get("/api/v1/places/", {"q": "ab"}).status_code == 400
    assert client.get("/api/v1/places/", {"q": "Неіснуюча вулиця"}).json() == []
