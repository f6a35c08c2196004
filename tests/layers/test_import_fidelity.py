"""A cadastre delivery as the State Land Cadastre exports it loses nothing in the import:
dBASE column names cut to 10 characters, cp1251 text, UCS-2000 / Gauss–Krüger zone 7,
categories by their statutory names, purpose codes as the cadastre really writes them
(tests/data/registry/purpose_codes.tsv: "Код не виокремлено", a dash, "02,01", "02/01",
five-digit numbers), and columns no field takes. Every quirk is either read or kept with
a warning; nothing is refused that a cadastral engineer would call a good plot.
"""

from __future__ import annotations

import csv
import html
from io import StringIO
from pathlib import Path

import geopandas as gpd
import pyogrio
import pytest
import shapely
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import translation
from pyproj import Transformer

from geoportal.accounts.models import User
from geoportal.municipalities.models import Municipality
from layers.models import ImportRun, LandPlot
from tests.archives import zipped
from tests.cast import TEST_DATA
from tests.layers.conftest import CENTRE, importer

pytestmark = pytest.mark.django_db

GK7 = 5565  # UCS-2000 / Gauss-Kruger zone 7, where Pokrovsk lies (36°–42° E)
CATEGORY_900 = ("Землі промисловості, транспорту, зв’язку, енергетики, оборони та іншого "
                "призначення")  # fmt: skip
# (purpose code as written, purpose code stored, source kept, warned)
PURPOSES = [
    ("02.01", "02.01", "", False),
    ("Код не виокремлено", "", "Код не виокремлено", True),
    ("—", "", "—", True),
    ("", "", "", True),
    ("02,01", "02.01", "", False),
    ("02/01", "02.01", "", False),
    ("32208", "", "32208", True),
]
CATEGORIES = ["Землі житлової та громадської забудови", CATEGORY_900, "100",
              "Землі сільськогосподарського призначення", "200", "200", "200"]  # fmt: skip
CATEGORY_CODES = ["200", "900", "100", "100", "200", "200", "200"]


def real_codes() -> list[str]:
    """Every purpose code the cadastre writes for Kyiv's parcels (source in the README)."""
    with (TEST_DATA / "registry" / "purpose_codes.tsv").open(encoding="utf-8") as handle:
        return [row["purpose_code"] for row in csv.DictReader(handle, delimiter="\t")]


def cadastre_shapefile(folder: Path, purposes: list[str], shift_m: float = 0.0) -> Path:
    """Plots 40 m apart east of the centre, written by GDAL as the cadastre's exports are:
    UCS-2000 / GK zone 7, cp1251, long column names cut to 10 characters by dBASE."""
    to_gk = Transformer.from_crs(4326, GK7, always_xy=True)
    x0, y0 = to_gk.transform(*CENTRE)
    plots = [shapely.box(x0 + 40 * n + shift_m, y0, x0 + 40 * n + 30 + shift_m, y0 + 30)
             for n in range(len(purposes))]  # fmt: skip
    frame = gpd.GeoDataFrame({
        "cadnum": [f"1412600000:01:001:{n + 1:04d}" for n in range(len(purposes))],
        "purpose_code": purposes,
        "ownershipcode": ["200"] * len(purposes),
        "area_ha_registered": [0.09] * len(purposes),
        "category": [CATEGORIES[n % len(CATEGORIES)] for n in range(len(purposes))],
        "purpose": ["Для будівництва і обслуговування житлового будинку"] * len(purposes),
        "address": [f"м. Покровськ, вул. Захисників України, {n + 1}"
                    for n in range(len(purposes))],
    }, geometry=plots, crs=GK7)  # fmt: skip
    folder.mkdir(exist_ok=True)
    path = folder / "plots.shp"
    pyogrio.write_dataframe(frame, path, encoding="cp1251")
    return path


def run(*args: str, err: StringIO | None = None) -> tuple[str, str]:
    out, err = StringIO(), err or StringIO()
    with translation.override("en"):  # the command speaks the site's language, uk by default
        call_command("import_layer", "land", *args, "--municipality", "pokrovsk",
                     "--user", importer(), stdout=out, stderr=err)  # fmt: skip
    return out.getvalue(), err.getvalue()


