"""Bad files, one table: photos of reports, a feature's photo and GIS files for a layer
import, each refused with a 4xx naming the field and the reason, and nothing written (no
row, no file in MEDIA_ROOT). Every bad file is made here, small and fast: an image bomb
is a PNG header declaring the pixels, a zip bomb a run of zeros or a header that lies.

After the table, what is accepted on purpose and made harmless instead: a photo is
decoded and encoded again, so a JPEG that is also HTML or a ZIP is stored as a new JPEG
without what was appended, and a file's own name is never a path.

Two answers differ from the others: the admin's feature form shows a refused photo
again with status 200 (Django's admin; tests/security/permission_matrix.py pins it);
the import page answers a refused file with 400 and its table of problems.
"""

from __future__ import annotations

import dataclasses
import os
import struct
import zipfile
import zlib
from collections.abc import Callable
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from geoportal.reports.models import Report, ReportPhoto
from layers.models import TemporaryStructure
from tests.archives import zipped
from tests.layers.conftest import CENTRE as LON_LAT
from tests.reports.conftest import jpeg, new_report_form
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

MIB = 1024 * 1024

# --- files -----------------------------------------------------------------------------


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_declaring(width: int, height: int, extra: bytes = b"") -> bytes:
    """A PNG whose header declares the size; its pixel data is a few bytes (Pillow checks
    the size when it opens the file, before it would decode anything)."""
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + extra
            + _chunk(b"IDAT", zlib.compress(b"\0" * 64)) + _chunk(b"IEND", b""))  # fmt: skip


def png_text_bomb() -> bytes:
    """A 10×10 PNG with a compressed text chunk of 64 MB of zeros (about 64 KB here)."""
    text = _chunk(b"zTXt", b"Comment\0\0" + zlib.compress(b"\0" * 64 * MIB, 9))
    return png_declaring(10, 10, extra=text)


def noise_png(side: int) -> bytes:
    """Random pixels, which do not compress: about 3 × side² bytes."""
    out = BytesIO()
    Image.frombytes("RGB", (side, side), os.urandom(side * side * 3)).save(out, "PNG")
    return out.getvalue()


def tiff() -> bytes:
    out = BytesIO()
    Image.new("RGB", (64, 64), "#3366aa").save(out, "TIFF")
    return out.getvalue()


GIF_JS = (b"GIF89a/*\x01\x00\x01\x00\x00\xff\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02"
          b"\x00;*/=1;alert(document.cookie);")  # fmt: skip
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
HTML = b"<!doctype html><html><script>alert(document.cookie)</script></html>"
SCRIPT = b"<script>alert(document.cookie)</script>"


def jpeg_bytes() -> bytes:
    return jpeg().read()


def jpeg_then_html() -> bytes:
    return jpeg_bytes() + b"<!--" + HTML


def jpeg_then_zip() -> bytes:
    archive = BytesIO()
    with zipfile.ZipFile(archive, "w") as inside:
        inside.writestr("index.html", HTML)
    return jpeg_bytes() + archive.getvalue()


def zeros_bomb() -> bytes:
    """One entry of 100 MB of zeros, about 100 KB zipped (1000:1)."""
    out = BytesIO()
    with (
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive,
        archive.open("plots.shp", "w") as entry,
    ):
        for _ in range(100):
            entry.write(bytes(MIB))
    return out.getvalue()


def csv_rows(count: int) -> bytes:
    lon, lat = LON_LAT
    rows = "".join(f"МАФ-{n},{lon},{lat}\n" for n in range(count))
    return f"passport_number,lon,lat\n{rows}".encode()


def lying_zip() -> bytes:
    """A zipped CSV of 200 000 rows whose headers declare 100 bytes: GDAL would read every
    row (the declared size does not stop it)."""
    data = bytearray(zipped({"maf.csv": csv_rows(200_000)}))
    local, central = data.find(b"PK\x03\x04"), data.find(b"PK\x01\x02")
    struct.pack_into("<I", data, local + 22, 100)  # uncompressed size, local header
    struct.pack_into("<I", data, central + 24, 100)  # and in the central directory
    return bytes(data)


