"""Open311 GeoReport v2: every endpoint in XML and JSON, the errors of the spec, filing
through the same intake as the web, and the PyPI client `georeport` on the live server."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client

from geoportal.municipalities.working_days import KYIV
from geoportal.open311.models import ApiKey, Open311Request
from geoportal.reports.models import Report
from tests.reports.conftest import CENTRE, file_report

BASE = "/open311/v2"
FORMATS = ["json", "xml"]
# The element structure of GeoReport v2 (wiki.open311.org/GeoReport_v2), document by document.
REQUEST_ELEMENTS = {"service_request_id", "status", "status_notes", "service_name",
                    "service_code", "description", "agency_responsible", "service_notice",
                    "requested_datetime", "updated_datetime", "expected_datetime", "address",
                    "address_id", "zipcode", "lat", "long", "media_url"}  # fmt: skip
STRUCTURE = {
    "discovery": {"changeset", "contact", "key_service", "endpoints"},
    "endpoint": {"specification", "url", "changeset", "type", "formats"},
    "service": {"service_code", "service_name", "description", "metadata", "type", "keywords",
                "group"},
    "service_definition": {"service_code", "attributes"},
    "error": {"code", "description"},
}  # fmt: skip


def parse(response) -> Any:
    body = response.content
    if response["Content-Type"].startswith("text/xml"):
        return ET.fromstring(body)  # noqa: S314 (our own server's answer, in a test)
    return json.loads(body)


def children(element) -> list[str]:
    return [child.tag for child in element]


def post(client: Client, fmt: str = "json", **fields):
    form = {"service_code": "lighting", "lat": CENTRE[0], "long": CENTRE[1],
            "description": "Не горить ліхтар біля школи"}  # fmt: skip
    form.update(fields)
    return client.post(f"{BASE}/requests.{fmt}", {k: v for k, v in form.items() if v is not None},
                       **{k: v for k, v in fields.items() if k.startswith("HTTP_")})  # fmt: skip


@pytest.fixture
def public(pokrovsk, moderator, worker_zhkg):
    report = file_report(
        reporter_email="private.marker@example.org", reporter_phone="+380671112233"
    )
    report.approve(moderator)
    report.accept(worker_zhkg)
    report.resolve(worker_zhkg, "Лампу замінено")
    return report


@pytest.mark.parametrize("fmt", FORMATS)
def test_discovery_and_services(pokrovsk, client, fmt):
    discovery = parse(client.get(f"{BASE}/discovery.{fmt}"))
    services = parse(client.get(f"{BASE}/services.{fmt}", {"jurisdiction_id": "pokrovsk"}))
    definition = parse(client.get(f"{BASE}/services/lighting.{fmt}"))
    if fmt == "xml":
        assert discovery.tag == "discovery" and set(children(discovery)) == STRUCTURE["discovery"]
        endpoint = discovery.find("endpoints/endpoint")
        assert set(children(endpoint)) == STRUCTURE["endpoint"]
        assert [f.text for f in endpoint.find("formats")] == ["text/xml", "application/json"]
        assert services.tag == "services"
        assert all(set(children(s)) == STRUCTURE["service"] for s in services)
        codes = [s.findtext("service_code") for s in services]
        assert definition.tag == "service_definition"
        assert set(children(definition)) == STRUCTURE["service_definition"]
    else:
        assert set(discovery) == STRUCTURE["discovery"]
        assert discovery["endpoints"][0]["formats"] == ["text/xml", "application/json"]
        assert all(set(s) == STRUCTURE["service"] for s in services)
        codes = [s["service_code"] for s in services]
        assert definition == {"service_code": "lighting", "attributes": []}
    # The categories of DOMAIN.md, with stable codes.
    assert codes[:3] == ["roads", "lighting", "waste"] and len(codes) == 16


@pytest.mark.parametrize("fmt", FORMATS)
def test_requests_and_one_request(public, client, fmt):
    listed = parse(client.get(f"{BASE}/requests.{fmt}"))
    one = parse(client.get(f"{BASE}/requests/{public.pk}.{fmt}"))
    if fmt == "xml":
        assert listed.tag == "service_requests"
        record = {child.tag: child.text for child in listed[0]}
        assert set(children(listed[0])) == REQUEST_ELEMENTS
        assert {child.tag: child.text for child in one[0]} == record
    else:
        record = listed[0]
        assert set(record) == REQUEST_ELEMENTS and one == [record]
    assert str(record["service_request_id"]) == str(public.pk)
    assert (record["status"], record["status_notes"]) == ("closed", "Лампу замінено")
    assert record["agency_responsible"] == "Житлово-комунальний відділ"  # Ukrainian by default
    # ISO 8601 with the offset.
    assert datetime.fromisoformat(record["requested_datetime"]).utcoffset() is not None


def test_open_reports_have_their_expected_time(pokrovsk, moderator, client):
    report = file_report()
    report.approve(moderator)
    record = parse(client.get(f"{BASE}/requests/{report.pk}.json"))[0]
    assert record["status"] == "open"
    assert datetime.fromisoformat(record["expected_datetime"]) == report.answer_due_at


def test_filters_and_the_90_day_default(pokrovsk, moderator, client):
    with time_machine.travel(datetime(2026, 6, 1, 10, tzinfo=KYIV), tick=False):
        old = file_report(title="Давнє")
        old.approve(moderator)
    with time_machine.travel(datetime(2026, 11, 20, 10, tzinfo=KYIV), tick=False):
        new = file_report(title="Нове", category="roads")
        new.approve(moderator)

        def ids(**query):
            found = parse(client.get(f"{BASE}/requests.json", query))
            return [record["service_request_id"] for record in found]

        assert ids() == [new.pk]  # the last 90 days by default
        assert ids(start_date="2026-05-01T00:00:00+03:00") == [old.pk]  # 90 days from the start
        assert ids(start_date="2026-05-01", end_date="2026-12-01") == [new.pk, old.pk]
        assert ids(service_request_id=f"{old.pk},{new.pk}") == [new.pk, old.pk]
        assert ids(service_code="roads") == [new.pk]
        assert ids(status="closed") == []
        assert ids(status="open") == [new.pk]


@pytest.mark.parametrize("fmt", FORMATS)
def test_post_then_get_round_trip(pokrovsk, client, api_key, fmt):
    answer = post(client, fmt, api_key=api_key, email="private.marker@example.org",
                  first_name="Олена", last_name="Маркер", phone="+380671112233",
                  media_url="https://example.org/photo.jpg")  # fmt: skip
    assert answer.status_code == 201
    created = parse(answer)
    if fmt == "xml":
        number = int(created.findtext("request/service_request_id"))
        token = created.findtext("request/token")
    else:
        number, token = created[0]["service_request_id"], created[0]["token"]
    report = Report.objects.get(pk=number)
    assert (report.state, report.category.code, report.reporter_email) == (
        "new",
        "lighting",
        "private.marker@example.org",
    )
    assert report.events.get().action == "submit"  # the same procedure as the web
    # Not public before moderation; the client that filed it may read it back.
    assert client.get(f"{BASE}/requests/{number}.{fmt}").status_code == 404
    mine = client.get(f"{BASE}/requests/{number}.json", {"api_key": api_key})
    assert mine.status_code == 200
    assert parse(mine)[0]["media_url"] == "https://example.org/photo.jpg"
    by_token = parse(client.get(f"{BASE}/tokens/{token}.json"))
    assert by_token == [{"service_request_id": number, "token": token}]
    text = mine.content.decode()
    for private in ("private.marker", "Маркер", "380671112233"):
        assert private not in text


def test_a_retried_post_with_the_same_key_makes_one_report(pokrovsk, client, api_key):
    first = post(client, api_key=api_key, HTTP_IDEMPOTENCY_KEY="open311-retry-1")
    again = post(client, api_key=api_key, HTTP_IDEMPOTENCY_KEY="open311-retry-1")
    assert (first.status_code, again.status_code) == (201, 200)
    assert parse(first)[0]["service_request_id"] == parse(again)[0]["service_request_id"]
    assert Report.objects.count() == Open311Request.objects.count() == 1


def test_an_address_known_here_places_the_report(pokrovsk, client, api_key, kiosk):
    answer = post(client, api_key=api_key, lat=None, long=None,
                  address_string="вул. Центральна, 1")  # fmt: skip
    report = Report.objects.get(pk=parse(answer)[0]["service_request_id"])
    assert report.point.equals_exact(kiosk.geometry, 1e-6)


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    ("fields", "status", "says"),
    [
        ({"api_key": None}, 403, "api_key"),
        ({"api_key": "wrong-key"}, 403, "api_key"),
        ({"lat": 50.45, "long": 30.52}, 400, "lat/long"),  # Kyiv: outside every hromada
        ({"lat": "north"}, 400, "lat/long"),
        ({"lat": None, "long": None}, 400, "lat/long"),
        ({"lat": None, "long": None, "address_string": "вул. Неіснуюча, 99"}, 400, "address"),
        ({"service_code": "teleport"}, 400, "service_code"),
        ({"description": ""}, 400, "description"),
        ({"media_url": "javascript:alert(1)"}, 400, "media_url"),
        ({"jurisdiction_id": "pokrov"}, 400, "jurisdiction_id"),
        ({"jurisdiction_id": "atlantis"}, 404, "jurisdiction_id"),
    ],
)
def test_post_errors_as_the_spec_says(pokrovsk, pokrov, client, api_key, fmt, fields, status, says):
    fields = {"api_key": api_key, **fields}
    answer = post(client, fmt, **fields)
    assert answer.status_code == status
    document = parse(answer)
    if fmt == "xml":
        assert document.tag == "errors"
        error = document.find("error")
        assert set(children(error)) == STRUCTURE["error"] and error.findtext("code") == str(status)
        description = error.findtext("description")
    else:
        assert set(document[0]) == STRUCTURE["error"] and document[0]["code"] == status
        description = document[0]["description"]
    assert says in description
    assert not Report.objects.exists()


@pytest.mark.parametrize(
    ("path", "query", "status"),
    [
        ("services/teleport.json", {}, 404),
        ("services.json", {"jurisdiction_id": "atlantis"}, 404),
        ("requests.json", {"status": "pending"}, 400),
        ("requests.json", {"start_date": "yesterday"}, 400),
        ("requests.json", {"service_request_id": "1,a"}, 400),
        ("requests.json", {"start_date": "2026-11-20", "end_date": "2026-11-01"}, 400),
        ("requests/999999.json", {}, 404),
        ("tokens/nope.json", {}, 404),
        ("reports.json", {}, 404),
    ],
)
def test_get_errors(pokrovsk, client, path, query, status):
    answer = client.get(f"{BASE}/{path}", query)
    assert answer.status_code == status
    assert parse(answer)[0]["code"] == status


def test_a_revoked_key_is_refused(pokrovsk, client, api_key):
    ApiKey.objects.get().revoke()
    assert post(client, api_key=api_key).status_code == 403


@pytest.mark.django_db(transaction=True)
def test_the_georeport_client_reads_the_live_server(live_server, pokrovsk, moderator, worker_zhkg):
    from georeport import GeoReport

    report = file_report()
    report.approve(moderator)
    for fmt in FORMATS:
        client = GeoReport(f"{live_server.url}{BASE}", jurisdiction="pokrovsk", output_format=fmt)
        services = client.get_service_list()
        assert [s["service_code"] for s in services][:2] == ["roads", "lighting"]
        definition = client.get_service_definition("lighting")
        assert definition["service_code"] == "lighting"
        listed = client.get_service_requests()  # one request: xmltodict gives a dict, not a list
        assert str(report.pk) in json.dumps(listed, ensure_ascii=False)
        one = client.get_service_request(str(report.pk))
        assert str(report.pk) in json.dumps(one) and "private" not in json.dumps(one)


def test_a_request_older_than_the_window_can_still_be_read_by_id(pokrovsk, moderator, client):
    report = file_report()
    report.approve(moderator)
    Report.objects.filter(pk=report.pk).update(created_at=report.created_at - timedelta(days=400))
    assert client.get(f"{BASE}/requests/{report.pk}.json").status_code == 200
