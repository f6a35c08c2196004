"""Bad input, one table per kind of request: every case is refused with a 4xx that names
the field and gives the reason, and nothing is written (no report, event, photo row,
subscription, notification, Open311 link or layer feature; no file in MEDIA_ROOT).

Read a row as: entry point, what is sent, the status, the field the answer names and
words of its reason (asked in English). Photos and GIS files are in test_bad_uploads.py.

Two kinds of row answer 200, on purpose:
- SQL metacharacters in a free-text or code filter (`q`, `category`, `municipality`...)
  are text to look for, bound as a query parameter: the answer is 200 with nothing
  matched (`nothing=True`), while the same in a typed filter (a state, a date, a number,
  a box) is a 400 naming it.
- The planner's edit form is Django's admin, which shows a refused form again with 200
  and the field's error list (tests/security/permission_matrix.py pins that status).
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from tests.layers.conftest import CENTRE as LON_LAT
from tests.reports.conftest import CENTRE, new_report_form
from tests.security.refusals import (  # noqa: F401  (the fixtures world and media_root)
    World,
    client_for,
    footprint,
    media_root_fixture,
    names,
    text_of,
    world_fixture,
)

if TYPE_CHECKING:
    from tests.security.refusals import Answer

pytestmark = pytest.mark.django_db

SQL = "' OR '1'='1' --"
KYIV = (50.45, 30.52)  # (lat, lon): no hromada served here
BIG = 3 * 1024 * 1024  # over DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB)


@dataclasses.dataclass(frozen=True)
class Case:
    entry: str  # the entry point
    what: str  # the bad input, in words
    method: str
    path: str
    params: dict[str, Any] = dataclasses.field(default_factory=dict)  # query, or form fields (POST)
    body: bytes | None = None  # a raw body instead of form fields
    content_type: str = "application/json"
    role: str | None = None  # signed in as
    status: int = 400
    field: str | None = None  # the field the answer names
    reason: str = ""  # words of the reason
    nothing: bool = False  # 200 with nothing matched
    headers: dict[str, str] = dataclasses.field(default_factory=dict)  # sent with the request

    @property
    def id(self) -> str:
        return f"{self.entry}: {self.what}"


def report(**changes: Any) -> bytes:
    """POST /api/v1/reports/ as an app sends it (JSON); a field given as None is left out."""
    fields = new_report_form(**changes)
    return json.dumps({name: value for name, value in fields.items() if value is not None}).encode()


def raw_report(text: str) -> bytes:
    """A JSON body written by hand, for what json.dumps will not write."""
    return text.encode()


def get(entry: str, what: str, path: str, params: dict[str, Any], **more: Any) -> Case:
    return Case(entry, what, "GET", path, params, **more)


def api(what: str, body: bytes, **more: Any) -> Case:
    return Case("report API", what, "POST", "/api/v1/reports/", body=body, **more)


def form(what: str, fields: dict[str, Any], **more: Any) -> Case:
    """The resident's report page sends FormData (multipart) with the session's cookie."""
    return Case("report form", what, "POST", "/api/v1/reports/",
                {**new_report_form(), **fields}, role="resident", **more)  # fmt: skip


REPORT_API = [
    api("malformed JSON", b'{"category": "lighting", ', field="detail",
        reason="JSON parse error"),
    api("a JSON list instead of an object", b"[1, 2, 3]", field="detail",
        reason="Send an object of fields"),
    api("JSON nested 100 000 deep", b'{"title": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
        field="detail", reason="nests too deeply"),
    api("3 MB of JSON", report(description="я" * (BIG // 2)), status=413, field="detail",
        reason="larger than 2.5 MB"),
    api("NaN as a JSON number", raw_report('{"lat": NaN, "lon": 37.1772}'), field="detail",
        reason="Out of range float"),
    api("a lone surrogate in the title", raw_report('{"title": "\\ud800"}'), field="detail",
        reason="lone surrogate"),
    api("a number of 5000 digits", raw_report('{"lat": ' + "9" * 5000 + "}"),
        field="detail", reason="JSON parse error"),
    api("XML instead of JSON", b"<report/>", content_type="application/xml", status=415,
        field="detail", reason="Unsupported media type"),
    api("a compressing charset (bz2_codec)", report(), field="detail",
        content_type="application/json; charset=bz2_codec", reason="Unsupported charset"),
    api("lat NaN as text", report(lat="NaN"), field="lat", reason="valid number"),
    api("lat infinite", report(lat="1e999"), field="lat", reason="valid number"),
    api("lat out of range", report(lat=91), field="lat", reason="between -90 and 90"),
    api("lon out of range", report(lon=-181), field="lon", reason="between -180 and 180"),
    api("lat and lon swapped", report(lat=CENTRE[1], lon=CENTRE[0]), field="location",
        reason="outside every hromada"),
    api("a point outside every hromada", report(lat=KYIV[0], lon=KYIV[1]), field="location",
        reason="outside every hromada"),
    api("lat without lon", report(lon=None), field="lon", reason="required"),
    api("an unknown category", report(category="volcano"), field="category",
        reason="not a category of"),
    api("SQL in the category", report(category=SQL), field="category",
        reason="not a category of"),
    api("a category of 65 characters", report(category="x" * 65), field="category",
        reason="no more than 64"),
    api("a title of 201 characters", report(title="я" * 201), field="title",
        reason="no more than 200"),
    api("a description of 5001 characters", report(description="я" * 5001),
        field="description", reason="no more than 5000"),
    api("a terminal escape in the title", report(title="Ліхтар \x1b[31mгорить"),
        field="title", reason="U+001B"),
    api("NUL in the title", report(title="Ліхтар\x00"), field="title", reason="Null"),
    api("right-to-left override in the title", report(title="Ліхтар \u202eрабат"),
        field="title", reason="U+202E"),
    api("a right-to-left isolate in the address", report(address="вул. \u2067Шевченка"),
        field="address", reason="U+2067"),
    api("a bell in the description", report(description="Темно\x07"), field="description",
        reason="U+0007"),
    api("a line break in the name", report(reporter_name="Ольга\nBcc: x@example.org"),
        field="reporter_name", reason="U+000A"),
    api("a header injection in the e-mail", report(reporter_email="a@example.org\r\nBcc: x@y.z"),
        field="reporter_email", reason="valid email"),
    api("SQL in the phone", report(reporter_phone=SQL), field="reporter_phone",
        reason="does not match"),
    api("show_name neither true nor false", report(show_name="maybe"), field="show_name",
        reason="valid boolean"),
    api("a list as the title", report(title=["a", "b"]), field="title",
        reason="Not a valid string"),
    api("a server path as photos", report(photos="../../../etc/passwd"), field="photos",
        reason="as a file"),
    api("an Idempotency-Key of 129 characters", report(), headers={"Idempotency-Key": "k" * 129},
        field="Idempotency-Key", reason="at most 128 visible ASCII characters"),
    api("a terminal escape in the Idempotency-Key", report(),
        headers={"Idempotency-Key": "retry-\x1b[2J"}, field="Idempotency-Key",
        reason="at most 128 visible ASCII characters"),
]  # fmt: skip

REPORT_FORM = [
    form("a text field named photos", {"photos": "/etc/passwd"}, field="photos",
         reason="as a file"),
    form("3 MB of text in a field", {"description": "x" * BIG}, status=413, field="detail",
         reason="larger than 2.5 MB"),
    form("1 500 fields", {f"field{n}": "1" for n in range(1500)}, field="detail",
         reason="too many fields"),
    form("a control character in the address", {"address": "вул.\x08 Центральна"},
         field="address", reason="U+0008"),
    Case("report form", "multipart without a boundary", "POST", "/api/v1/reports/",
         body=b"title=x", content_type="multipart/form-data", role="resident",
         field="detail", reason="multipart/form-data body cannot be read"),
    get("report form", "no such hromada's page", "/en/m/no-such-town/report/", {},
        status=404),
    get("report form", "path traversal in the hromada", "/en/m/..%2F..%2Fetc/report/", {},
        status=404),
    get("report form", "NUL in the path", "/en/m/pokrovsk%00/report/", {}, field="path",
        reason="NUL character"),
]  # fmt: skip


def dispute(what: str, comment: str, **more: Any) -> Case:
    """The reporter's page (frontend/report_pages.py): the dispute form."""
    return Case("dispute form", what, "POST", "/en/reports/track/{tracking}/",
                {"comment": comment}, **more)  # fmt: skip


