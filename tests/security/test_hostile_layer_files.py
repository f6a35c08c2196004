"""Hostile GIS files, one table: GDAL's tricks under every suffix a layer import accepts,
loose and inside ZIPs, against a marker file (the stand-in for /etc/passwd and the
server's .env) and a listener on loopback (the stand-in for an internal service).

Each file goes through every way a GIS file enters the platform: the planner's upload
page in the admin, the import_layer command and the load_boundary command. For each:
the file is refused with a reason, the marker's text appears in no answer or output,
the listener receives no request, and nothing is written.

The table runs with NO_PROXY naming the listener, so GDAL's HTTP proxy wall
(layers/importing/gdal_options.py) is down and the content checks alone must stop every
request; test_gdal_itself_reaches_nothing checks that wall on its own, with the content
checks bypassed, and that the listener does hear GDAL when the wall is down.
"""

from __future__ import annotations

import contextlib
import html
import re
import socket
import sqlite3
import threading
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from io import StringIO
from pathlib import Path

import geopandas as gpd
import pyogrio
import pytest
import shapely
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.utils import translation

from geoportal.municipalities.models import Municipality
from layers.importing import ImportOptions, gdal_options, import_file
from layers.models import LayerPassport
from tests.archives import zipped
from tests.layers.conftest import CENTRE as LON_LAT
from tests.layers.conftest import importer
from tests.security.refusals import (  # noqa: F401  (the fixtures world and media_root)
    World,
    client_for,
    footprint,
    media_root_fixture,
    text_of,
    world_fixture,
)

pytestmark = pytest.mark.django_db

SECRET = "MARKER-b7e2c4-SECRET"
UPLOAD_PAGE = "/en/admin/layers/layerpassport/import/"


class Listener:
    """A TCP server on loopback that counts connections; it stops with its fixture."""

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.server.settimeout(0.2)
        self.url = f"http://127.0.0.1:{self.server.getsockname()[1]}"
        self.heard: list[bytes] = []
        self.running = True
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while self.running:
            try:
                connection, _address = self.server.accept()
            except TimeoutError:
                continue
            with connection:
                connection.settimeout(1)
                try:
                    self.heard.append(connection.recv(1024) or b"(connected)")
                except OSError:
                    self.heard.append(b"(connected)")

    def stop(self) -> None:
        self.running = False
        self.thread.join(timeout=5)
        self.server.close()


@pytest.fixture(name="listener")
def listener_fixture() -> Iterator[Listener]:
    listener = Listener()
    yield listener
    listener.stop()


@pytest.fixture(name="marker")
def marker_fixture(tmp_path: Path) -> Path:
    """A secret in a CSV-shaped file, so that any driver GDAL pointed at it would read it."""
    folder = tmp_path / "server"
    folder.mkdir()
    marker = folder / "secret.csv"
    marker.write_text(f"name,value,WKT\n{SECRET},1,POINT (37.1772 48.2771)\n")
    return marker


# --- files ------------------------------------------------------------------------------

Files = dict[str, bytes]  # name -> content; the first is the dataset, the rest its side files


def vrt(source: str, layer: str = "secret") -> bytes:
    return (f'<OGRVRTDataSource><OGRVRTLayer name="{layer}"><SrcDataSource>{source}'
            f"</SrcDataSource><SrcLayer>{layer}</SrcLayer></OGRVRTLayer>"
            "</OGRVRTDataSource>").encode()  # fmt: skip


def feature_collection(head: str = "", properties: str = '{"passport_number": "МАФ-1"}') -> bytes:
    point = f'{{"type": "Point", "coordinates": [{LON_LAT[0]}, {LON_LAT[1]}]}}'
    feature = f'{{"type": "Feature", "properties": {properties}, "geometry": {point}}}'
    return f'{{"type": "FeatureCollection", {head}"features": [{feature}]}}'.encode()


def kml(body: str, head: str = "") -> bytes:
    placemark = (f"<Placemark><name>МАФ-1</name><Point><coordinates>{LON_LAT[0]},"
                 f"{LON_LAT[1]}</coordinates></Point></Placemark>")  # fmt: skip
    return (f'<?xml version="1.0" encoding="UTF-8"?>{head}<kml xmlns="http://www.opengis.net/'
            f'kml/2.2" xmlns:atom="http://www.w3.org/2005/Atom"><Document>{body}{placemark}'
            "</Document></kml>").encode()  # fmt: skip


