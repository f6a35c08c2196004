"""OGC API – Features Part 2: features read in another CRS (`crs`), boxes given in one
(`bbox-crs`), in each CRS's own axis order; the expected coordinates come from pyproj."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest
from pyproj import Transformer

from geoportal.ogc import crs
from tests.ogc.test_features import ROOT, page_of, plots
from tests.reports.conftest import file_report

EPSG = crs.EPSG_PREFIX
ITEMS = f"{ROOT}/collections/land/items"
CORNER = (37.170, 48.275)  # the first plot's south-west corner (test_features.plots)


def _corner(feature: dict[str, Any]) -> list[float]:
    """The south-west corner as the answer writes it (Polygon.from_bbox starts there)."""
    geometry = feature["geometry"]
    ring = geometry["coordinates"][0][0]
    return list(ring[0])


# (crs, the corner in that CRS's axis order from pyproj, tolerance in its units)
def _expected(code: int) -> tuple[float, float]:
    x, y = Transformer.from_crs(4326, code, always_xy=True).transform(*CORNER)
    return (y, x) if crs.parse(f"EPSG:{code}", "crs").northing_first else (x, y)


CASES = [
    pytest.param(None, CORNER, 1e-9, id="CRS84-default"),
    pytest.param(crs.CRS84, CORNER, 1e-9, id="CRS84"),
    pytest.param(f"{EPSG}4326", (CORNER[1], CORNER[0]), 1e-9, id="EPSG4326-lat-lon"),
    pytest.param(f"{EPSG}3857", _expected(3857), 0.01, id="EPSG3857"),
    pytest.param(f"{EPSG}6385", _expected(6385), 0.01, id="UCS2000-TM11-north-east"),
    pytest.param(f"{EPSG}5564", _expected(5564), 0.01, id="UCS2000-GK6"),
]


@pytest.mark.parametrize(("asked", "corner", "tolerance"), CASES)
def test_items_and_an_item_in_the_crs_asked_for(client, pokrovsk, asked, corner, tolerance):
    made = plots(pokrovsk, 2)
    query = {"crs": asked} if asked else {}
    answer = client.get(ITEMS, query)
    page = page_of(answer)
    assert answer["Content-Crs"] == f"<{asked or crs.CRS84}>"
    first = next(f for f in page["features"] if f["id"] == made[0].pk)
    assert _corner(first) == pytest.approx(list(corner), abs=tolerance)
    assert first["properties"]["cadastral_number"] == made[0].cadastral_number
    self_link = next(ln["href"] for ln in page["links"] if ln["rel"] == "self")
    assert not asked or "crs=" in self_link  # the next page stays in the same CRS
    one = client.get(f"{ITEMS}/{made[0].pk}", query)
    assert one.status_code == 200 and one["Content-Crs"] == f"<{asked or crs.CRS84}>"
    assert _corner(one.json()) == pytest.approx(list(corner), abs=tolerance)


def test_a_box_in_another_crs_selects_what_the_same_box_in_crs84_does(client, pokrovsk):
    made = plots(pokrovsk, 7)
    west, south, east, north = 37.1695, 48.27, 37.1745, 48.28
    in_crs84 = page_of(client.get(ITEMS, {"bbox": f"{west},{south},{east},{north}"}))
    to_tm = Transformer.from_crs(4326, 6385, always_xy=True)
    (e1, n1), (e2, n2) = to_tm.transform(west, south), to_tm.transform(east, north)
    # Northing first, as EPSG:6385's axes are; the box grown by 1 m against rounding.
    in_tm = page_of(client.get(ITEMS, {"bbox": f"{n1 - 1},{e1 - 1},{n2 + 1},{e2 + 1}",
                                       "bbox-crs": f"{EPSG}6385"}))  # fmt: skip
    expected = [p.pk for p in made[:3]]
    assert [f["id"] for f in in_crs84["features"]] == expected
    assert [f["id"] for f in in_tm["features"]] == expected
    in_latlon = page_of(client.get(ITEMS, {"bbox": f"{south},{west},{north},{east}",
                                           "bbox-crs": f"{EPSG}4326"}))  # fmt: skip
    assert [f["id"] for f in in_latlon["features"]] == expected


def test_reports_in_another_crs(client, pokrovsk, moderator):
    report = file_report()
    report.approve(moderator)
    answer = client.get(f"{ROOT}/collections/reports/items", {"crs": f"{EPSG}6385"})
    feature = page_of(answer)["features"][0]
    expected = _point(report.point.x, report.point.y, 6385)
    assert feature["geometry"]["coordinates"] == pytest.approx(list(expected), abs=0.01)


def _point(lon: float, lat: float, code: int) -> tuple[float, float]:
    x, y = Transformer.from_crs(4326, code, always_xy=True).transform(lon, lat)
    return y, x  # EPSG:6385: northing, easting


def test_collections_name_their_crs_and_the_storage_crs(client, pokrovsk):
    land = client.get(f"{ROOT}/collections/land").json()
    assert land["storageCrs"] == crs.CRS84
    assert land["crs"][0] == crs.CRS84
    assert {f"{EPSG}{code}" for code in (4326, 3857, 6381, 6387, 5562, 5565)} <= set(land["crs"])
    conformance = client.get(f"{ROOT}/conformance").json()["conformsTo"]
    assert "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs" in conformance


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ({"crs": "EPSG:2000"}, "crs"),
        ({"crs": "http://www.opengis.net/def/crs/EPSG/0/999999"}, "crs"),
        ({"crs": "<script>"}, "crs"),
        ({"bbox-crs": "urn:ogc:def:crs:EPSG::28407", "bbox": "1,2,3,4"}, "bbox-crs"),
        ({"bbox-crs": f"{EPSG}6385", "bbox": "1,2,3"}, "bbox"),
        ({"bbox-crs": f"{EPSG}6385", "bbox": "5,1,4,2"}, "bbox"),  # north below south
        ({"bbox-crs": f"{EPSG}3857", "bbox": "0,0,1e30,1e30"}, "bbox"),
        ({"bbox-crs": f"{EPSG}4326", "bbox": "48,37,91,38"}, "bbox"),  # latitude 91
        ({"bbox-crs": f"{EPSG}6385", "bbox": "0,0,1e9,1e9"}, "bbox"),
    ],
)
def test_bad_crs_parameters_are_400_naming_them(client, pokrovsk, query, parameter):
    answer = client.get(ITEMS, query)
    assert answer.status_code == 400, answer.content[:200]
    body = json.loads(answer.content)
    assert body["description"].startswith(f"{parameter}:"), body
    item = client.get(f"{ITEMS}/1", {"crs": query["crs"]}) if "crs" in query else None
    assert item is None or item.status_code == 400


READ_IN_TM = """
import sys, pyogrio
frame = pyogrio.read_dataframe("OAPIF:" + sys.argv[1], layer="land", CRS="EPSG:6385",
                               bbox=(float(sys.argv[2]), float(sys.argv[3]),
                                     float(sys.argv[4]), float(sys.argv[5])))