DISPUTE_FORM = [
    dispute("an empty comment", "   ", reason="This field is required"),
    dispute("a comment of 5001 characters", "я" * 5001, reason="at most 5000 characters"),
    dispute("a terminal escape in the comment", "Не зроблено \x1b[2J", reason="U+001B"),
    dispute("right-to-left override in the comment", "Не \u202eзроблено", reason="U+202E"),
    Case("dispute form", "a guessed tracking code", "POST", "/en/reports/track/guessed/",
         {"comment": "Не зроблено."}, status=404),
    Case("dispute form", "NUL in the tracking code", "POST", "/en/reports/track/%00/",
         {"comment": "Не зроблено."}, field="path", reason="NUL character"),
]  # fmt: skip


def staff(role: str, action: str, fields: dict[str, Any], **more: Any) -> Case:
    """A staff action on the routed report, as the console sends it (JSON)."""
    return Case("staff action", f"{action}: {more.pop('what')}", "POST",
                f"/api/v1/reports/{{public}}/{action}/", body=json.dumps(fields).encode(),
                role=role, **more)  # fmt: skip


STAFF_ACTIONS = [
    staff("moderator", "comment", {"text": "Нотатка \x1b[2J"}, what="a terminal escape",
          field="text", reason="U+001B"),
    staff("moderator", "comment", {"text": "   "}, what="only spaces", field="text",
          reason="may not be blank"),
    staff("moderator", "reject", {"ground": "other", "comment": "Не \u202eпроблема"},
          what="right-to-left override in the comment", field="comment", reason="U+202E"),
    staff("moderator", "reject", {"ground": SQL}, what="SQL as the ground", field="ground",
          reason="is not a valid choice"),
    staff("worker", "return", {"reason": "Не наше\x07"}, what="a bell in the reason",
          field="reason", reason="U+0007"),
]  # fmt: skip