def csv_with(cell: str) -> bytes:
    return f'passport_number,lon,lat\n"{cell}",{LON_LAT[0]},{LON_LAT[1]}\n'.encode()


def geopackage(tmp: Path, sql: list[str], *, srs_definition: str | None = None,
               passport: str = "МАФ-1") -> bytes:  # fmt: skip
    """A real GeoPackage of one МАФ written by GDAL, then changed with SQLite."""
    path = tmp / "made.gpkg"
    path.unlink(missing_ok=True)
    frame = gpd.GeoDataFrame({"passport_number": [passport]},
                             geometry=[shapely.Point(*LON_LAT)], crs=4326)  # fmt: skip
    pyogrio.write_dataframe(frame, path, layer="maf")
    db = sqlite3.connect(path)
    for statement in sql:
        db.execute(statement)
    if srs_definition is not None:
        db.execute("UPDATE gpkg_spatial_ref_sys SET definition = ? WHERE srs_id = 4326",
                   (srs_definition,))  # fmt: skip
    db.commit()
    db.close()
    return path.read_bytes()


def as_view(expression: str) -> list[str]:
    """A view named as the layer to read, so GDAL would run its SQL."""
    return [f"CREATE VIEW leak AS SELECT fid, geom, {expression} AS passport_number FROM maf",  # noqa: S608
            "INSERT INTO gpkg_contents (table_name, data_type, identifier, srs_id) "
            "VALUES ('leak', 'features', 'leak', 4326)",
            "INSERT INTO gpkg_geometry_columns VALUES ('leak', 'geom', 'POINT', 4326, 0, 0)",
            "DELETE FROM gpkg_contents WHERE table_name = 'maf'"]  # fmt: skip


def shapefile(tmp: Path) -> Files:
    """A real zipped-Shapefile's parts of one МАФ, written by GDAL."""
    folder = tmp / "shp"
    folder.mkdir(exist_ok=True)
    frame = gpd.GeoDataFrame({"passport": ["МАФ-1"]},
                             geometry=[shapely.Point(*LON_LAT)], crs=4326)  # fmt: skip
    pyogrio.write_dataframe(frame, folder / "maf.shp", encoding="UTF-8")
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())
            if p.suffix in {".shp", ".shx", ".dbf", ".prj", ".cpg"}}  # fmt: skip


@dataclass(frozen=True)
class Trick:
    what: str
    make: Callable[[Path, str, Path], Files]  # (marker, listener URL, scratch folder)
    reason: str  # a phrase of the refusal
    zip: bool = False  # the admin and the commands get the files in one ZIP

    @property
    def id(self) -> str:
        return self.what


def one(name: str, data: Callable[[Path, str], bytes]) -> Callable[[Path, str, Path], Files]:
    return lambda marker, url, _tmp: {name: data(marker, url)}


REFERS = "may not refer to other files or addresses"
NOT_A = "is not a"