def geojson(geometry: str, properties: str = '{"passport_number": "МАФ-1"}') -> bytes:
    feature = f'{{"type": "Feature", "properties": {properties}, "geometry": {geometry}}}'
    return f'{{"type": "FeatureCollection", "features": [{feature}]}}'.encode()


def point(lon: float | str, lat: float | str) -> str:
    return f'{{"type": "Point", "coordinates": [{lon}, {lat}]}}'


BOWTIE = ('{"type": "Polygon", "coordinates": [[[37.17, 48.27], [37.18, 48.28], '
          '[37.18, 48.27], [37.17, 48.28], [37.17, 48.27]]]}')  # fmt: skip
KML_ENTITIES = (
    b'<?xml version="1.0"?><!DOCTYPE kml [<!ENTITY a "aaaaaaaaaa">'
    b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">'
    b'<!ENTITY xxe SYSTEM "file:///etc/passwd">]><kml xmlns="http://www.opengis.net/kml/2.2">'
    b"<Placemark><name>&c;&xxe;</name><Point><coordinates>37.1772,48.2771</coordinates>"
    b"</Point></Placemark></kml>"
)

# --- the table ---------------------------------------------------------------------------

Files = Callable[[], dict[str, Any]]


@dataclasses.dataclass(frozen=True)
class Upload:
    entry: str
    what: str
    path: str
    files: Files  # the form's fields, files made afresh for each run
    role: str | None = None
    status: int = 400
    field: str = "photos"
    reason: str = ""
    settings: dict[str, Any] = dataclasses.field(default_factory=dict)  # settings for this case

    @property
    def id(self) -> str:
        return f"{self.entry}: {self.what}"


def photo(what: str, name: str, data: Callable[[], bytes], reason: str, **more: Any) -> Upload:
    """POST /api/v1/reports/ with one good photo and the bad one (all are refused)."""

    def files() -> dict[str, Any]:
        return {**new_report_form(), "photos": [SimpleUploadedFile("good.jpg", jpeg_bytes()),
                                                SimpleUploadedFile(name, data())]}  # fmt: skip

    return Upload("report photos", what, "/api/v1/reports/", files, reason=reason, **more)


def located(what: str, data: Callable[[], bytes], reason: str, **more: Any) -> Upload:
    """POST /api/v1/reports/photo-location/: a photo's GPS position, the photo not kept."""
    return Upload("photo location", what, "/api/v1/reports/photo-location/",
                  lambda: {"photo": SimpleUploadedFile("phone.jpg", data())},
                  field="photo", reason=reason, **more)  # fmt: skip


def feature_photo(what: str, name: str, data: Callable[[], bytes], reason: str) -> Upload:
    """The planner adds a МАФ with its photo in the admin."""

    def files() -> dict[str, Any]:
        return {"municipality": "{pokrovsk}", "passport_number": "МАФ-2026-901",
                "kind": "kiosk", "purpose": "trade", "status": "active",
                "geometry": point(*LON_LAT), "photo": SimpleUploadedFile(name, data())}  # fmt: skip

    return Upload("feature photo", what, "/en/admin/layers/temporarystructure/add/", files,
                  role="planner", status=200, field="photo", reason=reason)  # fmt: skip


def gis_file(what: str, name: str, data: Callable[[], bytes], reason: str,
             layer: str = "maf", **more: Any) -> Upload:  # fmt: skip
    """The planner's import page: a GIS file for a layer, written for real (not a dry run)."""

    def files() -> dict[str, Any]:
        return {"layer": layer, "municipality": "{pokrovsk}",
                "file": SimpleUploadedFile(name, data())}  # fmt: skip

    more.setdefault("field", "file")
    return Upload("layer import", what, "/en/admin/layers/layerpassport/import/", files,
                  role="planner", reason=reason, **more)  # fmt: skip