REPORTS = "/api/v1/reports/"
MAP = "/api/v1/reports/map/"
BOX = "37.1,48.2,37.3,48.4"
REPORT_FILTERS = [
    get("report list", "page_size below 1", REPORTS, {"page_size": -1}, field="page_size",
        reason="at least 1"),
    get("report list", "SQL in page_size", REPORTS, {"page_size": SQL}, field="page_size",
        reason="whole number"),
    get("report list", "in_bbox of NaN", REPORTS, {"in_bbox": "nan,nan,nan,nan"},
        field="in_bbox", reason="finite numbers"),
    get("report list", "in_bbox infinite", REPORTS, {"in_bbox": "-inf,48,inf,49"},
        field="in_bbox", reason="finite numbers"),
    get("report list", "in_bbox of three numbers", REPORTS, {"in_bbox": "37,48,38"},
        field="in_bbox", reason="four finite numbers"),
    get("report list", "in_bbox off the globe", REPORTS, {"in_bbox": "200,100,300,120"},
        field="in_bbox", reason="within ±180"),
    get("report list", "in_bbox south above north", REPORTS, {"in_bbox": "37,49,38,48"},
        field="in_bbox", reason="south ≤ north"),
    get("report list", "SQL in in_bbox", REPORTS, {"in_bbox": f"37,48,38,49{SQL}"},
        field="in_bbox", reason="four finite numbers"),
    get("report list", "SQL in state", REPORTS, {"state": f"new{SQL}"}, field="state",
        reason="valid choice"),
    get("report list", "SQL in created_after", REPORTS, {"created_after": SQL},
        field="created_after", reason="valid date"),
    get("report list", "no such day in created_before", REPORTS,
        {"created_before": "2026-02-30"}, field="created_before", reason="valid date"),
    get("report list", "NUL in municipality", REPORTS, {"municipality": "pokrovsk\x00"},
        field="municipality", reason="NUL character"),
    get("report list", "SQL in category (a code to look for)", REPORTS, {"category": SQL},
        status=200, nothing=True),
    get("report list", "SQL in department (a code to look for)", REPORTS,
        {"department": SQL}, status=200, nothing=True),
    get("report list", "SQL in municipality (a slug to look for)", REPORTS,
        {"municipality": SQL}, status=200, nothing=True),
    get("report list", "a page past any", REPORTS, {"page": "9" * 30}, status=404,
        field="detail", reason="Invalid page"),
    get("report map", "bbox of NaN", MAP, {"bbox": "nan,48,38,49", "zoom": 12},
        field="bbox", reason="finite numbers"),
    get("report map", "SQL in bbox", MAP, {"bbox": SQL, "zoom": 12}, field="bbox",
        reason="four numbers"),
    get("report map", "bbox west of its east", MAP, {"bbox": "38,48,37,49", "zoom": 12},
        field="bbox", reason="west < east"),
    get("report map", "zoom 99", MAP, {"bbox": BOX, "zoom": 99}, field="zoom",
        reason="less than or equal to 22"),
    get("report map", "SQL in zoom", MAP, {"bbox": BOX, "zoom": SQL}, field="zoom",
        reason="valid integer"),
    get("report map", "hide_closed neither true nor false", MAP,
        {"bbox": BOX, "zoom": 12, "hide_closed": SQL}, field="hide_closed",
        reason="valid boolean"),
    get("report map", "SQL in category (a code to look for)", MAP,
        {"bbox": BOX, "zoom": 12, "category": SQL}, status=200, nothing=True),
    get("nearby reports", "lat NaN", "/api/v1/reports/nearby/",
        {"lat": "nan", "lon": 37.17, "category": "lighting"}, field="lat",
        reason="valid number"),
    get("nearby reports", "lat out of range", "/api/v1/reports/nearby/",
        {"lat": 91, "lon": 37.17, "category": "lighting"}, field="lat",
        reason="less than or equal to 90"),
    get("nearby reports", "a point outside every hromada", "/api/v1/reports/nearby/",
        {"lat": KYIV[0], "lon": KYIV[1], "category": "lighting"}, field="location",
        reason="outside every hromada"),
    get("nearby reports", "SQL in category", "/api/v1/reports/nearby/",
        {"lat": CENTRE[0], "lon": CENTRE[1], "category": SQL}, field="category",
        reason="not a category of"),
    get("place search", "NUL in q", "/api/v1/places/", {"q": "вул\x00"}, field="q",
        reason="NUL character"),
    get("place search", "q too short", "/api/v1/places/", {"q": "ву"}, field="q",
        reason="at least 3"),
    get("place search", "SQL in q (text to look for)", "/api/v1/places/", {"q": SQL},
        status=200, nothing=True),
]  # fmt: skip