def test_a_cadastre_delivery_loses_nothing(pokrovsk: Municipality, tmp_path: Path):
    path = cadastre_shapefile(tmp_path / "in", [p[0] for p in PURPOSES])
    names = pyogrio.read_info(path)["fields"].tolist()
    assert {"purpose_co", "ownershipc", "area_ha_re"} <= set(names)  # as dBASE cut them
    report = tmp_path / "report.csv"
    out, err = run(str(path), "--report", str(report))

    for mapped in ("purpose_code ← purpose_co", "ownership ← ownershipc", "area_ha ← area_ha_re",
                   "category ← category", "cadastral_number ← cadnum"):  # fmt: skip
        assert mapped in out, out
    assert "Kept in each feature's attributes (no field takes them): address." in out
    assert f"{len(PURPOSES)} rows: {len(PURPOSES)} were created" in out

    plots = list(LandPlot.objects.order_by("cadastral_number"))
    assert [(p.purpose_code, p.purpose_code_source) for p in plots] == [
        (stored, source) for _given, stored, source, _warned in PURPOSES
    ]
    assert [p.category for p in plots] == CATEGORY_CODES
    assert [p.ownership for p in plots] == ["200"] * len(PURPOSES)
    assert all(str(p.area_ha) == "0.0900" for p in plots)
    assert plots[0].attributes == {"address": "м. Покровськ, вул. Захисників України, 1"}

    warned = [n + 1 for n, p in enumerate(PURPOSES) if p[3]]
    listed = list(csv.reader(StringIO(report.read_text(encoding="utf-8-sig"))))
    assert listed[0] == ["severity", "row", "field", "reason"]
    assert [(r[0], int(r[1]), r[2]) for r in listed[1:]] == [
        ("warning", row, "purpose_code") for row in warned
    ]
    assert "Код не виокремлено" in listed[1][3] and "32208" in listed[-1][3]
    assert err.count("(warning)") == len(warned)
    # The summary per kind of reason: the two texts the cadastre writes for "no code".
    assert "2 × warning, purpose_code: …: the cadastre gives no code" in err


def test_every_purpose_code_the_cadastre_writes_is_read_or_kept(
    pokrovsk: Municipality, tmp_path: Path
):
    codes = real_codes()
    assert "Код не виокремлено" in codes and "—" in codes and len(codes) > 100
    out, _err = run(str(cadastre_shapefile(tmp_path / "in", codes)))
    assert f"{len(codes)} rows: {len(codes)} were created" in out
    for given, plot in zip(codes, LandPlot.objects.order_by("cadastral_number"), strict=True):
        assert plot.purpose_code or plot.purpose_code_source == given, given


def test_the_same_delivery_again_writes_nothing(pokrovsk: Municipality, tmp_path: Path):
    path = cadastre_shapefile(tmp_path / "in", ["02.01", "03.07"])
    run(str(path))
    history = LandPlot.history.count()
    out, _err = run(str(path), "--update-existing")
    assert "0 were created, 0 were updated, 2 unchanged" in out
    # Half a millimetre is a round trip through another coordinate system, not a change.
    out, _err = run(str(cadastre_shapefile(tmp_path / "near", ["02.01", "03.07"], 0.0005)),
                    "--update-existing")  # fmt: skip
    assert "0 were updated, 2 unchanged" in out
    assert LandPlot.history.count() == history


def test_a_move_beyond_the_tolerance_needs_confirmation(pokrovsk: Municipality, tmp_path: Path):
    run(str(cadastre_shapefile(tmp_path / "in", ["02.01", "03.07"])))
    before = {p.pk: p.geometry.wkt for p in LandPlot.objects.all()}
    moved = cadastre_shapefile(tmp_path / "moved", ["02.01", "03.07"], shift_m=5)
    with pytest.raises(CommandError, match="Nothing was written"):
        run(str(moved), "--update-existing")
    assert {p.pk: p.geometry.wkt for p in LandPlot.objects.all()} == before
    out, err = run(str(moved), "--update-existing", "--confirm-moves")
    assert "2 were updated" in out
    assert err.count("moves 5.0 m from the stored boundary (confirmed).") == 2


