"""Exports open in GDAL with the same features, attributes and CRS, and hold no private data."""

from __future__ import annotations

import subprocess
import zipfile
from io import StringIO
from pathlib import Path

import pyogrio
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from layers.public_fields import PUBLIC_FIELDS

PRIVATE = ("Іваненко Іван Іванович", "+380501112233", "3012345678")


@pytest.fixture
def private_values(kiosk, billboard, trade_plot, housing_zone):
    """Features carrying a lessee's name, a phone and a person's tax number."""
    trade_plot.user_name = PRIVATE[0]
    trade_plot.save()
    billboard.distributor_phone = PRIVATE[1]
    billboard.save()
    kiosk.owner_code = PRIVATE[2]  # a ФОП's РНОКПП: 10 digits
    kiosk.save()


def ogrinfo(path: str) -> str:
    result = subprocess.run(
        ["ogrinfo", "-ro", "-al", path], capture_output=True, text=True, check=True, timeout=60
    )
    return result.stdout


@pytest.mark.parametrize("layer", ["maf", "advertising", "land", "zoning"])
@pytest.mark.parametrize("fmt", ["gpkg", "geojson", "csv", "shp"])
def test_export_opens_in_gdal_with_the_same_features(layer, fmt, tmp_path, private_values):
    suffix = ".zip" if fmt == "shp" else f".{fmt}"
    path = tmp_path / f"{layer}{suffix}"
    out = StringIO()
    call_command("export_layer", layer, str(path), "--format", fmt, stdout=out)
    assert "Wrote 1 features" in out.getvalue()
    source = f"/vsizip/{path}" if fmt == "shp" else str(path)
    text = ogrinfo(source)
    assert "Feature Count: 1" in text or text.count("OGRFeature(") == 1
    for value in PRIVATE:
        assert value not in text
        assert value not in path.read_bytes().decode("utf-8", errors="ignore")
    if fmt != "csv":  # CSV has no CRS of its own: its WKT is in EPSG:4326 by definition
        info = pyogrio.read_info(source)
        assert info["crs"] == "EPSG:4326"
    if fmt in ("gpkg", "geojson"):
        fields = set(pyogrio.read_info(source)["fields"])
        assert set(PUBLIC_FIELDS[layer]) <= fields


def test_csv_is_utf8_with_wkt(tmp_path, private_values):
    path = tmp_path / "land.csv"
    call_command("export_layer", "land", str(path), "--format", "csv", stdout=StringIO())
    text = path.read_text(encoding="utf-8-sig")
    header, row = text.splitlines()[:2]
    # Text quoted, numbers bare (geoportal.core.spreadsheet): the id and the area stay numbers.
    assert header.startswith('"WKT","id","municipality","cadastral_number"')
    assert row.startswith('"MULTIPOLYGON (((37.1767')
    assert ',"pokrovsk","1412600000:01:001:0001",' in row
    assert row.endswith(',"200",0.825,"","","free"')  # area_ha 0.8250 (conftest): a number


def test_mixed_maf_geometries_go_to_two_shapefiles(kiosk, tmp_path):
    from django.contrib.gis.geos import Point

    from layers.models import TemporaryStructure
    from tests.layers.conftest import CENTRE, square

    TemporaryStructure.objects.create(
        municipality=kiosk.municipality,
        geometry=square(CENTRE[0] + 0.002, CENTRE[1], half=0.00003)[0],
        passport_number="МАФ-2026-002",
    )
    assert isinstance(kiosk.geometry, Point)
    path = tmp_path / "maf.zip"
    call_command("export_layer", "maf", str(path), "--format", "shp", stdout=StringIO())
    names = sorted(Path(n).stem for n in zipfile.ZipFile(path).namelist() if n.endswith(".shp"))
    assert names == ["maf_points", "maf_polygons"]
    assert "passport: String" in ogrinfo(f"/vsizip/{path}/maf_points.shp")


def test_wrong_suffix_and_unknown_hromada_are_refused(tmp_path, pokrovsk):
    with pytest.raises(CommandError, match=r"--format shp writes a \.zip file"):
        call_command("export_layer", "land", str(tmp_path / "land.shp"), "--format", "shp")
    with pytest.raises(CommandError, match="No municipality with slug 'atlantis'"):
        call_command(
            "export_layer", "land", str(tmp_path / "l.gpkg"), "--format", "gpkg",
            "--municipality", "atlantis",
        )  # fmt: skip


def test_public_download_for_anyone(client, private_values, tmp_path):
    url = reverse("api:layer-export", kwargs={"layer": "advertising", "fmt": "gpkg"})
    response = client.get(url, {"municipality": "pokrovsk"})
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="advertising-pokrovsk.gpkg"'
    path = tmp_path / "download.gpkg"
    path.write_bytes(b"".join(response.streaming_content))
    frame = pyogrio.read_dataframe(path)
    assert list(frame["permit_number"]) == ["Р-2025-017"]
    assert PRIVATE[1] not in path.read_bytes().decode("utf-8", errors="ignore")


@pytest.mark.parametrize(
    ("url", "parameter"),
    [
        ("/api/v1/layers/roads/export.csv", "layer"),
        ("/api/v1/layers/land/export.xlsx", "fmt"),
        ("/api/v1/layers/land/export.csv?municipality=atlantis", "municipality"),
    ],
)
def test_download_errors_name_the_parameter(client, pokrovsk, url, parameter):
    response = client.get(url)
    assert response.status_code == 404
    assert response.json()["parameter"] == parameter