MAF = "/api/v1/layers/maf/"
LAND = "/api/v1/layers/land/"
LAYER_FILTERS = [
    get("layer GeoJSON", "in_bbox of NaN", MAF, {"in_bbox": "nan,nan,nan,nan"},
        field="in_bbox", reason="finite numbers"),
    get("layer GeoJSON", "in_bbox off the globe", LAND, {"in_bbox": "-500,-100,500,100"},
        field="in_bbox", reason="within ±180"),
    get("layer GeoJSON", "SQL in in_bbox", LAND, {"in_bbox": SQL}, field="in_bbox",
        reason="four finite numbers"),
    get("layer GeoJSON", "SQL in status", MAF, {"status": SQL}, field="status",
        reason="valid choice"),
    get("layer GeoJSON", "SQL in kind", MAF, {"kind": SQL}, field="kind",
        reason="valid choice"),
    get("layer GeoJSON", "SQL in permit_state", MAF, {"permit_state": SQL},
        field="permit_state", reason="valid choice"),
    get("layer GeoJSON", "SQL in investor_status", LAND, {"investor_status": SQL},
        field="investor_status", reason="valid choice"),
    get("layer GeoJSON", "SQL in ownership", LAND, {"ownership": SQL}, field="ownership",
        reason="valid choice"),
    get("layer GeoJSON", "SQL in page_size", LAND, {"page_size": SQL}, field="page_size",
        reason="whole number"),
    get("layer GeoJSON", "page_size below 1", LAND, {"page_size": -5}, field="page_size",
        reason="at least 1"),
    get("layer GeoJSON", "for_investors=maybe", LAND, {"for_investors": "maybe"},
        field="for_investors", reason="true or false"),
    get("layer GeoJSON", "a page past PostgreSQL's bigint", LAND, {"page": "9" * 30},
        status=404, field="detail", reason="Invalid page"),
    get("layer GeoJSON", "NUL in q", LAND, {"q": "1412\x00"}, field="q",
        reason="NUL character"),
    get("layer GeoJSON", "SQL in q (text to look for)", LAND, {"q": SQL}, status=200,
        nothing=True),
    get("layer GeoJSON", "a LIKE wildcard in q (escaped)", MAF, {"q": "%"}, status=200,
        nothing=True),
    get("layer GeoJSON", "SQL in purpose_code (a code to look for)", LAND,
        {"purpose_code": SQL}, status=200, nothing=True),
    get("layer GeoJSON", "SQL in municipality (a slug to look for)", LAND,
        {"municipality": SQL}, status=200, nothing=True),
    get("layer GeoJSON", "a zone for a quarter", LAND, {"quarter": "1412600000:01"},
        field="quarter", reason="KOATUU:zone:quarter"),
    get("layer GeoJSON", "SQL in quarter", LAND, {"quarter": SQL}, field="quarter",
        reason="KOATUU:zone:quarter"),
    get("layer GeoJSON", "a LIKE wildcard in quarter", LAND, {"quarter": "1412600000:01:%"},
        field="quarter", reason="KOATUU:zone:quarter"),
    get("layer GeoJSON", "SQL as the layer's name", "/api/v1/layers/maf;DROP/", {},
        status=404, field="layer", reason="is not one of"),
    get("identify", "lat NaN", "/api/v1/identify/", {"lat": "nan", "lon": 37.17},
        field="lat", reason="valid number"),
    get("identify", "SQL in lon", "/api/v1/identify/", {"lat": 48.27, "lon": SQL},
        field="lon", reason="valid number"),
]  # fmt: skip