PHOTOS = [
    photo("a PDF named .jpg", "scan.jpg", lambda: b"%PDF-1.7 minutes", "not an image"),
    photo("HTML named .jpg", "page.jpg", lambda: HTML, "not an image"),
    photo("an SVG with a script", "logo.svg", lambda: SVG, "not an image"),
    photo("a GIF that is also JavaScript", "anim.gif", lambda: GIF_JS,
          "send a JPEG, PNG or WebP"),
    photo("a TIFF (an image of another type)", "scan.tif", tiff, "send a JPEG, PNG or WebP"),
    photo("an empty file", "empty.jpg", lambda: b"", "the file is empty"),
    photo("a JPEG cut short", "cut.jpg", lambda: jpeg_bytes()[:300], "damaged"),
    photo("a file over the size limit", "noise.png", lambda: noise_png(200),
          "larger than 0.1 MB", settings={"REPORT_PHOTO_MAX_BYTES": 100_000}),
    photo("48 megapixels (over the 40 MP limit)", "big.png",
          lambda: png_declaring(8000, 6000), "48 megapixels; the limit is 40"),
    photo("100 megapixels (Pillow's bomb warning)", "bomb.png",
          lambda: png_declaring(10_000, 10_000), "too many pixels"),
    photo("a decompression bomb of 900 megapixels", "bomb.png",
          lambda: png_declaring(30_000, 30_000), "too many pixels"),
    photo("a PNG whose text chunk inflates to 64 MB", "text.png", png_text_bomb, "damaged"),
    photo("path traversal in the name", "../../../etc/cron.d/evil.jpg", lambda: b"* * * * *",
          "evil.jpg: this is not an image"),
    photo("right-to-left override in the name", "photo\u202egpj.exe", lambda: b"MZ\x90\x00",
          "not an image"),
    Upload("report photos", "six photos", "/api/v1/reports/",
           lambda: {**new_report_form(),
                    "photos": [SimpleUploadedFile(f"{n}.jpg", jpeg_bytes()) for n in range(6)]},
           reason="At most 5 photos; 6 were sent"),
    located("a decompression bomb", lambda: png_declaring(30_000, 30_000), "too many pixels"),
    located("48 megapixels (over the 40 MP limit)", lambda: png_declaring(8000, 6000),
            "48 megapixels; the limit is 40"),
    located("a file over the size limit", lambda: noise_png(200), "larger than 0.1 MB",
            settings={"REPORT_PHOTO_MAX_BYTES": 100_000}),
    located("a request far over the size limit (refused before it is read)",
            lambda: noise_png(400), "larger than 0.1 MB", status=413,
            settings={"REPORT_PHOTO_MAX_BYTES": 100_000}),
    located("HTML", lambda: HTML, "not an image"),
    Upload("photo location", "text instead of a file", "/api/v1/reports/photo-location/",
           lambda: {"photo": "/etc/passwd"}, field="photo", reason="required"),
    feature_photo("a GIF that is also JavaScript", "sign.gif", lambda: GIF_JS,
                  "send a JPEG, PNG or WebP"),
    feature_photo("HTML named .jpg", "sign.jpg", lambda: HTML, "not an image"),
    feature_photo("a decompression bomb", "sign.png", lambda: png_declaring(30_000, 30_000),
                  "too many pixels"),
]  # fmt: skip