print(frame.crs.to_epsg())
for number, geometry in zip(frame["cadastral_number"], frame.geometry):
    x, y = geometry.exterior.coords[0] if geometry.geom_type == "Polygon" else (
        geometry.geoms[0].exterior.coords[0])
    print(number, repr(x), repr(y))
"""


@pytest.mark.django_db(transaction=True)
def test_gdal_reads_a_collection_in_ucs2000_tm(live_server, pokrovsk):
    """GDAL 3.12 (pyogrio's) asks for EPSG:6385 with crs= and bbox-crs=, and reads the
    coordinates in that CRS's axis order: the plots land where pyproj puts them. Debian's
    GDAL 3.6 has no CRS option for OAPIF; a fresh process keeps the app's GDAL settings
    for untrusted files (no network) out of it."""
    made = plots(pokrovsk, 3)
    to_tm = Transformer.from_crs(4326, 6385, always_xy=True)
    (e1, n1), (e2, n2) = to_tm.transform(37.1695, 48.27), to_tm.transform(37.1725, 48.28)
    lines = subprocess.run(
        [sys.executable, "-c", READ_IN_TM, f"{live_server.url}/ogc",
         str(e1), str(n1), str(e2), str(n2)],
        capture_output=True, text=True, timeout=120, check=True,
    ).stdout.split("\n")  # fmt: skip
    assert lines[0] == "6385"
    read = {number: (float(x), float(y)) for number, x, y in
            (line.split() for line in lines[1:] if line)}  # fmt: skip
    assert sorted(read) == [p.cadastral_number for p in made[:2]]  # the third is east of it
    first = made[0].geometry[0].exterior_ring.coords[0]
    assert read[made[0].cadastral_number] == pytest.approx(to_tm.transform(*first), abs=0.01)
