"""OGC API – Features: the documents of Part 1, paging, filters, HTML, and GDAL's own
OAPIF client (ogrinfo, ogr2ogr) against the live server."""

from __future__ import annotations

import json
import subprocess
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyogrio
import pytest
from django.contrib.gis.geos import MultiPolygon, Polygon

from layers.models import LandPlot
from tests.reports.conftest import file_report

ROOT = "/ogc"


def page_of(response: Any) -> dict[str, Any]:
    """A page of items, which the server streams a chunk of features at a time."""
    assert response.status_code == 200 and response.streaming
    return dict(json.loads(b"".join(response.streaming_content)))


def plots(pokrovsk, count: int) -> list[LandPlot]:
    """A row of small plots going east from the centre, 0.002° apart."""
    made = []
    for n in range(count):
        west = 37.170 + n * 0.002
        made.append(
            LandPlot.objects.create(
                municipality=pokrovsk,
                geometry=MultiPolygon(Polygon.from_bbox((west, 48.275, west + 0.001, 48.276)),
                                      srid=4326),
                cadastral_number=f"1412600000:01:002:{n + 1:04d}",
                purpose_code="02.01", ownership="200", area_ha=Decimal("0.1000") + n,
                investor_status="free" if n % 2 else "leased", lease_until=date(2030, 1, n + 1),
            )
        )  # fmt: skip
    return made


def test_landing_conformance_and_collections(client, pokrovsk):
    landing = client.get(f"{ROOT}/").json()
    rels = {link["rel"]: link["href"] for link in landing["links"]}
    assert {"self", "service-desc", "conformance", "data"} <= set(rels)
    assert rels["data"].endswith("/ogc/collections")
    conformance = client.get(f"{ROOT}/conformance").json()["conformsTo"]
    assert "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson" in conformance
    listed = client.get(f"{ROOT}/collections").json()["collections"]
    assert [c["id"] for c in listed] == [
        "maf", "advertising", "land", "zoning", "reports", "permit-applications",
    ]  # fmt: skip
    land = client.get(f"{ROOT}/collections/land").json()
    west, south, east, north = land["extent"]["spatial"]["bbox"][0]
    assert west < 37.1772 < east and south < 48.2771 < north  # Pokrovsk's boundary
    assert any(
        ln["rel"] == "items" and ln["type"] == "application/geo+json" for ln in land["links"]
    )
    api = client.get(f"{ROOT}/api")
    assert api["Content-Type"].startswith("application/vnd.oai.openapi+json")
    assert "/collections/{collectionId}/items" in api.json()["paths"]


def test_items_page_with_next_links_and_a_bbox(client, pokrovsk):
    made = plots(pokrovsk, 7)
    first = client.get(f"{ROOT}/collections/land/items", {"limit": 3})
    assert first["Content-Type"] == "application/geo+json"
    page = page_of(first)
    assert (page["numberMatched"], page["numberReturned"]) == (7, 3)
    following = next(ln["href"] for ln in page["links"] if ln["rel"] == "next")
    second = page_of(client.get(following.replace("http://testserver", "")))
    assert [f["id"] for f in second["features"]] == [p.pk for p in made[3:6]]
    last = page_of(client.get(f"{ROOT}/collections/land/items", {"limit": 3, "offset": 6}))
    assert not any(ln["rel"] == "next" for ln in last["links"])
    assert any(ln["rel"] == "prev" for ln in last["links"])
    boxed = page_of(client.get(f"{ROOT}/collections/land/items",
                               {"bbox": "37.1695,48.27,37.1745,48.28"}))  # fmt: skip
    assert [f["properties"]["cadastral_number"] for f in boxed["features"]] == [
        "1412600000:01:002:0001", "1412600000:01:002:0002", "1412600000:01:002:0003",
    ]  # fmt: skip
    one = client.get(f"{ROOT}/collections/land/items/{made[0].pk}").json()
    assert one["type"] == "Feature" and one["properties"]["area_ha"] == 0.1
    assert "user_name" not in one["properties"]  # the lessee's name is not public


