"""Spreadsheet formula injection, one table: every CSV and XLSX the platform produces,
fed each payload through every text field a resident or staff can set that reaches it.

A row is an export (a URL, the file the worker built for it, or a command), the text
fields planted with the payload, and the column that must stay a number. Every cell is
read back: a CSV with csv.QUOTE_NONNUMERIC, so that a cell written without quotes must
be a number and a quoted one is text that must not start like a formula (it carries the
leading apostrophe of geoportal.core.spreadsheet); an XLSX with openpyxl, where every
text cell must be a string cell (data type "s"), never a formula ("f").

The last tests hold the class: a URL whose pattern is an export, or a module that
writes CSV or XLSX by itself (the csv module, openpyxl, GDAL's CSV driver, pandas),
fails the build until it has a row here or goes through geoportal.core.spreadsheet.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from io import StringIO
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.conf import settings
from django.contrib.gis.geos import Point
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from geoportal.accounts.roles import Role
from geoportal.core.spreadsheet import BOM, neutralise, starts_like_formula
from geoportal.municipalities.models import Category, Department, Municipality
from geoportal.opendata.downloads import Download, build
from geoportal.permits.states import State
from geoportal.reports.models import Report
from layers.exporting import FORMATS
from layers.models import AdvertisingStructure, ImportRun, LandPlot, TemporaryStructure, ZoningZone
from tests.cast import give_role, load_hromada, make_user
from tests.layers.conftest import CENTRE
from tests.layers.conftest import square as square_around
from tests.permits.conftest import application_in
from tests.reports.conftest import file_report

pytestmark = pytest.mark.django_db

# OWASP's CSV Injection cases: a formula, DDE, an @-function, arithmetic, tab and CR.
PAYLOADS = [
    '=HYPERLINK("http://evil","x")',
    "+cmd|' /C calc'!A0",
    "@SUM(1)",
    "-2+3",
    "\tleading tab",
    "\rleading carriage return",
]

# The text fields a planner sets (admin, import) that the public layer exports carry.
LAYER_TEXT = {
    "maf": (TemporaryStructure, ("passport_number", "owner_name", "address", "land_use_basis",
                                 "cancellation_decision")),
    "advertising": (AdvertisingStructure, ("permit_number", "decision_number", "distributor_name",
                                           "address", "communal_site_contract")),
    "land": (LandPlot, ("purpose_text",)),
    "zoning": (ZoningZone, ("code", "name", "predominant_uses", "accompanying_uses",
                            "permitted_uses", "restrictions", "decision_number", "document_url")),
}  # fmt: skip


@dataclass
class World:
    client: Client
    folder: Path
    report: Report


def plant_layer(layer: str) -> Callable[[World, str], int]:
    def plant(world: World, payload: str) -> int:
        model, fields = LAYER_TEXT[layer]
        return model._default_manager.update(**dict.fromkeys(fields, payload))

    return plant


def plant_title(world: World, payload: str) -> int:
    """A resident's title, kept as written after the moderator approved the report."""
    return Report.objects.filter(pk=world.report.pk).update(title=payload)


def plant_names(world: World, payload: str) -> int:
    """What staff name: the department, the category and the hromada itself."""
    names = {"name_uk": payload, "name_en": payload}
    report = world.report
    assert report.department_id is not None
    return (
        Department.objects.filter(pk=report.department_id).update(**names)
        + Category.objects.filter(pk=report.category_id).update(**names)
        + Municipality.objects.filter(pk=report.municipality_id).update(**names)
    )


def plant_conflict(world: World, payload: str) -> int:
    """An advertising structure whose permit ran out: its number and address are listed."""
    return AdvertisingStructure.objects.update(
        permit_number=payload, address=payload,
        permit_valid_from=date(2019, 1, 1), permit_valid_to=date(2020, 1, 1),
    )  # fmt: skip


def plant_permit(world: World, payload: str) -> int:
    """What an applicant writes that the register publishes: the organisation's name (the
    holder) and the address of the site."""
    from geoportal.permits.models import Application

    return Application.objects.update(organisation_name=payload, address=payload)


