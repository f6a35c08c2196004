"""`manage.py add_hromada`: a new hromada from its names, KATOTTH code and a real boundary
file, with departments, categories, routing and four layer passports each naming its
responsible department; every bad input refused naming the argument, with nothing written.

Expected values come from DOMAIN.md (Pokrov: KATOTTH codes, oblast, layer owners; the
standard departments and categories), PROCEDURE.md (deadline defaults) and the source
polygon tests/data/boundaries/pokrov-pulkovo1942-gk6.zip was made from (34.04–34.20 E,
47.61–47.71 N; see test_boundary_import.py).
"""

from __future__ import annotations

import importlib
import json
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.gis.geos import Point
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import translation

from geoportal.accounts.roles import Role
from geoportal.municipalities.models import Category, Department, Municipality, RoutingRule
from geoportal.municipalities.queries import area_km2
from geoportal.municipalities.reference import ReferenceDataError, load_reference_file
from layers.models import LayerPassport
from tests.cast import REFERENCE, TEST_DATA, give_role, load_hromada, make_user
from tests.frontend.test_staff_pages import client_of

BOUNDARIES = TEST_DATA / "boundaries"
# DOMAIN.md, "Municipalities (hromadas) to ship as reference data": Pokrov.
POKROV = {
    "--name-uk": "Покров",
    "--name-en": "Pokrov",
    "--slug": "pokrov",
    "--katotth": "UA12080090010010311",
    "--katotth-hromada": "UA12080090000039979",
    "--oblast": "Дніпропетровська",
    "--boundary": str(BOUNDARIES / "pokrov-pulkovo1942-gk6.zip"),
}
# DOMAIN.md, "Update regulations" (zoning: yearly, our default for a rarely revised plan).
FREQUENCY = {"maf": "monthly", "advertising": "quarterly", "land": "monthly", "zoning": "yearly"}
LAYERS = sorted(FREQUENCY)


@pytest.fixture
def folders(tmp_path: Path) -> Path:
    """A data/ folder of the test's own: reference/ (written by the command) and boundaries/."""
    (tmp_path / "data" / "reference").mkdir(parents=True)
    return tmp_path / "data"


def add_hromada(
    folders: Path, changes: dict[str, str | None] | None = None, language: str = "en"
) -> str:
    """Run the command (in English unless told: the messages are read) and return its output."""
    arguments = {**POKROV, "--reference-dir": str(folders / "reference"), **(changes or {})}
    argv: list[str] = []
    for name, value in arguments.items():
        if value is not None:
            argv += [name] if name == "--dry-run" else [name, value]
    out = StringIO()
    with translation.override(language):
        call_command("add_hromada", *argv, stdout=out)
    return out.getvalue()


def written(folders: Path) -> list[str]:
    return sorted(str(p.relative_to(folders)) for p in folders.rglob("*") if p.is_file())


def rows() -> dict[str, int]:
    models = (Municipality, Department, Category, RoutingRule, LayerPassport)
    return {model.__name__: model.objects.count() for model in models}


def template_file(folders: Path, change: Callable[[dict], None]) -> str:
    """The standard template with one change, as a file of the test's own."""
    data = json.loads((REFERENCE / "templates" / "standard.json").read_text())
    change(data)
    path = folders / "changed-template.json"
    path.write_text(json.dumps(data, ensure_ascii=False))
    return str(path)


@dataclass
class Bad:
    name: str
    changes: dict[str, str | None]
    argument: str
    reason: str  # a regular expression the refusal matches after the argument
    prepare: Callable[[Path], dict[str, str | None]] = field(default=lambda _folders: {})


def junk_file(folders: Path) -> dict[str, str | None]:
    junk = folders / "boundary.gpkg"
    junk.write_bytes(b"this is not a geopackage")
    return {"--boundary": str(junk)}


def reference_file_in_place(folders: Path) -> dict[str, str | None]:
    (folders / "reference" / "pokrov.json").write_text("{}")
    return {}


def unknown_department_template(folders: Path) -> dict[str, str | None]:
    def change(data: dict) -> None:
        data["routing_rules"][0]["department"] = "nobody"

    return {"--from-template": template_file(folders, change)}