TRICKS = [
    # A VRT under every name a planner may upload: it would read the marker.
    *[Trick(f"a VRT named {suffix}", one(f"plots{suffix}", lambda m, u: vrt(str(m))),
            reason)
      for suffix, reason in [(".gpkg", NOT_A), (".geojson", REFERS), (".json", REFERS),
                             (".kml", REFERS), (".csv", REFERS), (".fgb", NOT_A)]],
    Trick("a VRT reading /vsicurl/ from the listener, named .csv",
          one("plots.csv", lambda m, u: vrt(f"/vsicurl/{u}/plots.csv")), REFERS),
    Trick("a VRT in a quoted CSV cell (GDAL would open the CSV as a VRT)",
          one("plots.csv", lambda m, u: csv_with(vrt(str(m)).decode().replace('"', "'"))),
          REFERS),
    Trick("a VRT as a GeoJSON property (GDAL would open it as a VRT)",
          one("plots.geojson", lambda m, u: feature_collection(
              properties='{"note": "' + vrt(str(m)).decode().replace('"', "'") + '"}')),
          REFERS),
    Trick("/vsizip//etc/… in a CSV cell", one("plots.csv", lambda m, u: csv_with(
        f"/vsizip/{m.parent}/secret.zip/secret.csv")), "a GDAL file path (/vsizip"),
    Trick("/vsicurl/ in a GeoJSON property", one("plots.json", lambda m, u: feature_collection(
        properties=f'{{"passport_number": "/vsicurl/{u}/x"}}')), "a GDAL file path"),
    Trick("/VSICURL/ in upper case in a KML name", one("plots.kml", lambda m, u: kml(
        f"<name>/VSICURL/{u}/x</name>")), "a GDAL file path"),
    Trick("a GeoJSON crs link to the listener", one("plots.geojson", lambda m, u: (
        feature_collection(f'"crs": {{"type": "link", "properties": {{"href": "{u}/crs", '
                           f'"type": "proj4"}}}}, '))), '"crs" that is not the name'),
    Trick("a GeoJSON crs link to the marker", one("plots.geojson", lambda m, u: (
        feature_collection(f'"crs": {{"type": "link", "properties": {{"href": "{m}"}}}}, '))),
          '"crs" that is not the name'),
    Trick("a GeoJSON crs named by a path", one("plots.geojson", lambda m, u: (
        feature_collection(f'"crs": {{"type": "name", "properties": {{"name": "{m}"}}}}, '))),
          '"crs" that is not the name'),
    Trick("a GeoJSON crs named by a URL", one("plots.geojson", lambda m, u: (
        feature_collection(f'"crs": {{"type": "name", "properties": {{"name": "{u}/c"}}}}, '))),
          '"crs" that is not the name'),
    Trick("a KML NetworkLink to the listener", one("plots.kml", lambda m, u: kml(
        f"<NetworkLink><Link><href>{u}/more.kml</href></Link></NetworkLink>")),
          "a <NetworkLink>"),
    Trick("a KML style from the listener", one("plots.kml", lambda m, u: kml(
        f"<styleUrl>{u}/styles.kml#red</styleUrl>")), "a <styleUrl> naming another"),
    Trick("a KML icon from the listener", one("plots.kml", lambda m, u: kml(
        f"<Style id='s'><IconStyle><Icon><href>{u}/icon.png</href></Icon></IconStyle>"
        "</Style>")), "a <href> naming another"),
    Trick("a KML atom:link (an xlink-style href attribute)", one("plots.kml", lambda m, u: kml(
        f'<atom:link href="{u}/about"/>')), "an attribute href"),
    Trick("a KML schemaUrl to the marker", one("plots.kml", lambda m, u: kml(
        f'<ExtendedData><SchemaData schemaUrl="{m}#s"/></ExtendedData>')),
          "an attribute schemaUrl"),
    Trick("a KML with an external entity (XXE) on the marker", one("plots.kml", lambda m, u: kml(
        "<name>&xxe;</name>", f'<!DOCTYPE kml [<!ENTITY xxe SYSTEM "file://{m}">]>')),
          "a document type declaration"),
    Trick("a KML with an entity bomb", one("plots.kml", lambda m, u: kml(
        "<name>&c;</name>", '<!DOCTYPE kml [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;'
        '&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>')),
          "a document type declaration"),
    Trick("GML with an xlink:href, named .kml", one("plots.kml", lambda m, u: (
        '<?xml version="1.0"?><gml:FeatureCollection xmlns:gml="http://www.opengis.net/gml" '
        f'xmlns:xlink="http://www.w3.org/1999/xlink"><gml:featureMember xlink:href="{u}/f"/>'
        "</gml:FeatureCollection>").encode()), NOT_A),
    Trick("GML with an xlink:href, named .geojson", one("plots.geojson", lambda m, u: (
        '<?xml version="1.0"?><gml:FeatureCollection xmlns:gml="http://www.opengis.net/gml" '
        f'xmlns:xlink="http://www.w3.org/1999/xlink"><gml:featureMember xlink:href="{u}/f"/>'
        "</gml:FeatureCollection>").encode()), NOT_A),
    Trick("a GeoPackage view running GDAL's SQL on the marker", lambda m, u, tmp: {
        "plots.gpkg": geopackage(tmp, as_view(
            f"gdal_get_pixel_value('{m}', 1, 'pixel', 0, 0)"))}, "a view (leak)"),
    Trick("a GeoPackage virtual table reading the marker (VirtualOGR)", lambda m, u, tmp: {
        "plots.gpkg": _virtual_ogr_geopackage(tmp, m)}, "a virtual table (leak)"),
    Trick("a GeoPackage generated column", lambda m, u, tmp: {
        "plots.gpkg": geopackage(tmp, [
            "ALTER TABLE maf ADD COLUMN leak TEXT GENERATED ALWAYS AS "
            f"(gdal_get_pixel_value('{m}', 1, 'pixel', 0, 0)) VIRTUAL"])},
          "a generated column in maf"),
    Trick("a GeoPackage whose CRS is a /vsicurl/ path", lambda m, u, tmp: {
        "plots.gpkg": geopackage(tmp, [], srs_definition=f"/vsicurl/{u}/crs.wkt")},
          "a GDAL file path (/vsi"),
    Trick("a GeoPackage with a /vsicurl/ cell", lambda m, u, tmp: {
        "plots.gpkg": geopackage(tmp, [], passport=f"/vsicurl/{u}/x")},
          "a GDAL file path (/vsi…) in table maf"),
    Trick("a CSV whose .csvt names the marker", lambda m, u, tmp: {
        "plots.csv": csv_with("МАФ-1"), "plots.csvt": str(m).encode()},
          "must hold a list of column types", zip=True),
    Trick("a CSV whose .prj is a URL", lambda m, u, tmp: {
        "plots.csv": csv_with("МАФ-1"), "plots.prj": f"{u}/crs.prj".encode()},
          "must hold a coordinate system", zip=True),
    Trick("a CSV whose .prj is the marker's path", lambda m, u, tmp: {
        "plots.csv": csv_with("МАФ-1"), "plots.prj": str(m).encode()},
          "must hold a coordinate system", zip=True),
    Trick("a Shapefile whose .prj is a URL", lambda m, u, tmp: {
        **shapefile(tmp), "maf.prj": f"{u}/crs.prj".encode()},
          "must hold a coordinate system", zip=True),
    Trick("a Shapefile whose .prj is a WKT with a /vsicurl/ name", lambda m, u, tmp: {
        **shapefile(tmp), "maf.prj": f'GEOGCS["/vsicurl/{u}/x"]'.encode()},
          "must hold a coordinate system", zip=True),
    Trick("a Shapefile whose .cpg is a path", lambda m, u, tmp: {
        **shapefile(tmp), "maf.cpg": str(m).encode()}, "must hold the name of a code page",
          zip=True),
    Trick("a Shapefile with a /vsicurl/ cell in its .dbf", lambda m, u, tmp: {
        **_shapefile_with(tmp, f"/vsicurl/{u}/x")}, "a GDAL file path", zip=True),
    Trick("a ZIP holding a VRT beside a Shapefile", lambda m, u, tmp: {
        **shapefile(tmp), "maf.vrt": vrt(str(m))}, "a GDAL virtual format (VRT)", zip=True),
    Trick("a ZIP holding only a VRT named .geojson", lambda m, u, tmp: {
        "plots.geojson": vrt(str(m))}, REFERS, zip=True),
    Trick("a ZIP inside the ZIP", lambda m, u, tmp: {
        "inner.zip": zipped({"plots.csv": csv_with("МАФ-1")})}, "an archive inside", zip=True),
    # Red team (issue #14): GDAL finds a GeoJSON member by name without regard to case or
    # escapes, and reads a crs object of any length; the scan looks for '"crs":' as bytes.
    Trick("a GeoJSON CRS link in upper case", one("plots.geojson", lambda m, u: (
        feature_collection(f'"CRS": {{"type": "link", "properties": {{"href": "{u}/crs", '
                           f'"type": "proj4"}}}}, '))), '"crs" that is not the name'),
    Trick("a GeoJSON crs link under an escaped key", one("plots.geojson", lambda m, u: (
        feature_collection(f'"\\u0063rs": {{"type": "link", "properties": {{"href": '
                           f'"{u}/crs", "type": "proj4"}}}}, '))), '"crs" that is not the name'),
    Trick("a GeoJSON crs link past 64 KB of padding", one("plots.geojson", lambda m, u: (
        feature_collection(f'"crs": {{"type": "link", "properties": {{"pad": "{"x" * 70000}", '
                           f'"href": "{u}/crs", "type": "proj4"}}}}, '))),
          '"crs" that is not the name'),
    # A prefixed <k:kml> root hides "<kml" from GDAL's GML driver, which claims the file
    # before LIBKML (no KML: prefix forces the driver) and opens it with no layer: pyogrio
    # raises IndexError, a 500 on the page and a traceback from the commands.
    Trick("a KML with a prefixed root that GDAL's GML driver claims", one("plots.kml",
          lambda m, u: ('<?xml version="1.0" encoding="UTF-8"?><k:kml xmlns:k="http://www.'
                        'opengis.net/kml/2.2" xmlns:gml="http://www.opengis.net/gml"><k:'
                        'Document><k:Placemark><k:name>МАФ-1</k:name><k:Point><k:coordinates>'
                        f'{LON_LAT[0]},{LON_LAT[1]}</k:coordinates></k:Point></k:Placemark>'
                        '</k:Document></k:kml>').encode()), "plots.kml"),
    Trick("a ZIP holding two datasets", lambda m, u, tmp: {
        "plots.csv": csv_with("МАФ-1"), "more.geojson": feature_collection()},
          "exactly one dataset", zip=True),
]  # fmt: skip