TILES = [
    get("vector tiles", "an unknown layer", "/tiles/parcels/14/9883/5678.mvt", {},
        status=404, field="layer", reason="is not one of"),
    get("vector tiles", "path traversal as the layer", "/tiles/..%2F..%2Fetc/1/0/0.mvt", {},
        status=404, reason="Nothing at"),
    get("vector tiles", "zoom 23", "/tiles/maf/23/0/0.mvt", {}, field="z",
        reason="between 0 and 22"),
    get("vector tiles", "zoom of 20 digits", f"/tiles/maf/{'9' * 20}/0/0.mvt", {},
        field="z", reason="between 0 and 22"),
    get("vector tiles", "x outside the zoom's grid", "/tiles/maf/1/2/0.mvt", {},
        field="x/y", reason="between 0 and 1"),
    get("vector tiles", "y outside the zoom's grid", "/tiles/maf/3/0/8.mvt", {},
        field="x/y", reason="between 0 and 7"),
    get("vector tiles", "a negative x", "/tiles/maf/3/-1/0.mvt", {}, status=404,
        reason="Nothing at"),
    get("vector tiles", "a .pbf suffix (tiles are .mvt)", "/tiles/maf/3/0/0.pbf", {},
        status=404, reason="Nothing at"),
    get("vector tiles", "SQL in municipality", "/tiles/maf/3/0/0.mvt",
        {"municipality": SQL}, status=404, field="municipality", reason="no municipality"),
    get("vector tiles", "NUL in municipality", "/tiles/maf/3/0/0.mvt",
        {"municipality": "\x00"}, field="municipality", reason="NUL character"),
]  # fmt: skip

