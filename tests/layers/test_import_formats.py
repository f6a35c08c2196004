"""Honest files of every format a layer import accepts, as the programs planners use
write them, pass the checks that refuse hostile ones (tests/security/
test_hostile_layer_files.py): one table, each file through the admin's upload page and
through import_layer, and each imports its one МАФ where it lies.

The files are written here by GDAL (as QGIS and ogr2ogr write them) or by hand in the
shape other programs give them: a GeoJSON of the 2008 specification with a named "crs"
(QGIS 2, old ogr2ogr), a Google Earth KML with its styles inside the file, a Shapefile
zipped on Windows with upper-case names in a folder beside a readme, zipped on a Mac with
__MACOSX entries, and a .shp.xml metadata file.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from io import StringIO
from pathlib import Path

import geopandas as gpd
import pyogrio
import pytest
import shapely
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.utils import translation
from pyproj import Transformer

from geoportal.accounts.models import User
from geoportal.municipalities.models import Municipality
from layers.models import TemporaryStructure
from tests.archives import zipped
from tests.layers.conftest import CENTRE, importer

Files = dict[str, bytes]  # name -> content; the first is the dataset


def frame(passport: str = "МАФ-1") -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"passport_number": [passport], "kind": ["kiosk"]},
                            geometry=[shapely.Point(*CENTRE)], crs=4326)  # fmt: skip


def by_gdal(driver: str, suffix: str, **options: object) -> Callable[[Path], Files]:
    def make(tmp: Path) -> Files:
        path = tmp / f"maf{suffix}"
        pyogrio.write_dataframe(frame(), path, driver=driver, **options)
        return {path.name: path.read_bytes()}

    return make


def shapefile(names: Callable[[str], str], extra: Files | None = None) -> Callable[[Path], Files]:
    """A Shapefile in cp1251 (as the State Land Cadastre gives them), its parts renamed."""

    def make(tmp: Path) -> Files:
        folder = tmp / "shp"
        folder.mkdir()
        data = frame().rename(columns={"passport_number": "passport"})
        pyogrio.write_dataframe(data, folder / "maf.shp", encoding="cp1251")
        parts = {names(p.name): p.read_bytes() for p in sorted(folder.iterdir())}
        shp = next(name for name in parts if name.lower().endswith(".shp"))
        return {shp: parts.pop(shp), **parts, **(extra or {})}

    return make


def geojson_2008(tmp: Path) -> Files:
    """Coordinates in UCS-2000 / Ukraine TM zone 11 (EPSG:6385), named by its URN."""
    x, y = Transformer.from_crs(4326, 6385, always_xy=True).transform(*CENTRE)
    document = {
        "type": "FeatureCollection",
        "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::6385"}},
        "features": [{"type": "Feature", "properties": {"passport_number": "МАФ-1"},
                      "geometry": {"type": "Point", "coordinates": [x, y]}}],
    }  # fmt: skip
    return {"maf.geojson": json.dumps(document, ensure_ascii=False).encode()}


def google_earth_kml(tmp: Path) -> Files:
    lon, lat = CENTRE
    return {
        "maf.kml": f"""<?xml version="1.0" encoding="UTF-8"?>
