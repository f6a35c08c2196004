"""import_layer on real files: the 88 Kozelshchyna auction plots, re-projected copies of
them, and bad files that must write nothing."""

from __future__ import annotations

import json
import zipfile
from io import StringIO
from pathlib import Path

import geopandas as gpd
import pytest
from django.contrib.gis.geos import GEOSGeometry, MultiPolygon, Point
from django.core.management import CommandError, call_command
from django.db import connection
from shapely.geometry import Point as ShapelyPoint
from shapely.geometry import Polygon as ShapelyPolygon

from geoportal.municipalities.models import Municipality
from layers.importing import ImportOptions, import_file
from layers.models import AdvertisingStructure, LandPlot, TemporaryStructure
from tests.cast import SHARED
from tests.layers.conftest import importer

PARCELS = SHARED / "data" / "land" / "kozelshchyna-auction-parcels.geojson"


@pytest.fixture
def kozelshchyna(db) -> Municipality:
    """A test hromada whose boundary is the Poltava oblast outline (OpenStreetMap)."""
    outline = json.loads((SHARED / "data" / "boundaries" / "UA_53_Poltavska.geojson").read_text())
    feature = outline["features"][0] if "features" in outline else outline
    boundary = GEOSGeometry(json.dumps(feature["geometry"]), srid=4326)
    if not isinstance(boundary, MultiPolygon):
        boundary = MultiPolygon(boundary, srid=4326)
    return Municipality.objects.create(
        slug="kozelshchyna",
        name_uk="Козельщина",
        oblast_uk="Полтавська",
        katotth="UA53080110010052637",
        centre=Point(33.84, 49.22, srid=4326),
        boundary=boundary,
    )


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_layer", *args, "--user", importer(), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def refused(*args: str) -> str:
    err = StringIO()
    with pytest.raises(CommandError, match="Nothing was written") as caught:
        call_command("import_layer", *args, "--user", importer(), stdout=StringIO(), stderr=err)
    return err.getvalue() + str(caught.value)