ITEMS = "/ogc/collections/reports/items"
OGC = [
    get("OGC API", "bbox of NaN", ITEMS, {"bbox": "nan,48,38,49"}, field="bbox",
        reason="four finite numbers"),
    get("OGC API", "SQL in bbox", ITEMS, {"bbox": SQL}, field="bbox",
        reason="as numbers"),
    get("OGC API", "bbox of five numbers", ITEMS, {"bbox": "1,2,3,4,5"}, field="bbox",
        reason="four finite numbers"),
    get("OGC API", "bbox off the globe", ITEMS, {"bbox": "37,48,38,95"}, field="bbox",
        reason="within -180..180"),
    get("OGC API", "bbox across the antimeridian", ITEMS, {"bbox": "170,48,-170,49"},
        field="bbox", reason="antimeridian"),
    get("OGC API", "limit 0", ITEMS, {"limit": 0}, field="limit",
        reason="between 1 and 10000"),
    get("OGC API", "limit of 20 digits", ITEMS, {"limit": "9" * 20}, field="limit",
        reason="between 1 and 10000"),
    get("OGC API", "SQL in limit", ITEMS, {"limit": SQL}, field="limit",
        reason="whole number"),
    get("OGC API", "offset below 0", ITEMS, {"offset": -1}, field="offset",
        reason="between 0 and"),
    get("OGC API", "SQL in datetime", ITEMS, {"datetime": SQL}, field="datetime",
        reason="not an RFC 3339 date-time"),
    get("OGC API", "no such day in datetime", ITEMS, {"datetime": "2026-02-30T10:00:00Z"},
        field="datetime", reason="not an RFC 3339 date-time"),
    get("OGC API", "a datetime interval ending before it starts", ITEMS,
        {"datetime": "2026-05-01T00:00:00Z/2026-01-01T00:00:00Z"}, field="datetime",
        reason="start is after the end"),
    get("OGC API", "NUL in datetime", ITEMS, {"datetime": "\x00"}, field="datetime",
        reason="NUL character"),
    get("OGC API", "SQL as the collection", f"/ogc/collections/reports{SQL}/items", {},
        status=404, reason="No collection"),
    get("OGC API", "SQL as the feature id", f"/ogc/collections/maf/items/1{SQL}", {},
        status=404, reason="No feature"),
]  # fmt: skip

OPEN311_LIST = "/open311/v2/requests.json"


def open311(what: str, changes: dict[str, Any], **more: Any) -> Case:
    """POST requests.json as a GeoReport v2 client sends it (form-encoded, with its key)."""
    fields = {"api_key": "{api_key}", "service_code": "lighting", "description": "Темно.",
              "lat": str(CENTRE[0]), "long": str(CENTRE[1]), **changes}  # fmt: skip
    return Case("Open311", what, "POST", OPEN311_LIST,
                {k: v for k, v in fields.items() if v is not None}, **more)  # fmt: skip