def test_reports_by_datetime_without_personal_data(client, pokrovsk, moderator):
    report = file_report(reporter_email="ogc.private@example.org")
    report.approve(moderator)
    file_report(title="Ще на модерації")  # not public
    everything = page_of(client.get(f"{ROOT}/collections/reports/items"))
    assert [f["id"] for f in everything["features"]] == [report.pk]
    assert "ogc.private" not in str(everything)
    year = report.created_at.year
    inside = page_of(client.get(f"{ROOT}/collections/reports/items",
                                {"datetime": f"{year}-01-01T00:00:00Z/.."}))  # fmt: skip
    before = page_of(client.get(f"{ROOT}/collections/reports/items",
                                {"datetime": "../2000-01-01T00:00:00Z"}))  # fmt: skip
    assert (inside["numberMatched"], before["numberMatched"]) == (1, 0)


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ({"limit": "0"}, "limit"),
        ({"limit": "many"}, "limit"),
        ({"offset": "-1"}, "offset"),
        ({"bbox": "1,2,3"}, "bbox"),
        ({"bbox": "37,48,36,49"}, "bbox"),
        ({"bbox": "nan,1,2,3"}, "bbox"),
        ({"datetime": "yesterday"}, "datetime"),
        ({"datetime": "2026-02-01T00:00:00Z/2026-01-01T00:00:00Z"}, "datetime"),
    ],
)
def test_bad_parameters_are_400_naming_them(client, pokrovsk, query, parameter):
    answer = client.get(f"{ROOT}/collections/reports/items", query)
    assert answer.status_code == 400
    assert answer.json()["description"].startswith(f"{parameter}:")


def test_unknown_collections_and_features_are_404(client, pokrovsk):
    for path in ("/collections/parks", "/collections/parks/items", "/collections/land/items/99",
                 "/collections/land/items/abc"):  # fmt: skip
        answer = client.get(f"{ROOT}{path}")
        assert answer.status_code == 404 and answer.json()["code"] == "NotFound", path


def test_html_for_browsers(client, pokrovsk, kiosk):
    for path in ("/", "/conformance", "/collections", "/collections/maf",
                 "/collections/maf/items", f"/collections/maf/items/{kiosk.pk}"):  # fmt: skip
        page = client.get(f"{ROOT}{path}", {"f": "html"})
        assert page.status_code == 200 and page["Content-Type"].startswith("text/html"), path
    assert (
        "МАФ-2026-001"
        in client.get(f"{ROOT}/collections/maf/items/{kiosk.pk}?f=html").content.decode()
    )


@pytest.mark.django_db(transaction=True)
def test_gdal_lists_the_collections_and_copies_a_box_page_by_page(
    live_server, pokrovsk, tmp_path: Path
):
    made = plots(pokrovsk, 7)
    listing = subprocess.run(
        ["ogrinfo", "-ro", "-q", f"OAPIF:{live_server.url}/ogc"],
        capture_output=True, text=True, timeout=120, check=True,
    ).stdout  # fmt: skip
    for name in ("maf", "advertising", "land", "zoning", "reports"):
        assert f": {name} (" in listing
    out = tmp_path / "land.gpkg"
    subprocess.run(
        ["ogr2ogr", "-f", "GPKG", str(out), f"OAPIF:{live_server.url}/ogc", "land",
         "-spat", "37.1695", "48.27", "37.1805", "48.28", "-oo", "PAGE_SIZE=2"],
        capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    copied = pyogrio.read_dataframe(out).sort_values("cadastral_number")
    # Six of the seven plots lie in the box; pages of two: three pages and more.
    assert list(copied["cadastral_number"]) == [p.cadastral_number for p in made[:6]]
    assert list(copied["area_ha"]) == [float(p.area_ha or 0) for p in made[:6]]
    assert list(copied["investor_status"]) == [p.investor_status for p in made[:6]]
    assert {str(d)[:10] for d in copied["lease_until"]} == {f"2030-01-0{n}" for n in range(1, 7)}
    expected = {"municipality", "cadastral_number", "katotth", "category", "purpose_code",
                "purpose_text", "ownership", "area_ha", "lease_until", "normative_valuation",
                "investor_status"}  # fmt: skip
    assert expected <= set(copied.columns)