def _virtual_ogr_geopackage(tmp: Path, marker: Path) -> bytes:
    """SQLite stores a virtual table's SQL as written; GDAL would load it with VirtualOGR."""
    return geopackage(tmp, [
        "PRAGMA writable_schema = ON",
        "INSERT INTO sqlite_master (type, name, tbl_name, rootpage, sql) VALUES ('table', "  # noqa: S608
        f"'leak', 'leak', 0, 'CREATE VIRTUAL TABLE leak USING VirtualOGR(''{marker}'')')",
    ])  # fmt: skip


def _shapefile_with(tmp: Path, passport: str) -> Files:
    folder = tmp / "shp-cell"
    folder.mkdir(exist_ok=True)
    frame = gpd.GeoDataFrame({"passport": [passport]},
                             geometry=[shapely.Point(*LON_LAT)], crs=4326)  # fmt: skip
    pyogrio.write_dataframe(frame, folder / "maf.shp", encoding="UTF-8")
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


# --- the ways in ------------------------------------------------------------------------


@dataclass
class Outcome:
    refused: bool
    shown: str  # everything the person saw: the page, or the command's output and error


def through_upload(world: World, files: Files, as_zip: bool) -> Outcome:
    name, data = next(iter(files.items()))
    if as_zip or len(files) > 1:
        name, data = "upload.zip", zipped(files)
    response = client_for(world, "planner").post(UPLOAD_PAGE, {
        "layer": "maf", "municipality": world.values["pokrovsk"], "dry_run": "",
        "file": SimpleUploadedFile(name, data)})  # fmt: skip
    page = text_of(response)
    # What the person reads of it: the form's errors and the import report, without tags.
    start = min((i for i in (page.find("errorlist"), page.find("import-errors")) if i >= 0),
                default=0)  # fmt: skip
    shown = html.unescape(" ".join(re.sub(r"<[^>]+>", " ", page[start:]).split()))
    return Outcome(response.status_code == 400, shown)