OPEN311 = [
    get("Open311", "no such day in start_date", OPEN311_LIST, {"start_date": "2026-02-30"},
        field="start_date", reason="not a date and time"),
    get("Open311", "SQL in end_date", OPEN311_LIST, {"end_date": SQL}, field="end_date",
        reason="not a date and time"),
    get("Open311", "start_date after end_date", OPEN311_LIST,
        {"start_date": "2026-05-01", "end_date": "2026-01-01"}, field="start_date",
        reason="must not be after"),
    get("Open311", "SQL in status", OPEN311_LIST, {"status": SQL}, field="status",
        reason="open, closed or both"),
    get("Open311", "SQL in service_request_id", OPEN311_LIST, {"service_request_id": SQL},
        field="service_request_id", reason="numbers separated by commas"),
    get("Open311", "SQL in jurisdiction_id", OPEN311_LIST, {"jurisdiction_id": SQL},
        status=404, field="jurisdiction_id", reason="not a hromada served here"),
    get("Open311", "SQL in service_code (a code to look for)", OPEN311_LIST,
        {"service_code": SQL}, status=200, nothing=True),
    open311("no API key", {"api_key": None}, status=403, field="api_key",
            reason="missing, unknown or revoked"),
    open311("lat NaN", {"lat": "nan"}, field="lat", reason="between -90 and 90"),
    open311("lat infinite", {"lat": "1e999"}, field="lat", reason="between -90 and 90"),
    open311("long out of range", {"long": "181"}, field="long",
            reason="between -180 and 180"),
    open311("SQL in lat", {"lat": SQL}, field="lat/long", reason="decimal degrees"),
    open311("lat and long swapped", {"lat": str(CENTRE[1]), "long": str(CENTRE[0])},
            field="lat/long", reason="outside every hromada"),
    open311("a point outside every hromada", {"lat": str(KYIV[0]), "long": str(KYIV[1])},
            field="lat/long", reason="outside every hromada"),
    open311("SQL in address_string", {"lat": None, "long": None, "address_string": SQL},
            field="address_string", reason="not an address known here"),
    open311("an unknown service_code", {"service_code": "volcano"}, field="service_code",
            reason="not a category of"),
    open311("SQL in service_code", {"service_code": SQL}, field="service_code",
            reason="not a category of"),
    open311("a bell in service_code", {"service_code": "light\x07ing"},
            field="service_code", reason="U+0007"),
    open311("an empty description", {"description": ""}, field="description",
            reason="cannot be blank"),
    open311("a description of 5001 characters", {"description": "я" * 5001},
            field="description", reason="at most 5000 characters"),
    open311("a terminal escape in the description", {"description": "Темно\x1b[31m"},
            field="description", reason="U+001B"),
    open311("right-to-left override in the description", {"description": "\u202eТемно"},
            field="description", reason="U+202E"),
    open311("a first_name of 201 characters", {"first_name": "я" * 201},
            field="first_name", reason="at most 200 characters"),
    open311("a malformed email", {"email": "x@y"}, field="email", reason="valid email"),
    open311("SQL in phone", {"phone": SQL}, field="phone", reason="valid value"),
    open311("a javascript: media_url", {"media_url": "javascript:alert(1)"},
            field="media_url", reason="http(s) address"),
    open311("a media_url of 600 characters", {"media_url": "https://example.org/" + "a" * 580},
            field="media_url", reason="at most 500 characters"),
    open311("a device_id of 101 characters", {"device_id": "d" * 101}, field="device_id",
            reason="at most 100 characters"),
    open311("a control character in account_id", {"account_id": "acc\x1bount"},
            field="account_id", reason="U+001B"),
    open311("NUL in the description", {"description": "Темно\x00"}, field="description",
            reason="NUL character"),
    open311("3 MB of text", {"description": "x" * BIG}, status=413,
            reason="larger than 2.5 MB"),
    Case("Open311", "multipart without a boundary", "POST", OPEN311_LIST, body=b"lat=1",
         content_type="multipart/form-data", reason="multipart/form-data body cannot be read"),
    open311("an Idempotency-Key of 129 characters", {}, headers={"Idempotency-Key": "k" * 129},
            field="Idempotency-Key", reason="at most 128 visible ASCII characters"),
    open311("a space in the Idempotency-Key", {}, headers={"Idempotency-Key": "retry 1"},
            field="Idempotency-Key", reason="at most 128 visible ASCII characters"),
]  # fmt: skip


def edit(what: str, changes: dict[str, Any], **more: Any) -> Case:
    """The planner adds a МАФ in the admin (the layers' edit form), geometry as GeoJSON."""
    fields = {"municipality": "{pokrovsk}", "passport_number": "МАФ-2026-900",
              "kind": "kiosk", "purpose": "trade", "status": "active",
              "geometry": point(*LON_LAT), **changes}  # fmt: skip
    return Case("layer edit", what, "POST", "/en/admin/layers/temporarystructure/add/",
                fields, role="planner", **{"status": 200, **more})  # fmt: skip