def plant_run(world: World, payload: str) -> int:
    """An import run whose report quotes a cell of the planner's file as a reason."""
    ImportRun.objects.create(
        municipality=world.report.municipality, layer="land", entry="command",
        file_name="plots.gpkg", file_sha256="0" * 64, file_size=1, status="refused",
        report={"rows": [["error", 1, "purpose_code", payload], ["error", 2, "area_ha", "x"]]},
    )  # fmt: skip
    return 1


def run_report(world: World) -> bytes:
    run = ImportRun.objects.latest("pk")
    return url(f"/admin/layers/importrun/{run.pk}/report.csv", role="planner")(world)


def body(response: Any) -> bytes:
    assert response.status_code == 200, response.status_code
    if response.streaming:
        return b"".join(response.streaming_content)
    return bytes(response.content)


def url(path: str, role: str = "") -> Callable[[World], bytes]:
    def fetch(world: World) -> bytes:
        client = world.client
        if role:
            from django.contrib.auth import get_user_model

            client.force_login(get_user_model().objects.get(username=role))
        return body(client.get(path))

    return fetch


def prebuilt(dataset: str, path: str) -> Callable[[World], bytes]:
    """The file the worker builds for the download, as the URL then sends it."""

    def fetch(world: World) -> bytes:
        assert build(Download(dataset), force=True)
        response = world.client.get(path)
        assert response.has_header("ETag")  # the prebuilt file, not one written now
        return body(response)

    return fetch


def export_command(layer: str) -> Callable[[World], bytes]:
    def fetch(world: World) -> bytes:
        target = world.folder / f"{layer}.csv"
        call_command("export_layer", layer, str(target), "--format", "csv", stdout=StringIO())
        return target.read_bytes()

    return fetch


def conflict_command(world: World) -> bytes:
    out = StringIO()
    call_command("conflict_report", "--format", "csv", stdout=out)
    return out.getvalue().encode()


@dataclass(frozen=True)
class Export:
    name: str
    kind: str  # csv or xlsx
    covers: str  # the URL name or command it stands for
    plant: tuple[Callable[[World, str], int], ...]
    fetch: Callable[[World], bytes]
    number_column: int  # a column of numbers, which must stay numbers

    @property
    def id(self) -> str:
        return self.name


STATISTICS = "/api/v1/reports/statistics/export"
EXPORTS = [
    Export("reports CSV, all hromadas", "csv", "api:report-export", (plant_title,),
           url("/api/v1/reports/export.csv"), 1),
    Export("reports CSV, one hromada", "csv", "api:report-export", (plant_title,),
           url("/api/v1/reports/export.csv?municipality=pokrovsk"), 1),
    Export("reports CSV built by the worker", "csv", "api:report-export", (plant_title,),
           prebuilt("reports", "/api/v1/reports/export.csv"), 1),
    *(Export(f"{layer} CSV", "csv", "api:layer-export", (plant_layer(layer),),
             url(f"/api/v1/layers/{layer}/export.csv?municipality=pokrovsk"), 1)
      for layer in LAYER_TEXT),
    *(Export(f"{layer} CSV built by the worker", "csv", "api:layer-export",
             (plant_layer(layer),), prebuilt(layer, f"/api/v1/layers/{layer}/export.csv"), 1)
      for layer in LAYER_TEXT),
    *(Export(f"export_layer {layer} --format csv", "csv", "export_layer", (plant_layer(layer),),
             export_command(layer), 1)
      for layer in LAYER_TEXT),
    Export("permit register CSV, all hromadas", "csv", "api:permit-export", (plant_permit,),
           url("/api/v1/permits/export.csv"), 1),
    Export("permit register CSV, one hromada", "csv", "api:permit-export", (plant_permit,),
           url("/api/v1/permits/export.csv?municipality=pokrovsk"), 1),
    Export("permit register CSV built by the worker", "csv", "api:permit-export",
           (plant_permit,), prebuilt("permits", "/api/v1/permits/export.csv"), 1),
    Export("control report CSV by department", "csv", "api:statistics-export", (plant_names,),
           url(f"{STATISTICS}.csv?by=department"), 2),
    Export("control report CSV by category", "csv", "api:statistics-export", (plant_names,),
           url(f"{STATISTICS}.csv?by=category"), 2),
    Export("control report XLSX", "xlsx", "api:statistics-export", (plant_names,),
           url(f"{STATISTICS}.xlsx"), 2),
    Export("conflict report CSV (admin page)", "csv", "admin:layers-conflicts",
           (plant_conflict,), url("/admin/layers/layerpassport/conflicts/?format=csv",
                                  role="planner"), 1),
    Export("conflict_report --format csv", "csv", "conflict_report", (plant_conflict,),
           conflict_command, 1),
    Export("an import run's report CSV (admin)", "csv", "admin:layers_importrun_report",
           (plant_run,), run_report, 1),
]  # fmt: skip


