"""Where a report is: the place the resident confirmed, never a photo's GPS taken silently.

The report form reads a photo's GPS in the browser and offers it ("Use where the photo was
taken"); only when the resident chooses it does the page send it as lat/lon, with
`location_source=photo`. Without lat/lon the report is refused, naming `location`, even
when a photo carries GPS.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from rest_framework.test import APIClient

from geoportal.reports.models import Report
from tests.reports.conftest import CENTRE, file_report, jpeg, new_report_form

LIST = "/api/v1/reports/"
PHOTO_GPS = (48.2790, 37.1801)  # inside Pokrovsk, not the centre


@dataclass(frozen=True)
class Place:
    what: str
    fields: dict[str, Any]
    photo_gps: tuple[float, float] | None
    # The point and source filed, or the field a refusal names.
    point: tuple[float, float] | None = None
    source: str = ""
    refused: str = ""


PLACES = [
    Place("a pin tapped on the map", {}, None, point=CENTRE, source="map"),
    Place("a pin, and a photo with GPS elsewhere", {}, PHOTO_GPS, point=CENTRE, source="map"),
    Place("the photo's place, chosen by the resident",
          {"lat": PHOTO_GPS[0], "lon": PHOTO_GPS[1], "location_source": "photo"}, PHOTO_GPS,
          point=PHOTO_GPS, source="photo"),
    Place("no pin, a photo with GPS", {"lat": None, "lon": None}, PHOTO_GPS,
          refused="location"),
    Place("no pin, no photo", {"lat": None, "lon": None}, None, refused="location"),
    Place("latitude only", {"lon": None}, PHOTO_GPS, refused="lon"),
    Place("longitude only", {"lat": None}, None, refused="lat"),
    Place("latitude out of range", {"lat": 91.0}, None, refused="lat"),
    Place("an unknown source", {"location_source": "guess"}, None, refused="location_source"),
]  # fmt: skip


@pytest.mark.parametrize("case", PLACES, ids=lambda case: case.what)
def test_the_intake_files_the_confirmed_place_or_names_the_field(pokrovsk, media, case: Place):
    photos = [jpeg(gps=case.photo_gps)] if case.photo_gps else []
    if case.refused:
        with pytest.raises(ValidationError) as caught, translation.override("en"):
            file_report(photos=photos, **case.fields)
        assert list(caught.value.message_dict) == [case.refused]
        assert not Report.objects.exists()
        return
    report = file_report(photos=photos, **case.fields)
    assert report.location_source == case.source
    assert (round(report.point.y, 4), round(report.point.x, 4)) == (
        round(case.point[0], 4),  # type: ignore[index]
        round(case.point[1], 4),  # type: ignore[index]
    )


@dataclass(frozen=True)
class Sent:
    what: str
    change: dict[str, Any]
    status: int
    source: str = ""
    refused: str = ""


SENT = [
    Sent("a pin", {}, 201, source="map"),
    Sent("the photo's place, chosen",
         {"lat": PHOTO_GPS[0], "lon": PHOTO_GPS[1], "location_source": "photo"}, 201,
         source="photo"),
    Sent("no pin but a photo with GPS", {"lat": "", "lon": ""}, 400, refused="location"),
    Sent("no pin and no title", {"lat": "", "lon": "", "title": ""}, 400, refused="location"),
    Sent("an unknown source", {"location_source": "exif"}, 400, refused="location_source"),
]  # fmt: skip


@pytest.mark.parametrize("case", SENT, ids=lambda case: case.what)
def test_the_api_never_takes_a_photos_gps_silently(pokrovsk, media, case: Sent):
    form = {key: value for key, value in new_report_form(**case.change).items() if value != ""}
    form["photos"] = jpeg(gps=PHOTO_GPS)
    answer = APIClient().post(LIST, form, format="multipart", HTTP_ACCEPT_LANGUAGE="en")
    assert answer.status_code == case.status, answer.json()
    if case.refused:
        assert case.refused in answer.json()
        assert not Report.objects.exists()
    else:
        assert answer.json()["location_source"] == case.source


def test_the_missing_place_is_told_in_the_pages_language(pokrovsk):
    form = {k: v for k, v in new_report_form().items() if k not in ("lat", "lon")}
    uk = APIClient().post(LIST, form, format="multipart", HTTP_ACCEPT_LANGUAGE="uk").json()
    en = APIClient().post(LIST, form, format="multipart", HTTP_ACCEPT_LANGUAGE="en").json()
    assert "latitude and longitude" in en["location"][0]
    assert "широту і довготу" in uk["location"][0]