IMPORTS = [
    gis_file("a program", "plots.exe", lambda: b"MZ\x90\x00", "cannot be imported"),
    gis_file("a JPEG named .geojson", "plots.geojson", jpeg_bytes,
             "plots.geojson is not a GeoJSON file"),
    gis_file("malformed GeoJSON", "plots.geojson", lambda: b'{"type": "FeatureCollection", ',
             "plots.geojson is not valid JSON"),
    gis_file("GeoJSON nested 100 000 deep", "plots.geojson",
             lambda: b'{"type": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
             "nests deeper than 64 levels"),
    gis_file("HTML named .gpkg", "plots.gpkg", lambda: HTML, "plots.gpkg is not a GeoPackage"),
    gis_file("KML with nested entities and an external one", "structures.kml",
             lambda: KML_ENTITIES, "a document type declaration (DTD)"),
    gis_file("a self-intersecting polygon", "maf.geojson", lambda: geojson(BOWTIE),
             "Self-intersection", field="geometry"),
    gis_file("NaN coordinates (not JSON)", "maf.geojson",
             lambda: geojson(point("NaN", 48.27)), "maf.geojson is not valid JSON"),
    gis_file("NaN coordinates in a CSV", "maf.csv",
             lambda: f"passport_number,WKT\nМАФ-1,POINT (NaN {LON_LAT[1]})\n".encode(),
             "not valid", field="geometry"),
    gis_file("lat and lon swapped", "maf.geojson",
             lambda: geojson(point(LON_LAT[1], LON_LAT[0])), "outside", field="geometry"),
    gis_file("an unknown layer", "maf.geojson", lambda: geojson(point(*LON_LAT)),
             "valid choice", layer="maf' OR '1'='1", field="layer"),
    gis_file("a file over the size limit", "maf.geojson", lambda: geojson(point(*LON_LAT)),
             "larger than", settings={"IMPORT_MAX_UPLOAD_BYTES": 100}),
    gis_file("not a ZIP archive", "plots.zip", lambda: b"PK\x03\x04 not really",
             "not a ZIP archive"),
    gis_file("a zip bomb: 100 MB of zeros in 100 KB", "plots.zip", zeros_bomb,
             "inflates 1"),
    gis_file("a zip declaring more than the limit", "plots.zip",
             lambda: zipped({"plots.shp": os.urandom(3 * MIB)}),
             "unpacks to 3 MB; the limit is 2 MB",
             settings={"LAYER_IMPORT_MAX_UNZIPPED_BYTES": 2 * MIB}),
    gis_file("a zip whose header lies about the size", "maf.zip", lying_zip,
             "inflates to more than the 100 bytes it declares"),
    gis_file("path traversal in a zip entry", "plots.zip",
             lambda: zipped({"../../../etc/cron.d/plots.shp": b"x"}),
             "points outside the archive"),
    gis_file("an absolute path in a zip entry", "plots.zip",
             lambda: zipped({"/var/plots.shp": b"x"}), "points outside the archive"),
    gis_file("1001 files in a zip", "plots.zip",
             lambda: zipped({f"part{n}.txt": b"" for n in range(1001)}), "at most 1000"),
    gis_file("a zip compressed with bzip2", "plots.zip",
             lambda: zipped({"plots.shp": b"x" * 100}, zipfile.ZIP_BZIP2),
             "a method GDAL does not read"),
]  # fmt: skip

UPLOADS = PHOTOS + IMPORTS


def post(upload: Upload, world: World) -> Answer:
    client = client_for(world, upload.role)
    fields = {name: world.fill(value) if isinstance(value, str) else value
              for name, value in upload.files().items()}  # fmt: skip
    return client.post(upload.path, fields)


@pytest.mark.parametrize("upload", UPLOADS, ids=[upload.id for upload in UPLOADS])
def test_bad_file_is_refused_and_nothing_is_written(
    world: World, media_root: Path, settings: Any, monkeypatch: pytest.MonkeyPatch, upload: Upload
):
    for name, value in upload.settings.items():
        if name == "IMPORT_MAX_UPLOAD_BYTES":  # a constant of the page, not a setting
            monkeypatch.setattr("layers.admin_pages.import_page.MAX_UPLOAD_BYTES", value)
        else:
            setattr(settings, name, value)
    before = footprint(media_root)
    response = post(upload, world)
    shown = text_of(response)[:600]
    assert response.status_code == upload.status, shown
    assert names(response, upload.field), f"{upload.field} is not named: {shown}"
    assert upload.reason in text_of(response), shown
    assert footprint(media_root) == before