@pytest.fixture(scope="module")
def scene(django_db_setup: None, django_db_blocker: Any) -> Iterator[int]:
    """One public report, a feature of each layer and a registered permit application in
    Pokrovsk, a planner and a moderator, made once for the module (each case's own changes
    are rolled back)."""
    with django_db_blocker.unblock(), transaction.atomic():
        pokrovsk = load_hromada("pokrovsk")
        moderator = give_role(make_user("moderator", pokrovsk, is_staff=True), Role.MODERATOR)
        give_role(make_user("planner", pokrovsk, is_staff=True), Role.PLANNING_EDITOR)
        report = file_report()
        report.approve(moderator)  # routed to the department of street lighting
        point, square = Point(*CENTRE, srid=4326), square_around(*CENTRE)
        TemporaryStructure.objects.create(municipality=pokrovsk, geometry=point)
        AdvertisingStructure.objects.create(municipality=pokrovsk, geometry=point, sides=2)
        LandPlot.objects.create(
            municipality=pokrovsk, geometry=square, area_ha=Decimal("0.8250"),
            cadastral_number="1412600000:01:001:0001",
        )  # fmt: skip
        ZoningZone.objects.create(municipality=pokrovsk, geometry=square, code="Ж-1", name="Ж")
        # A registered application of a business (its name is the register's holder).
        application_in(State.UNDER_REVIEW, pokrovsk)
        yield report.pk
        transaction.set_rollback(True)


@pytest.fixture
def world(scene: int, settings: Any, tmp_path: Path) -> World:
    settings.EXPORTS_DIR = tmp_path / "exports"
    report = Report.objects.get(pk=scene)
    assert report.department_id is not None
    return World(Client(), tmp_path, report)


def csv_cells(raw: bytes) -> list[list[Any]]:
    """Every cell; a cell without quotes is read as a number and must be one."""
    text = raw.decode("utf-8").removeprefix(BOM)
    return list(csv.reader(io.StringIO(text, newline=""), quoting=csv.QUOTE_NONNUMERIC))


@pytest.mark.parametrize("payload", PAYLOADS, ids=repr)
@pytest.mark.parametrize("export", EXPORTS, ids=lambda e: e.id)
def test_every_cell_of_every_export_is_neutralised(world: World, export: Export, payload: str):
    assert starts_like_formula(payload)
    for plant in export.plant:
        assert plant(world, payload) >= 1  # the payload is in the data the export reads
    raw = export.fetch(world)
    if export.kind == "csv":
        rows = csv_cells(raw)
        cells = [cell for row in rows for cell in row]
        formulas = [c for c in cells if isinstance(c, str) and starts_like_formula(c)]
        assert formulas == []
        assert neutralise(payload) in cells  # it reached the export, apostrophe first
        numbers = [row[export.number_column] for row in rows[1:]]
        assert numbers and all(isinstance(n, float) for n in numbers), numbers
        return
    book = openpyxl.load_workbook(io.BytesIO(raw))
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    texts = [c for c in cells if isinstance(c.value, str)]
    assert texts and all(c.data_type == "s" for c in texts)
    # XML keeps a carriage return in text as a line feed (XML 1.0, end-of-line handling).
    planted = [c for c in texts if c.value == payload.replace("\r", "\n")]
    assert planted, "the payload did not reach the workbook"
    assert all(c.quotePrefix for c in planted)  # Excel keeps it text when edited too
    for sheet in book.worksheets:  # counts are numbers: row 4 on, under the headings
        counts = [row[export.number_column].value for row in sheet.iter_rows(min_row=4)]
        assert counts and all(isinstance(n, int) for n in counts), counts


