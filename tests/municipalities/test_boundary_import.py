"""`manage.py load_boundary`: real files through GDAL, bad ones refused with nothing changed."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from geoportal.municipalities.models import Municipality
from geoportal.municipalities.queries import area_km2
from tests.cast import TEST_DATA

BOUNDARIES = TEST_DATA / "boundaries"


def load(*args: str) -> str:
    out = StringIO()
    call_command("load_boundary", *args, stdout=out)
    return out.getvalue()


def test_geopackage_in_ucs2000_replaces_the_boundary(pokrovsk):
    output = load("pokrovsk", str(BOUNDARIES / "pokrovsk-ucs2000-tm12.gpkg"))
    pokrovsk.refresh_from_db()
    assert not pokrovsk.boundary_is_approximate
    assert pokrovsk.boundary_source == "pokrovsk-ucs2000-tm12.gpkg"
    assert pokrovsk.boundary.srid == 4326
    # The two features were dissolved into one polygon.
    assert pokrovsk.boundary.num_geom == 1
    # Expected extent: the 4326 source the file was made from (37.05–37.34 E, 48.19–48.37 N).
    lon_min, _lat_min, _lon_max, lat_max = pokrovsk.boundary.extent
    assert lon_min == pytest.approx(37.05, abs=1e-5)
    assert lat_max == pytest.approx(48.37, abs=1e-5)
    assert "EPSG:6386" in output and "2 feature(s)" in output
    assert 300 < area_km2(pokrovsk.boundary) < 500


def test_zipped_shapefile_in_pulkovo_1942_is_read_by_katotth(pokrov):
    load("UA12080090010010311", str(BOUNDARIES / "pokrov-pulkovo1942-gk6.zip"))
    pokrov.refresh_from_db()
    lon_min, _lat_min, _lon_max, lat_max = pokrov.boundary.extent
    # Source polygon: 34.04–34.20 E, 47.61–47.71 N; Pulkovo→WGS84 shifts stay under ~150 m.
    assert lon_min == pytest.approx(34.04, abs=0.003)
    assert lat_max == pytest.approx(47.71, abs=0.003)


def test_self_intersecting_polygon_is_refused_saying_where(pokrovsk):
    before = pokrovsk.boundary.wkt
    with pytest.raises(CommandError, match=r"not a valid polygon: Self-intersection\[37\.2 48\.27"):
        load("pokrovsk", str(BOUNDARIES / "bowtie.geojson"))
    pokrovsk.refresh_from_db()
    assert pokrovsk.boundary.wkt == before


def test_wrongly_declared_crs_is_refused(pokrovsk):
    before = pokrovsk.boundary.wkt
    with pytest.raises(CommandError, match=r"from EPSG:6386, .* outside Ukraine.*--srid"):
        load("pokrovsk", str(BOUNDARIES / "wrong-crs-declared.geojson"))
    pokrovsk.refresh_from_db()
    assert pokrovsk.boundary.wkt == before


def test_srid_option_overrides_a_wrong_declaration(pokrovsk):
    load("pokrovsk", str(BOUNDARIES / "wrong-crs-declared.geojson"), "--srid", "4326")
    pokrovsk.refresh_from_db()
    assert pokrovsk.boundary.extent[0] == pytest.approx(37.05)


def test_lines_are_not_a_boundary(pokrovsk):
    with pytest.raises(CommandError, match="feature 1 is a LineString"):
        load("pokrovsk", str(BOUNDARIES / "line.geojson"))


def test_unreadable_file_and_unknown_municipality_are_named(pokrovsk, tmp_path):
    junk = tmp_path / "boundary.gpkg"
    junk.write_bytes(b"this is not a geopackage")
    with pytest.raises(CommandError, match=r"boundary\.gpkg — не файл GeoPackage"):
        load("pokrovsk", str(junk))
    with pytest.raises(CommandError, match="No municipality with slug or KATOTTH code 'atlantis'"):
        load("atlantis", str(BOUNDARIES / "bowtie.geojson"))


def test_dry_run_changes_nothing(pokrovsk):
    output = load("pokrovsk", str(BOUNDARIES / "pokrovsk-ucs2000-tm12.gpkg"), "--dry-run")
    assert "Dry run: nothing changed." in output
    assert Municipality.objects.get(pk=pokrovsk.pk).boundary_is_approximate