# --- accepted on purpose, made harmless -------------------------------------------------


def stored(media: Path) -> list[bytes]:
    return [path.read_bytes() for path in sorted(media.rglob("*")) if path.is_file()]


@pytest.mark.parametrize(
    ("what", "make", "payload"),
    [
        ("a JPEG that is also HTML", jpeg_then_html, SCRIPT),
        ("a JPEG that is also a ZIP", jpeg_then_zip, b"PK\x03\x04"),
    ],
)
def test_a_polyglot_photo_is_stored_as_a_new_jpeg_without_its_payload(
    world: World, media_root: Path, what: str, make: Callable[[], bytes], payload: bytes
):
    upload = make()
    assert payload in upload and Image.open(BytesIO(upload)).format == "JPEG"
    response = client_for(world, None).post(
        "/api/v1/reports/", {**new_report_form(), "photos": [SimpleUploadedFile("x.jpg", upload)]}
    )
    assert response.status_code == 201, text_of(response)
    files = stored(media_root)
    assert len(files) == 2  # the photo and its thumbnail
    for data in files:
        assert data.startswith(b"\xff\xd8") and data.endswith(b"\xff\xd9")
        assert payload not in data and SCRIPT not in data


def test_a_file_name_is_never_a_path(world: World, media_root: Path, tmp_path: Path):
    name = "../../../etc/cron.d/evil.jpg"
    response = client_for(world, None).post(
        "/api/v1/reports/",
        {**new_report_form(), "photos": [SimpleUploadedFile(name, jpeg_bytes())]},
    )
    assert response.status_code == 201, text_of(response)
    stored_as = Path(str(ReportPhoto.objects.get(report=response.json()["id"]).image.name))
    # A random name in the report photos' folder; nothing was written outside MEDIA_ROOT.
    assert stored_as.parent == Path("reports/photos")
    assert stored_as.stem not in name and len(stored_as.stem) == 32
    assert [p.name for p in tmp_path.iterdir()] == ["media"]


def test_a_feature_photo_is_stored_as_a_new_jpeg_under_a_random_name(
    world: World, media_root: Path
):
    fields = {"municipality": world.values["pokrovsk"], "passport_number": "МАФ-2026-902",
              "kind": "kiosk", "purpose": "trade", "status": "active",
              "geometry": point(*LON_LAT),
              "photo": SimpleUploadedFile("kiosk.jpg", jpeg_then_html())}  # fmt: skip
    response = client_for(world, "planner").post("/en/admin/layers/temporarystructure/add/", fields)
    assert response.status_code == 302, text_of(response)[:600]
    kiosk = TemporaryStructure.objects.get(passport_number="МАФ-2026-902")
    stored_as = str(kiosk.photo.name)
    assert stored_as.startswith("layers/maf/") and "kiosk" not in stored_as
    (data,) = stored(media_root)
    assert data.startswith(b"\xff\xd8") and SCRIPT not in data and b"Exif" not in data


def test_right_to_left_text_is_text(world: World, media_root: Path):
    """Arabic and Hebrew, with the marks right-to-left text needs, are not refused: only
    the invisible controls that reorder text (U+202A–U+202E, U+2066–U+2069) are."""
    title = "مصباح الشارع لا يعمل \u200f"
    description = "הפנס ברחוב לא דולק כבר שבוע.\u200e 48.27"
    response = client_for(world, None).post(
        "/api/v1/reports/",
        new_report_form(title=title, description=description),
        content_type="application/json",
    )
    assert response.status_code == 201, text_of(response)
    report = Report.objects.get(pk=response.json()["id"])
    assert (report.title, report.description) == (title.strip(), description)