def ownerless_layer_template(folders: Path) -> dict[str, str | None]:
    def change(data: dict) -> None:
        data["layer_passports"] = [p for p in data["layer_passports"] if p["layer"] != "zoning"]
        data["routing_rules"] = [
            r for r in data["routing_rules"] if r["category"] != "illegal-construction"
        ]

    return {"--from-template": template_file(folders, change)}


BAD_INPUTS = [
    Bad("KATOTTH too short", {"--katotth": "UA1208009001001031"}, "--katotth",
        r"'UA1208009001001031' is not a KATOTTH code: UA followed by 17 digits"),
    Bad("KATOTTH in Cyrillic letters", {"--katotth": "УА12080090010010311"}, "--katotth",
        "is not a KATOTTH code"),
    Bad("KATOTTH of no oblast", {"--katotth": "UA99080090010010311"}, "--katotth",
        "99 is no oblast's code"),
    Bad("KATOTTH of another oblast", {"--oblast": "Донецька"}, "--oblast",
        "UA12080090010010311 is in Дніпропетровська oblast, not 'Донецька'"),
    Bad("hromada code of another hromada", {"--katotth-hromada": "UA14160210000011148"},
        "--katotth-hromada", "is not the KATOTTH code of the hromada of UA12080090010010311"),
    Bad("slug of Pokrovsk", {"--slug": "pokrovsk"}, "--slug",
        r"pokrovsk is already the slug of Покровськ \(UA14160210010099403\)"),
    Bad("KATOTTH of Pokrovsk", {"--katotth": "UA14160210010099403", "--oblast": None,
                                "--katotth-hromada": None}, "--katotth",
        r"UA14160210010099403 is already the code of Покровськ \(pokrovsk\)"),
    Bad("slug not a slug", {"--slug": "Покров"}, "--slug", "is not a slug"),
    Bad("empty name", {"--name-uk": " "}, "--name-uk", "the name is empty"),
    Bad("boundary outside Ukraine", {"--boundary": str(BOUNDARIES / "wrong-crs-declared.geojson")},
        "--boundary", r"wrong-crs-declared\.geojson: reprojected from EPSG:6386.*outside Ukraine"),
    Bad("unreadable boundary", {}, "--boundary", r"boundary\.gpkg.*GeoPackage", junk_file),
    Bad("missing boundary", {"--boundary": "/nowhere/pokrov.gpkg"}, "--boundary",
        "no such file"),
    Bad("boundary of lines", {"--boundary": str(BOUNDARIES / "line.geojson")}, "--boundary",
        "feature 1 is a LineString"),
    Bad("self-intersecting boundary", {"--boundary": str(BOUNDARIES / "bowtie.geojson")},
        "--boundary", "not a valid polygon: Self-intersection"),
    Bad("unknown coordinate system", {"--srid": "999999"}, "--srid",
        "not a coordinate system GDAL knows"),
    Bad("centre outside the boundary", {"--centre": "48.2771,37.1772"}, "--centre",
        "lies outside the boundary"),
    Bad("centre not LAT,LON", {"--centre": "Покров"}, "--centre", "write the centre as LAT,LON"),
    Bad("unknown template", {"--from-template": "kyiv"}, "--from-template", "no template 'kyiv'"),
    Bad("template routing to an unknown department", {}, "--from-template",
        "routing rule 1 names an unknown category or department", unknown_department_template),
    Bad("template leaving a layer without a department", {}, "--from-template",
        "no department is responsible for the layer 'zoning'", ownerless_layer_template),
    Bad("reference file already there", {}, "--slug", r"pokrov\.json exists already",
        reference_file_in_place),
    Bad("missing reference folder", {"--reference-dir": "/nowhere/reference"},
        "--reference-dir", "no such folder"),
]  # fmt: skip


@pytest.mark.parametrize("case", BAD_INPUTS, ids=lambda case: case.name)
def test_bad_input_is_refused_naming_the_argument_and_nothing_is_written(pokrovsk, folders, case):
    changes = {**case.changes, **case.prepare(folders)}
    files, before = written(folders), rows()
    with pytest.raises(CommandError) as refusal:
        add_hromada(folders, changes)
    assert re.search(f"{re.escape(case.argument)}.*{case.reason}", str(refusal.value)), str(
        refusal.value
    )
    assert rows() == before
    assert written(folders) == files