def area_errors(slug: str) -> list[float]:
    """|ST_Area on the ellipsoid / registered area - 1| for every plot of the hromada."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT abs(ST_Area(l.geometry::geography) / 1e4 / l.area_ha::float - 1) "
            "FROM layers_landplot l JOIN municipalities_municipality m ON m.id = l.municipality_id "
            "WHERE m.slug = %s",
            [slug],
        )
        return [row[0] for row in cursor.fetchall()]


def test_real_auction_parcels(kozelshchyna):
    out, _ = run("land", str(PARCELS), "--municipality", "kozelshchyna")
    assert "88 rows: 88 were created, 0 were updated, 0 unchanged, 0 skipped" in out
    plots = LandPlot.objects.filter(municipality=kozelshchyna)
    assert plots.count() == 88
    # The file's purpose_code floats 1.01 ... 16.0 become КВЦПЗ codes.
    assert set(plots.values_list("purpose_code", flat=True)) == {
        "01.01", "01.02", "01.03", "01.08", "01.17", "16.00",
    }  # fmt: skip
    first = plots.get(cadastral_number="5322055100:00:001:0850")
    assert (first.purpose_code, str(first.area_ha), first.ownership) == ("01.01", "7.7958", "200")
    assert first.category == LandPlot.Category.AGRICULTURAL  # from the Ukrainian category text
    # Registered areas agree with the geometry measured on the ellipsoid within 0.5 %.
    assert max(area_errors("kozelshchyna")) < 0.005


@pytest.mark.parametrize("driver", ["GPKG", "ESRI Shapefile"])
def test_same_plots_from_a_file_in_ucs2000_tm_zone_11(kozelshchyna, tmp_path, driver):
    frame = gpd.read_file(PARCELS).to_crs(epsg=6385)
    if driver == "GPKG":
        path = tmp_path / "parcels.gpkg"
        frame.to_file(path, driver="GPKG", engine="pyogrio")
    else:
        folder = tmp_path / "shp"
        folder.mkdir()
        # Shapefile column names are at most 10 characters: keep the ones the import needs.
        short = frame.rename(columns={"purpose_code": "purpose_cd", "ownershipcode": "owner_code"})
        short = short[["cadnum", "area", "purpose_cd", "owner_code", "geometry"]]
        short.to_file(folder / "parcels.shp", driver=driver, engine="pyogrio")
        path = tmp_path / "parcels.zip"
        with zipfile.ZipFile(path, "w") as archive:
            for part in folder.iterdir():
                archive.write(part, part.name)
    extra = [] if driver == "GPKG" else [
        "--map", "purpose_code=purpose_cd", "--map", "ownership=owner_code",
    ]  # fmt: skip
    run("land", str(path), "--municipality", "kozelshchyna", *extra)
    plots = LandPlot.objects.filter(municipality=kozelshchyna)
    assert plots.count() == 88
    assert plots.filter(purpose_code="16.00").exists()
    assert max(area_errors("kozelshchyna")) < 0.005


def test_reimport_updates_and_never_duplicates(kozelshchyna):
    run("land", str(PARCELS), "--municipality", "kozelshchyna")
    report = refused("land", str(PARCELS), "--municipality", "kozelshchyna")
    assert "5322055100:00:001:0850 already exists; use --update-existing" in report
    LandPlot.objects.filter(cadastral_number="5322055100:00:001:0850").update(purpose_code="02.01")
    out, _ = run("land", str(PARCELS), "--municipality", "kozelshchyna", "--update-existing")
    # Only the changed plot is written, and only it gets a history row.
    assert "0 were created, 1 were updated, 87 unchanged" in out
    assert LandPlot.objects.count() == 88
    assert LandPlot.objects.get(cadastral_number="5322055100:00:001:0850").purpose_code == "01.01"
    history = LandPlot.history.count()
    out, _ = run("land", str(PARCELS), "--municipality", "kozelshchyna", "--update-existing")
    assert "0 were created, 0 were updated, 88 unchanged" in out
    assert LandPlot.history.count() == history


def test_import_is_kept_in_history_with_the_user(kozelshchyna, planner):
    report = import_file(
        PARCELS, ImportOptions(layer="land", municipality=kozelshchyna, user=planner)
    )
    assert report.written and report.created == 88
    assert LandPlot.history.filter(history_type="+", history_user=planner).count() == 88


def write_geojson(path: Path, features: list[dict], crs: str | None = "EPSG:4326") -> Path:
    frame = gpd.GeoDataFrame.from_features(features, crs=crs)
    frame.to_file(path, driver="GeoJSON", engine="pyogrio")
    return path


def plot(cadnum: str, ring: list[tuple[float, float]], **props: object) -> dict:
    return {
        "type": "Feature",
        "properties": {"cadnum": cadnum, "area": 1.0, "purpose_code": "02.01", **props},
        "geometry": ShapelyPolygon(ring).__geo_interface__,
    }


CENTRE = (37.1772, 48.2771)


def square_ring(dx: float = 0.0) -> list[tuple[float, float]]:
    lon, lat = CENTRE[0] + dx, CENTRE[1]
    return [(lon, lat), (lon + 0.001, lat), (lon + 0.001, lat + 0.001), (lon, lat + 0.001)]


BOWTIE = [(37.17, 48.27), (37.18, 48.28), (37.18, 48.27), (37.17, 48.28)]


def test_bad_rows_are_reported_and_nothing_is_written(pokrovsk, tmp_path):
    path = write_geojson(
        tmp_path / "bad.geojson",
        [
            plot("1412600000:01:001:0001", square_ring()),
            plot("1412600000:01:001:0002", BOWTIE),
            plot("1412600000:01:001:0001", square_ring(0.01)),  # duplicate of row 1
            plot("14126000:01:001:0003", square_ring(0.02)),  # malformed
            plot("1412600000:01:001:0004", square_ring(5.0)),  # far outside the hromada
        ],
    )
    report = refused("land", str(path), "--municipality", "pokrovsk")
    assert "row 2, geometry: Геометрія некоректна: Self-intersection[37.175 48.275]" in report
    assert "row 3, cadastral_number: 1412600000:01:001:0001 is also on row 1." in report
    assert "row 4, cadastral_number: Кадастровий номер — 10 цифр КОАТУУ" in report
    assert "row 5, geometry: Геометрія лежить за межами громади." in report
    assert "row 1," not in report
    assert not LandPlot.objects.exists()


def test_skip_bad_rows_writes_only_the_good_ones(pokrovsk, tmp_path):
    path = write_geojson(
        tmp_path / "mixed.geojson",
        [plot("1412600000:01:001:0001", square_ring()), plot("1412600000:01:001:0002", BOWTIE)],
    )
    out, err = run("land", str(path), "--municipality", "pokrovsk", "--skip-bad-rows")
    assert "1 were created" in out and "1 skipped" in out
    assert "row 2, geometry" in err
    assert list(LandPlot.objects.values_list("cadastral_number", flat=True)) == [
        "1412600000:01:001:0001"
    ]


def test_dry_run_writes_nothing_and_make_valid_repairs(pokrovsk, tmp_path):
    path = write_geojson(tmp_path / "bowtie.geojson", [plot("1412600000:01:001:0002", BOWTIE)])
    out, _ = run("land", str(path), "--municipality", "pokrovsk", "--make-valid", "--dry-run")
    assert "1 would be created" in out
    assert not LandPlot.objects.exists()
    run("land", str(path), "--municipality", "pokrovsk", "--make-valid")
    repaired = LandPlot.objects.get()
    assert repaired.geometry.valid and repaired.geometry.num_geom == 2


def test_file_level_problems(pokrovsk, tmp_path):
    # A Shapefile without its .prj declares no coordinate system.
    frame = gpd.GeoDataFrame.from_features([plot("1412600000:01:001:0001", square_ring())])
    frame.to_file(tmp_path / "noprj.shp", engine="pyogrio")
    (tmp_path / "noprj.prj").unlink(missing_ok=True)
    report = refused("land", str(tmp_path / "noprj.shp"), "--municipality", "pokrovsk")
    assert "declares no coordinate system" in report and "--srid" in report
    # ... which --srid supplies.
    run("land", str(tmp_path / "noprj.shp"), "--municipality", "pokrovsk", "--srid", "4326")
    assert LandPlot.objects.count() == 1

    empty = tmp_path / "empty.geojson"
    empty.write_text('{"type": "FeatureCollection", "features": []}')
    assert "has no features" in refused("land", str(empty), "--municipality", "pokrovsk")

    not_gis = tmp_path / "minutes.pdf"
    not_gis.write_bytes(b"%PDF-1.4 minutes of the session")
    report = refused("land", str(not_gis), "--municipality", "pokrovsk")
    assert "файли типу .pdf не можна імпортувати" in report  # the command speaks Ukrainian
    assert LandPlot.objects.count() == 1


def test_point_outside_the_boundary_for_structures(pokrovsk, tmp_path):
    path = write_geojson(
        tmp_path / "ads.geojson",
        [
            {"type": "Feature", "properties": {"permit_number": "Р-1", "kind": "billboard"},
             "geometry": ShapelyPoint(CENTRE).__geo_interface__},
            {"type": "Feature", "properties": {"permit_number": "Р-2", "kind": "білборд"},
             "geometry": ShapelyPoint(30.52, 50.45).__geo_interface__},
        ],
    )  # fmt: skip
    report = refused("advertising", str(path), "--municipality", "pokrovsk")
    assert "row 2, geometry: Геометрія лежить за межами громади." in report
    assert "kind" not in report  # the Ukrainian label "білборд" names the billboard type
    assert not AdvertisingStructure.objects.exists()


def test_csv_with_lon_lat_and_csv_with_wkt_and_kml(pokrovsk, tmp_path):
    lon_lat = tmp_path / "maf.csv"
    lon_lat.write_text(
        "passport_number,kind,area_m2,lon,lat,permit_valid_to\n"
        f"МАФ-1,кіоск,6.5,{CENTRE[0]},{CENTRE[1]},2027-05-01\n"
        f"МАФ-2,pavilion,28,{CENTRE[0] + 0.001},{CENTRE[1]},01.06.2027\n",
        encoding="utf-8",
    )
    run("maf", str(lon_lat), "--municipality", "pokrovsk")
    assert sorted(TemporaryStructure.objects.values_list("passport_number", "kind")) == [
        ("МАФ-1", "kiosk"),
        ("МАФ-2", "pavilion"),
    ]
    wkt = tmp_path / "zones.csv"
    lon, lat = CENTRE
    wkt.write_text(
        "code,name,WKT\n"
        f'Ж-1,Житлова зона,"POLYGON(({lon} {lat},{lon + 0.01} {lat},{lon + 0.01} {lat + 0.01},'
        f'{lon} {lat + 0.01},{lon} {lat}))"\n',
        encoding="utf-8",
    )
    run("zoning", str(wkt), "--municipality", "pokrovsk")
    kml = tmp_path / "ads.kml"
    gpd.GeoDataFrame(
        {"Name": ["Р-7"], "geometry": [ShapelyPoint(CENTRE)]}, crs="EPSG:4326"
    ).to_file(kml, driver="KML", engine="pyogrio")
    run("advertising", str(kml), "--municipality", "pokrovsk", "--map", "permit_number=Name")
    assert AdvertisingStructure.objects.get().permit_number == "Р-7"


def test_pavilion_over_30_m2_in_a_file(pokrovsk, tmp_path):
    path = tmp_path / "maf.csv"
    path.write_text(
        f"passport_number,kind,area_m2,lon,lat\nМАФ-9,pavilion,45,{CENTRE[0]},{CENTRE[1]}\n"
    )
    report = refused("maf", str(path), "--municipality", "pokrovsk")
    assert "row 1, area_m2: Площа павільйону — не більше 30 м²" in report


def test_geojson_dates_with_gaps(pokrovsk, tmp_path):
    """GDAL reads a date column as dates with NaT for the gaps: a gap is no date."""
    features = [
        {"type": "Feature", "geometry": ShapelyPoint(CENTRE).__geo_interface__,
         "properties": {"permit_number": "Р-1", "permit_valid_to": "2027-03-01"}},
        {"type": "Feature",
         "geometry": ShapelyPoint(CENTRE[0] + 0.001, CENTRE[1]).__geo_interface__,
         "properties": {"permit_number": "Р-2", "permit_valid_to": None}},
    ]  # fmt: skip
    path = tmp_path / "ads.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    run("advertising", str(path), "--municipality", "pokrovsk")
    dates = dict(AdvertisingStructure.objects.values_list("permit_number", "permit_valid_to"))
    assert str(dates["Р-1"]) == "2027-03-01"
    assert dates["Р-2"] is None


def test_admin_upload_shows_the_same_report(client, planner, moderator, pokrovsk):
    from django.core.files.uploadedfile import SimpleUploadedFile

    url = "/admin/layers/layerpassport/import/"
    bad = {"type": "FeatureCollection", "features": [plot("1412600000:01:001:0002", BOWTIE)]}
    upload = SimpleUploadedFile("../../etc/passwd.geojson", json.dumps(bad).encode())
    client.force_login(planner)
    page = client.post(
        url, {"layer": "land", "municipality": pokrovsk.pk, "file": upload, "dry_run": ""}
    )
    html = page.content.decode()
    assert page.status_code == 400  # refused: the report says why, nothing was written
    assert "Self-intersection" in html and "Нічого не записано" in html
    good = {
        "type": "FeatureCollection",
        "features": [plot("1412600000:01:001:0001", square_ring())],
    }
    upload = SimpleUploadedFile("plots.geojson", json.dumps(good).encode())
    client.post(url, {"layer": "land", "municipality": pokrovsk.pk, "file": upload})
    assert LandPlot.objects.get().history.get().history_user == planner
    client.force_login(moderator)
    assert client.get(url).status_code == 403


def test_admin_upload_refuses_other_file_types(client, planner, pokrovsk):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(planner)
    upload = SimpleUploadedFile("plots.exe", b"MZ")
    page = client.post(
        "/admin/layers/layerpassport/import/",
        {"layer": "land", "municipality": pokrovsk.pk, "file": upload},
    )
    assert ".exe" in page.content.decode()
    assert not LandPlot.objects.exists()


def test_update_keeps_what_the_file_does_not_carry(pokrovsk, tmp_path, kiosk):
    kiosk.photo = "layers/maf/kiosk.jpg"
    kiosk.owner_name = "ТОВ «Кава»"
    kiosk.save()
    path = tmp_path / "maf.csv"
    path.write_text(
        f"passport_number,address,lon,lat\nМАФ-2026-001,вул. Нова 3,{CENTRE[0]},{CENTRE[1]}\n"
    )
    run("maf", str(path), "--municipality", "pokrovsk", "--update-existing")
    kiosk.refresh_from_db()
    assert (kiosk.address, kiosk.owner_name, kiosk.photo.name) == (
        "вул. Нова 3", "ТОВ «Кава»", "layers/maf/kiosk.jpg",
    )  # fmt: skip
    latest = kiosk.history.first()
    assert (latest.history_type, latest.address) == ("~", "вул. Нова 3")