SK63 = ('PROJCS["SK63_zone_X",GEOGCS["GCS_SK_63",DATUM["D_SK_63",SPHEROID["Krasovsky_1940",'
        '6378245.0,298.3]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],'
        'PROJECTION["Transverse_Mercator"],PARAMETER["False_Easting",4300000.0],'
        'PARAMETER["False_Northing",-9214.69],PARAMETER["Central_Meridian",37.98333],'
        'PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],'
        'UNIT["Meter",1.0]]')  # fmt: skip
# The same system with a datum shift (Pulkovo 1942 to WGS 84 for Ukraine, EPSG:15865's values).
SK63_WITH_SHIFT = ("+proj=tmerc +lat_0=0 +lon_0=37.98333 +k=1 +x_0=4300000 "
                   "+y_0=-9214.69 +ellps=krass +towgs84=25,-141,-78.5,0,0.35,0.736,0 "
                   "+units=m +no_defs")  # fmt: skip


def test_a_local_system_without_a_datum_shift_is_refused_until_given_one(
    pokrovsk: Municipality, tmp_path: Path
):
    to_sk63 = Transformer.from_crs(4326, SK63_WITH_SHIFT, always_xy=True)
    x, y = to_sk63.transform(*CENTRE)
    frame = gpd.GeoDataFrame({"cadnum": ["1412600000:01:001:0001"]},
                             geometry=[shapely.box(x, y, x + 30, y + 30)])  # fmt: skip
    folder = tmp_path / "sk63"
    folder.mkdir()
    pyogrio.write_dataframe(frame, folder / "plots.shp")
    (folder / "plots.prj").write_text(SK63)  # as ESRI software writes it: no TOWGS84
    err = StringIO()
    with pytest.raises(CommandError, match="Nothing was written"):
        run(str(folder / "plots.shp"), err=err)
    assert "the file's .prj (SK63_zone_X, on the Krassowsky 1940 ellipsoid) carries no datum" in (
        " ".join(err.getvalue().split())
    )
    assert not LandPlot.objects.exists()
    run(str(folder / "plots.shp"), "--srid", SK63_WITH_SHIFT)
    corner = LandPlot.objects.get().geometry.extent[:2]
    # Within a metre (the shift's two directions differ slightly); without it, 100 m off.
    assert corner == pytest.approx(CENTRE, abs=1e-5)


def test_the_upload_page_shows_the_mapping_to_confirm_and_every_warning(
    client: Client, planner: User, pokrovsk: Municipality, tmp_path: Path
):
    path = cadastre_shapefile(tmp_path / "in", [p[0] for p in PURPOSES])
    delivery = zipped({p.name: p.read_bytes() for p in sorted(path.parent.iterdir())})
    client.force_login(planner)
    form = {"layer": "land", "municipality": pokrovsk.pk, "dry_run": "on",
            "file": SimpleUploadedFile("delivery.zip", delivery)}  # fmt: skip
    with translation.override(translation.get_language()):  # the English page switches it
        page = client.post("/en/admin/layers/layerpassport/import/", form).content.decode()
    assert "<tr><td>purpose_code</td><td>purpose_co</td></tr>" in page
    assert "no field takes them): address" in page
    assert page.count("<tr><td>") >= len(PURPOSES)  # columns and every warning's row
    assert "Код не виокремлено" in page and 'id="import-warnings"' in page
    run = ImportRun.objects.latest("pk")
    assert f'href="/en/admin/layers/importrun/{run.pk}/report.csv"' in page  # the full list
    # The mapping it used, to correct: sent again with the file, the correction is used.
    assert "purpose_code=purpose_co" in html.unescape(page)
    form = {**form, "dry_run": "", "mapping": "purpose_text=address",
            "file": SimpleUploadedFile("delivery.zip", delivery)}  # fmt: skip
    with translation.override(translation.get_language()):
        answer = client.post("/en/admin/layers/layerpassport/import/", form)
    assert answer.status_code == 200, answer.content.decode()[-2000:]
    plot = LandPlot.objects.get(cadastral_number="1412600000:01:001:0001")
    assert plot.purpose_text == "м. Покровськ, вул. Захисників України, 1"
    assert plot.attributes == {"purpose": "Для будівництва і обслуговування житлового будинку"}