def test_a_missing_argument_is_named(folders, db):
    with pytest.raises(CommandError, match="arguments are required: --katotth"):
        add_hromada(folders, {"--katotth": None})


def test_every_problem_is_named_at_once_in_ukrainian(folders, db):
    with pytest.raises(CommandError) as refusal:
        add_hromada(
            folders, {"--katotth": "UA1", "--slug": "Pokrov", "--from-template": "kyiv"}, "uk"
        )
    message = str(refusal.value)
    assert message.startswith("Нічого не записано.")
    for argument in ("--katotth", "--slug", "--from-template"):
        assert f"\n{argument}: " in message
    assert "не код КАТОТТГ" in message
    assert rows()["Municipality"] == 0


def test_a_good_run_onboards_the_hromada_from_a_real_boundary_file(folders, db):
    output = add_hromada(folders)
    pokrov = Municipality.objects.get(slug="pokrov")
    assert (pokrov.name_uk, pokrov.name_en) == ("Покров", "Pokrov")
    assert (pokrov.oblast_uk, pokrov.oblast_en) == ("Дніпропетровська", "Dnipropetrovsk")
    assert (pokrov.katotth, pokrov.katotth_hromada) == (
        "UA12080090010010311",
        "UA12080090000039979",
    )
    # The zipped Shapefile in Pulkovo 1942 / Gauss–Krüger, reprojected to EPSG:4326.
    lon_min, _lat_min, _lon_max, lat_max = pokrov.boundary.extent
    assert lon_min == pytest.approx(34.04, abs=0.003)
    assert lat_max == pytest.approx(47.71, abs=0.003)
    assert not pokrov.boundary_is_approximate
    assert pokrov.boundary_source.startswith("pokrov-pulkovo1942-gk6.zip")
    assert pokrov.covers(pokrov.centre)
    # PROCEDURE.md, "Deadlines": the model's defaults.
    assert (pokrov.moderation_working_days, pokrov.acknowledgement_working_days) == (1, 2)
    assert (pokrov.answer_calendar_days, pokrov.extension_ceiling_calendar_days) == (15, 45)

    # The standard template: DOMAIN.md's twelve departments, sixteen categories and routing.
    assert pokrov.departments.count() == 12
    assert pokrov.categories.count() == 16
    assert RoutingRule.objects.filter(category__municipality=pokrov).count() == 15
    kiosks = pokrov.categories.get(code="illegal-maf")
    assert RoutingRule.route(pokrov.centre, kiosks) == pokrov.departments.get(code="arch")

    passports = LayerPassport.objects.filter(municipality=pokrov).select_related("department")
    assert sorted(p.layer for p in passports) == LAYERS
    for passport in passports:
        assert passport.department is not None
        assert passport.department.code == "arch"  # DOMAIN.md: arch owns all four layers
        assert passport.update_frequency == FREQUENCY[passport.layer]

    assert written(folders) == ["boundaries/pokrov.geojson", "reference/pokrov.json"]
    reference = json.loads((folders / "reference" / "pokrov.json").read_text())
    assert reference["municipality"]["boundary_file"] == "boundaries/pokrov.geojson"
    assert "Created municipality pokrov" in output and "/m/pokrov/" in output

    page = Client().get("/en/m/pokrov/")
    assert page.status_code == 200
    assert "Pokrov" in page.content.decode()
    boundary = Client().get("/api/v1/municipalities/pokrov/").json()
    assert boundary["properties"]["katotth"] == "UA12080090010010311"