def through_command(command: str, files: Files, as_zip: bool, folder: Path) -> Outcome:
    folder.mkdir()
    for name, data in files.items():
        (folder / name).write_bytes(data)
    path = folder / next(iter(files))
    if as_zip:
        path = folder / "upload.zip"
        path.write_bytes(zipped(files))
    out, err = StringIO(), StringIO()
    arguments = {
        "import_layer": ["maf", str(path), "--municipality", "pokrovsk", "--user", importer()],
        "load_boundary": ["pokrovsk", str(path)],
    }[command]
    try:
        with translation.override("en"):  # the reasons are matched in English
            call_command(command, *arguments, stdout=out, stderr=err)
    except CommandError as exc:
        return Outcome(True, f"{out.getvalue()}{err.getvalue()}{exc}")
    return Outcome(False, f"{out.getvalue()}{err.getvalue()}")


WAYS = ["upload page", "import_layer", "load_boundary"]


def passports() -> list[tuple[int, object]]:
    """When each layer was last updated: an import that wrote anything would change it."""
    return list(LayerPassport.objects.order_by("pk").values_list("pk", "last_updated_at"))


@pytest.mark.parametrize("way", WAYS)
@pytest.mark.parametrize("trick", TRICKS, ids=[trick.id for trick in TRICKS])
def test_hostile_file_is_refused_and_reaches_nothing(
    world: World, media_root: Path, tmp_path: Path, marker: Path, listener: Listener,
    monkeypatch: pytest.MonkeyPatch, trick: Trick, way: str,
):  # fmt: skip
    # The proxy wall is down for the listener: the content checks alone must hold.
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.setenv(name, "127.0.0.1,localhost")
    files = trick.make(marker, listener.url, tmp_path)
    boundary = Municipality.objects.get(slug="pokrovsk").boundary.wkb
    before = (footprint(media_root), passports())
    if way == "upload page":
        outcome = through_upload(world, files, trick.zip)
    else:
        outcome = through_command(way, files, trick.zip, tmp_path / "in")
    assert outcome.refused, outcome.shown[:600]
    assert trick.reason in outcome.shown, outcome.shown[:600]
    assert SECRET not in outcome.shown
    assert listener.heard == []
    assert (footprint(media_root), passports()) == before
    assert Municipality.objects.get(slug="pokrovsk").boundary.wkb == boundary