def point(lon: float | str, lat: float | str) -> str:
    return f'{{"type": "Point", "coordinates": [{lon}, {lat}]}}'


BOWTIE = ('{"type": "Polygon", "coordinates": [[[37.17, 48.27], [37.18, 48.28], '
          '[37.18, 48.27], [37.17, 48.28], [37.17, 48.27]]]}')  # fmt: skip

LAYER_EDIT = [
    edit("malformed GeoJSON", {"geometry": '{"type": "Point", "coordinates": [37.1'},
         field="geometry", reason="Invalid geometry value"),
    edit("a point without coordinates", {"geometry": '{"type": "Point", "coordinates": []}'},
         field="geometry", reason="Invalid geometry value"),
    edit("NaN coordinates", {"geometry": point("NaN", 48.27)}, field="geometry",
         reason="empty"),
    edit("infinite coordinates", {"geometry": point("1e999", 48.27)}, field="geometry",
         reason="not valid"),
    edit("longitude 500", {"geometry": point(500, 48.27)}, field="geometry",
         reason="outside the municipality"),
    edit("lat and lon swapped", {"geometry": point(LON_LAT[1], LON_LAT[0])},
         field="geometry", reason="outside the municipality"),
    edit("a point in Kyiv", {"geometry": point(KYIV[1], KYIV[0])}, field="geometry",
         reason="outside the municipality"),
    edit("a self-intersecting polygon", {"geometry": BOWTIE}, field="geometry",
         reason="Self-intersection"),
    edit("a line where a point or polygon belongs",
         {"geometry": '{"type": "LineString", "coordinates": [[37.17, 48.27], [37.18, 48.28]]}'},
         field="geometry", reason="LineString"),
    edit("SQL after WKT", {"geometry": f"POINT(37.17 48.27){SQL}"}, field="geometry",
         reason="Invalid geometry value"),
    edit("a passport number of 65 characters", {"passport_number": "М" * 65},
         field="passport_number", reason="at most 64 characters"),
    edit("SQL in the owner's code", {"owner_code": SQL}, field="owner_code",
         reason="ЄДРПОУ"),
    edit("SQL in the kind", {"kind": SQL}, field="kind", reason="valid choice"),
    edit("NaN as the area", {"area_m2": "NaN"}, field="area_m2", reason="Enter a number"),
    edit("3 MB of GeoJSON", {"geometry": '{"type": "MultiPoint", "coordinates": ['
                             + "[37.17, 48.27]," * (BIG // 15) + "[37.17, 48.27]]}"},
         status=413, reason="Bad Request"),
]  # fmt: skip

CASES = REPORT_API + REPORT_FORM + DISPUTE_FORM + REPORT_FILTERS + LAYER_FILTERS + TILES + OGC
CASES += OPEN311 + LAYER_EDIT + STAFF_ACTIONS


def send(case: Case, world: World) -> Answer:
    client = client_for(world, case.role)
    path = world.fill(case.path)
    headers = case.headers
    if case.body is not None:
        return client.generic(case.method, path, case.body, content_type=case.content_type,
                              headers=headers)  # fmt: skip
    params = {name: world.fill(value) if isinstance(value, str) else value
              for name, value in case.params.items()}  # fmt: skip
    if case.method == "GET":
        return client.get(path, params, headers=headers)
    return client.post(path, params, headers=headers)


def matched(response: Answer) -> int:
    body = json.loads(response.content)
    if isinstance(body, list):
        return len(body)
    return int(body.get("count", body.get("numberMatched", body.get("total", -1))))


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_bad_input_is_refused_and_nothing_is_written(world: World, media_root: Path, case: Case):
    before = footprint(media_root)
    response = send(case, world)
    shown = text_of(response)[:600]
    assert response.status_code == case.status, shown
    if case.field is not None:
        assert names(response, case.field), f"{case.field} is not named: {shown}"
    assert case.reason in text_of(response), shown
    if case.nothing:
        assert matched(response) == 0, shown
    assert footprint(media_root) == before