def test_a_template_from_another_hromada_keeps_its_layer_owners_and_no_e_mails(folders, db):
    def with_email(data: dict) -> None:
        data["departments"][0]["email"] = "arch@pokrovsk.example.org"

    pokrov_file = json.loads((REFERENCE / "pokrov.json").read_text())
    add_hromada(folders, {"--from-template": "pokrov"})
    pokrov = Municipality.objects.get(slug="pokrov")
    assert pokrov.departments.count() == len(pokrov_file["departments"]) == 6
    land = LayerPassport.objects.get(municipality=pokrov, layer="land")
    assert land.department == pokrov.departments.get(code="land")  # land relations (DOMAIN.md)

    add_hromada(
        folders,
        {"--slug": "novyi", "--katotth": "UA12080090020010311", "--katotth-hromada": None,
         "--name-uk": "Новий", "--name-en": "Novyi",
         "--from-template": template_file(folders, with_email)},
    )  # fmt: skip
    novyi = Municipality.objects.get(slug="novyi")
    assert not novyi.departments.exclude(email="").exists()


def test_a_failure_while_loading_removes_the_written_files(folders, db):
    """A template value the database refuses (an icon longer than its 40 characters) is
    found only while loading: the transaction rolls back and both files go again."""

    def long_icon(data: dict) -> None:
        data["categories"][0]["icon"] = "x" * 41

    changed = template_file(folders, long_icon)
    files = written(folders)
    with pytest.raises(CommandError, match="Nothing was written"):
        add_hromada(folders, {"--from-template": changed})
    assert written(folders) == files
    assert rows()["Municipality"] == 0


def test_re_running_changes_nothing(folders, db):
    add_hromada(folders)
    files = {path: (folders / path).read_bytes() for path in written(folders)}
    before = rows()
    boundary = Municipality.objects.get(slug="pokrov").boundary
    output = add_hromada(folders)
    assert "onboarded already" in output
    call_command("load_reference", str(folders / "reference" / "pokrov.json"), stdout=StringIO())
    assert rows() == before
    assert {path: (folders / path).read_bytes() for path in written(folders)} == files
    assert Municipality.objects.get(slug="pokrov").boundary.equals_exact(boundary, 0)


def test_a_re_run_with_another_name_says_where_to_rename(folders, db):
    add_hromada(folders)
    with pytest.raises(CommandError, match="--name-en: pokrov is onboarded as 'Pokrov'"):
        add_hromada(folders, {"--name-en": "Pokrov city"})
    assert Municipality.objects.get(slug="pokrov").name_en == "Pokrov"


def test_the_written_file_is_the_source_of_truth(folders, db):
    """Another server gets the same hromada from the two written files by load_reference."""
    add_hromada(folders)
    kept = Municipality.objects.get(slug="pokrov")
    boundary, centre = kept.boundary, kept.centre
    kept.delete()
    load_reference_file(folders / "reference" / "pokrov.json", log=lambda _msg: None)
    again = Municipality.objects.get(slug="pokrov")
    assert again.boundary.equals_exact(boundary, 0) and again.centre.equals_exact(centre, 1e-6)
    assert not again.boundary_is_approximate
    assert LayerPassport.objects.filter(municipality=again, department__isnull=False).count() == 4


def test_dry_run_writes_nothing(folders, db):
    output = add_hromada(folders, {"--dry-run": ""})
    assert "Boundary: 1 feature(s) from pokrov-pulkovo1942-gk6.zip" in output
    assert rows()["Municipality"] == 0 and written(folders) == []


def test_an_overlap_with_another_hromada_is_reported(pokrov, folders):
    output = add_hromada(
        folders,
        {"--slug": "pokrov-official", "--katotth": "UA12080090020010311"},
    )
    assert re.search(r"overlaps pokrov by \d+\.\d km²", output)
    assert Municipality.objects.filter(slug="pokrov-official").exists()


def test_boundary_file_is_resolved_against_the_reference_folders_parent(
    folders, db, tmp_path, monkeypatch
):
    """data/reference/<slug>.json names "boundaries/x.geojson": data/boundaries/x.geojson,
    wherever the command runs from."""
    (folders / "boundaries").mkdir()
    shutil.copy(
        REFERENCE.parent / "boundaries" / "pokrov-approximate.geojson", folders / "boundaries"
    )
    shutil.copy(REFERENCE / "pokrov.json", folders / "reference")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    call_command("load_reference", "../data/reference/pokrov.json", stdout=StringIO())
    pokrov = Municipality.objects.get(slug="pokrov")
    assert area_km2(pokrov.boundary) == pytest.approx(170.1, rel=0.02)  # DOMAIN.md