# --- the second wall: GDAL's own configuration ------------------------------------------

RAW = [
    ("a VRT reading /vsicurl/", "plots.vrt", lambda u: vrt(f"/vsicurl/{u}/plots.csv", "plots")),
    ("a VRT reading /vsis3/", "plots.vrt", lambda u: vrt("/vsis3/bucket/plots.csv", "plots")),
    ("a GeoJSON crs link", "plots.geojson", lambda u: feature_collection(
        f'"crs": {{"type": "link", "properties": {{"href": "{u}/crs", "type": "proj4"}}}}, ')),
]  # fmt: skip


@pytest.mark.parametrize(("what", "name", "make"), RAW, ids=[r[0] for r in RAW])
def test_gdal_itself_reaches_nothing(
    tmp_path: Path, listener: Listener, monkeypatch: pytest.MonkeyPatch,
    what: str, name: str, make: Callable[[str], bytes],
):  # fmt: skip
    """Opened straight through pyogrio, past the checks: GDAL's options stop the request.
    With the HTTP options unset for a moment, the same file does reach the listener, so
    the listener's silence means something."""
    for variable in ("NO_PROXY", "no_proxy", "HTTP_PROXY", "http_proxy"):
        monkeypatch.delenv(variable, raising=False)
    path = tmp_path / name
    path.write_bytes(make(listener.url))
    assert gdal_options.missing() == {}
    _open_quietly(path)
    assert listener.heard == []
    if "/vsis3/" in what:
        return  # no S3 here to hear it; the proxy and the allowed name stop it above
    walls = ("GDAL_HTTP_PROXY", "GDAL_HTTPS_PROXY", "CPL_VSIL_CURL_ALLOWED_FILENAME")
    pyogrio.set_gdal_config_options(dict.fromkeys(walls))
    try:
        _open_quietly(path)
    finally:
        gdal_options.apply()
    assert listener.heard, f"{what}: the listener heard nothing even without the options"


def _open_quietly(path: Path) -> None:
    """Open and read it; GDAL's failure to fetch is a warning or an error, both expected."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with contextlib.suppress(
            pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError, ValueError
        ):
            pyogrio.read_dataframe(path)


def test_the_refusal_speaks_the_pages_language(
    world: World, media_root: Path, tmp_path: Path, marker: Path, listener: Listener
):
    """The Ukrainian page names the file, the line and the kind of reference in Ukrainian."""
    client = client_for(world, "planner")
    response = client.post("/admin/layers/layerpassport/import/", {
        "layer": "maf", "municipality": world.values["pokrovsk"],
        "file": SimpleUploadedFile("межі.kml", kml(f"<NetworkLink><Link><href>{listener.url}"
                                                  "</href></Link></NetworkLink>"))})  # fmt: skip
    shown = html.unescape(text_of(response))
    assert response.status_code == 400
    assert "межі.kml, рядок 1: елемент <NetworkLink>, який завантажує інший ресурс" in shown
    assert "Файл відхилено." in shown
    assert listener.heard == []


def test_no_file_is_read_without_the_gdal_options(pokrovsk: Municipality, tmp_path: Path):
    """If anything unset an option (a library, a setting), imports stop rather than read."""
    path = tmp_path / "maf.geojson"
    path.write_bytes(feature_collection())
    pyogrio.set_gdal_config_options({"GDAL_HTTP_PROXY": None})
    try:
        report = import_file(path, ImportOptions(layer="maf", municipality=pokrovsk))
    finally:
        gdal_options.apply()
    assert [str(e) for e in report.errors] == [
        "file, file: GDAL is not configured for untrusted files: ['GDAL_HTTP_PROXY']."
    ]
    assert not report.written