<kml xmlns="http://www.opengis.net/kml/2.2" xmlns:gx="http://www.google.com/kml/ext/2.2">
<Document><name>МАФ</name>
  <Style id="kiosk"><LineStyle><color>ff0000ff</color></LineStyle></Style>
  <StyleMap id="kiosk-map"><Pair><key>normal</key><styleUrl>#kiosk</styleUrl></Pair></StyleMap>
  <Placemark><name>МАФ-1</name><styleUrl>#kiosk-map</styleUrl>
    <description><![CDATA[Кіоск біля зупинки, див. https://pokrovsk-rada.gov.ua]]></description>
    <Point><coordinates>{lon},{lat},0</coordinates></Point></Placemark>
</Document></kml>""".encode()
    }


def csv_with_side_files(tmp: Path) -> Files:
    lon, lat = CENTRE
    return {"maf.csv": f'passport_number,kind,WKT\nМАФ-1,kiosk,"POINT ({lon} {lat})"\n'.encode(),
            "maf.csvt": b'"String","String","WKT"',
            "maf.prj": pyogrio_wkt(4326).encode()}  # fmt: skip


def pyogrio_wkt(epsg: int) -> str:
    from pyproj import CRS

    return CRS.from_epsg(epsg).to_wkt("WKT1_ESRI")


@dataclass(frozen=True)
class Honest:
    what: str
    make: Callable[[Path], Files]
    zip: bool = False
    mapping: tuple[str, ...] = ()  # --map for the command; the page guesses the same


HONEST = [
    Honest("a GeoPackage written by GDAL (with its spatial index)", by_gdal("GPKG", ".gpkg")),
    Honest("a GeoJSON written by GDAL", by_gdal("GeoJSON", ".geojson")),
    Honest("a GeoJSON of 2008 with a named crs in UCS-2000 TM 11", geojson_2008),
    Honest("a .json GeoJSON", by_gdal("GeoJSON", ".json")),
    Honest("a GeoJSON with a property named crs", lambda tmp: {"maf.geojson": json.dumps({
        "type": "FeatureCollection", "features": [{"type": "Feature", "geometry": {
            "type": "Point", "coordinates": list(CENTRE)},
            "properties": {"passport_number": "МАФ-1", "crs": "УСК-2000"}}]},
        ensure_ascii=False).encode()}),
    Honest("a FlatGeobuf written by GDAL", by_gdal("FlatGeobuf", ".fgb")),
    Honest("a KML written by GDAL (its fields in ExtendedData)", by_gdal("KML", ".kml")),
    Honest("a Google Earth KML with its own styles", google_earth_kml,
           mapping=("passport_number=Name",)),
    Honest("a CSV with lon/lat", lambda tmp: {"maf.csv": (
        f"passport_number,lon,lat\nМАФ-1,{CENTRE[0]},{CENTRE[1]}\n").encode()}),
    Honest("a CSV with WKT, its .csvt and .prj", csv_with_side_files, zip=True),
    Honest("a Shapefile in cp1251, zipped", shapefile(str), zip=True,
           mapping=("passport_number=passport",)),
    Honest("a Shapefile zipped on Windows: upper case, in a folder, with a readme",
           shapefile(lambda name: f"МАФ 2026/{name.upper()}",
                     {"МАФ 2026/readme.txt": "Дані станом на 01.12.2026".encode()}),
           zip=True, mapping=("passport_number=PASSPORT",)),
    Honest("a Shapefile zipped on a Mac, with .shp.xml metadata",
           shapefile(str, {"__MACOSX/._maf.shp": b"\x00\x05\x16\x07",
                           "maf.shp.xml": b"<metadata/>", ".DS_Store": b"\x00\x00"}),
           zip=True, mapping=("passport_number=passport",)),
]  # fmt: skip


def imported() -> list[tuple[str | None, float, float]]:
    return [(s.passport_number, round(s.geometry.x, 5), round(s.geometry.y, 5))
            for s in TemporaryStructure.objects.all()]  # fmt: skip


WHERE: list[tuple[str | None, float, float]] = [("МАФ-1", round(CENTRE[0], 5), round(CENTRE[1], 5))]


@pytest.mark.parametrize("honest", HONEST, ids=[h.what for h in HONEST])
def test_honest_file_imports_by_command(pokrovsk: Municipality, tmp_path: Path, honest: Honest):
    files = honest.make(tmp_path)
    folder = tmp_path / "in"
    folder.mkdir()
    for name, data in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    path = folder / next(iter(files))
    if honest.zip:
        path = folder / "delivery.zip"
        path.write_bytes(zipped(files))
    mapping = [argument for pair in honest.mapping for argument in ("--map", pair)]
    out = StringIO()
    call_command("import_layer", "maf", str(path), "--municipality", "pokrovsk", *mapping,
                 "--user", importer(), stdout=out, stderr=out)  # fmt: skip
    assert imported() == WHERE, out.getvalue()


@pytest.mark.parametrize("honest", [h for h in HONEST if not h.mapping],
                         ids=[h.what for h in HONEST if not h.mapping])  # fmt: skip
def test_honest_file_imports_on_the_upload_page(
    client: Client, planner: User, pokrovsk: Municipality, tmp_path: Path, honest: Honest
):
    files = honest.make(tmp_path)
    name, data = next(iter(files.items()))
    if honest.zip or len(files) > 1:
        name, data = "delivery.zip", zipped(files)
    client.force_login(planner)
    form = {"layer": "maf", "municipality": pokrovsk.pk, "file": SimpleUploadedFile(name, data)}
    with translation.override(translation.get_language()):  # the English page switches it
        response = client.post("/en/admin/layers/layerpassport/import/", form)
    assert response.status_code == 200, response.content.decode()[-1500:]
    assert imported() == WHERE