def test_a_reference_file_leaving_a_layer_without_a_department_is_refused(folders, db):
    data = json.loads((REFERENCE / "pokrov.json").read_text())
    data.pop("layer_passports")
    data["routing_rules"] = [r for r in data["routing_rules"] if r["category"] != "land-misuse"]
    (folders / "boundaries").mkdir()
    shutil.copy(
        REFERENCE.parent / "boundaries" / "pokrov-approximate.geojson", folders / "boundaries"
    )
    path = folders / "reference" / "pokrov.json"
    path.write_text(json.dumps(data, ensure_ascii=False))
    with pytest.raises(
        ReferenceDataError, match="no department is responsible for the layer 'land'"
    ):
        load_reference_file(path, log=lambda _msg: None)
    assert not Municipality.objects.exists()


# --- a passport never shows "—" for its department -------------------------------------


def planner_of(municipality: Municipality) -> Client:
    user = make_user(f"planner_{municipality.slug}", municipality, is_staff=True)
    return client_of(give_role(user, Role.PLANNING_EDITOR))


def assert_every_passport_names_its_department(slug: str) -> None:
    municipality = Municipality.objects.get(slug=slug)
    api = Client().get("/api/v1/layers/", {"municipality": slug}).json()
    assert sorted(row["layer"] for row in api) == LAYERS
    assert all(row["department"] for row in api), api

    page = Client().get("/en/open-data/").content.decode()
    for layer in LAYERS:
        section = page.split(f'id="dataset-{slug}-{layer}"')[1].split("</section>")[0]
        department = LayerPassport.objects.get(municipality__slug=slug, layer=layer).department
        assert department is not None
        assert f"<dt>Responsible</dt><dd>{department.name_en}</dd>" in section, section

    staff = planner_of(municipality).get("/en/staff/layers/").content.decode()
    cells = re.findall(r'<th scope="row">[^<]*</th><td>[^<]*</td><td>([^<]*)</td>', staff)
    assert len(cells) == 4 and "—" not in cells, cells


def test_a_new_hromadas_passports_name_their_department(folders, db):
    add_hromada(folders)
    assert_every_passport_names_its_department("pokrov")


@pytest.mark.parametrize("slug", ["pokrovsk", "pokrov"])
def test_the_shipped_hromadas_passports_name_their_department(db, slug):
    load_hromada(slug)
    assert_every_passport_names_its_department(slug)


def test_the_migration_gives_a_department_to_passports_kept_without_one(pokrovsk, pokrov):
    LayerPassport.objects.update(department=None)
    migration = importlib.import_module(
        "geoportal.municipalities.migrations.0004_layer_passport_departments"
    )
    migration.fill_responsible_departments(apps, None)
    owners = sorted(
        LayerPassport.objects.values_list("municipality__slug", "layer", "department__code")
    )
    # DOMAIN.md: arch keeps the layers; Pokrov's land-misuse reports go to its land
    # relations department (data/reference/pokrov.json), which answers for its plots.
    assert owners == [
        ("pokrov", "advertising", "arch"), ("pokrov", "land", "land"),
        ("pokrov", "maf", "arch"), ("pokrov", "zoning", "arch"),
        ("pokrovsk", "advertising", "arch"), ("pokrovsk", "land", "arch"),
        ("pokrovsk", "maf", "arch"), ("pokrovsk", "zoning", "arch"),
    ]  # fmt: skip


def test_a_passport_created_by_an_edit_names_the_department_routing_points_to(pokrov):
    LayerPassport.objects.filter(municipality=pokrov).delete()
    LayerPassport.touch(pokrov.pk, "land")  # an edit or an import of a layer without passport
    passport = LayerPassport.objects.get(municipality=pokrov, layer="land")
    assert passport.department == pokrov.departments.get(code="land")
    kiosk = Point(34.1149, 47.6547, srid=4326)
    assert RoutingRule.route(kiosk, pokrov.categories.get(code="land-misuse")) == (
        passport.department
    )