# The rule itself, case by case: what is neutralised and what is left alone.
RULE = [
    ("=1+1", "'=1+1"),
    ("+1", "'+1"),
    ("-1", "'-1"),  # text that looks like a number stays text: it is quoted in the CSV too
    ("@A1", "'@A1"),
    ("\t=1", "'\t=1"),
    ("\r=1", "'\r=1"),
    ("  =1+1", "'  =1+1"),  # spaces first: some programs trim them
    ("＝1+1", "'＝1+1"),  # the full-width sign Excel accepts in East Asian input
    ("вул. Центральна, 1", "вул. Центральна, 1"),
    ("1-2", "1-2"),
    ("a=b", "a=b"),
    ("", ""),
]


@pytest.mark.parametrize(("text", "written"), RULE, ids=repr)
def test_the_rule_neutralises_formulas_only(text: str, written: str):
    assert neutralise(text) == written


def _url_names(resolver: URLResolver, prefix: str = "") -> list[tuple[str, str]]:
    found = []
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            space = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            found += _url_names(entry, space)
        elif isinstance(entry, URLPattern) and entry.name:
            found.append((f"{prefix}{entry.name}", str(entry.pattern)))
    return found


def test_every_export_url_has_a_row():
    """A new export URL (a pattern naming csv, xlsx or export) needs a row in EXPORTS."""
    covered = {export.covers for export in EXPORTS}
    exporting = {
        name
        for name, pattern in _url_names(get_resolver())
        if re.search(r"export|csv|xlsx", pattern + name, re.IGNORECASE)
    }
    # The layer export's formats other than CSV are GIS files, not spreadsheets.
    assert exporting - covered == set()
    assert {"api:report-export", "api:layer-export", "api:statistics-export"} <= exporting


# Modules that may name spreadsheet machinery: the rule itself, and openpyxl's styles
# (fonts of the control report) where the cells are written by the rule.
ALLOWED = {
    "geoportal/core/spreadsheet.py": r".*",
    "geoportal/reports/exports.py": r"from openpyxl\.styles import",
}
WRITES_SPREADSHEETS = re.compile(
    r"^\s*(import csv|from csv import|import openpyxl|from openpyxl[\w.]* import|"
    r"import xlsxwriter|from xlsxwriter)|\.to_csv\(|\.to_excel\(|driver\s*=\s*[\"']CSV[\"']|"
    r"ExportFormat\([\"']CSV[\"']",
    re.MULTILINE,
)


def test_nothing_else_writes_a_spreadsheet():
    """CSV and XLSX are written by geoportal.core.spreadsheet only (GDAL's CSV driver and
    pandas' writers included): a module of its own would skip the rule."""
    root = Path(settings.BASE_DIR)
    offenders = []
    for folder in ("geoportal", "layers", "frontend"):
        for path in sorted((root / folder).rglob("*.py")):
            name = path.relative_to(root).as_posix()
            if "/migrations/" in name or "node_modules" in name:
                continue
            for match in WRITES_SPREADSHEETS.finditer(path.read_text(encoding="utf-8")):
                allowed = ALLOWED.get(name)
                if not (allowed and re.match(allowed, match.group(0).strip())):
                    offenders.append(f"{name}: {match.group(0).strip()}")
    assert offenders == []
    assert all(spec.driver != "CSV" for spec in FORMATS.values())
