"""The land quality checks of the conflict report, case by case (tests/layers/land_cases.py):
exactly what each quarter reports, in the checks, the command's text and CSV, the admin
pages, their CSV, the quarter summary and the land API's quarter filter."""

from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from geoportal.municipalities.models import Municipality
from layers.cadastre import quarter_of
from layers.conflicts import ConflictKind, LandChecks, land_conflicts, quarter_report
from layers.conflicts.classifier import classifier, classifier_path
from layers.geometry import reprojected
from layers.models import LandPlot
from tests.layers.conftest import square
from tests.layers.land_cases import CASES, KOATUU, Case, Found, build, outside_m2
from tests.layers.test_import import PARCELS, kozelshchyna, run  # noqa: F401  (a fixture)

pytestmark = pytest.mark.django_db

CONFLICTS = "/admin/layers/layerpassport/conflicts/"
QUARTERS = "/admin/layers/layerpassport/quarters/"
QUARTERS_OF_CASES = [(case, quarter) for case in CASES for quarter in case.quarters]


@pytest.fixture
def plots(pokrovsk: Municipality) -> dict[str, LandPlot]:
    return build(pokrovsk)


def expected_in(quarter: str | None) -> list[Found]:
    """What the table says is found in the quarter (everywhere, for None)."""
    return [
        found
        for case in CASES
        for found in case.found
        if quarter is None or any(quarter_of(key) == quarter for key in found.plots)
    ]


def pairs_and_kinds(found: list[Found]) -> Counter[tuple[str, frozenset[str]]]:
    return Counter((f.kind.value, f.plots) for f in found)


def reported(conflicts: list[Any]) -> Counter[tuple[str, frozenset[str]]]:
    return Counter(
        (c.kind.value, frozenset(k for k in (c.key, c.other_key) if k))
        for c in conflicts
        if c.layer == "land"
    )


def case_quarter_id(item: tuple[Case, str]) -> str:
    case, quarter = item
    return f"{case.name} [{quarter}]"


def expected_area(municipality: Municipality, found: Found) -> float | None:
    if found.kind == ConflictKind.OUTSIDE_HROMADA and found.area_m2 is None:
        case = next(c for c in CASES if found in c.found)
        return outside_m2(municipality, case.plots[0])
    return found.area_m2


@pytest.mark.parametrize(
    ("case", "quarter"), QUARTERS_OF_CASES, ids=map(case_quarter_id, QUARTERS_OF_CASES)
)
def test_each_quarter_reports_exactly_its_cases(pokrovsk, plots, case: Case, quarter: str):
    conflicts = land_conflicts(pokrovsk, LandChecks(quarter=quarter))
    assert reported(conflicts) == pairs_and_kinds(expected_in(quarter))
    for found in expected_in(quarter):
        (conflict,) = [c for c in conflicts if c.kind == found.kind
                       and {c.key, c.other_key} - {""} == found.plots]  # fmt: skip
        assert found.detail in conflict.detail
        assert conflict.quarter == quarter  # the plot of the quarter comes first
        area = expected_area(pokrovsk, found)
        if area is not None:
            assert conflict.area_m2 == pytest.approx(area, rel=1e-3)


def test_the_whole_report_is_every_case_once(pokrovsk, plots):
    conflicts = land_conflicts(pokrovsk, LandChecks())
    assert reported(conflicts) == pairs_and_kinds(expected_in(None))
    straddling = next(c for c in conflicts if c.key.endswith("108:0001"))
    assert straddling.area_m2 is not None and 0 < straddling.area_m2 < 400 * 400  # a part


def test_registered_area_finding_carries_both_areas(pokrovsk, plots):
    (conflict,) = land_conflicts(pokrovsk, LandChecks(quarter=f"{KOATUU}:01:105"))
    assert conflict.registered_ha == 1.1
    assert conflict.measured_ha == pytest.approx(1.0, rel=1e-3)
    # 10,000 m² in the TM plane is 9,998 m² on the spheroid (the zone's scale here).
    assert conflict.detail == "зареєстровано 1,1000 га, виміряно 0,9998 га (-9,1 %)"


# (smallest overlap m², area tolerance %, quarter, found there): each threshold moves the
# line it should.
THRESHOLDS = [
    (0.4, 5, "101", {ConflictKind.PLOT_OVERLAP}),  # 0.5 m² is over 0.4
    (2.5, 5, "102", set()),  # 2 m² is under 2.5
    (19_500, 5, "103", set()),  # 1.9 ha is under 19,500 m²
    (19_500, 5, "109", {ConflictKind.DUPLICATE_GEOMETRY}),  # the same boundary: any area
    (1, 10, "105", set()),  # 9.1 % is within 10 %
    (1, 3, "106", {ConflictKind.AREA_MISMATCH}),  # 3.8 % is not within 3 %
]


@pytest.mark.parametrize(("min_m2", "tolerance", "quarter", "kinds"), THRESHOLDS)
def test_thresholds(pokrovsk, plots, min_m2: float, tolerance: float, quarter: str, kinds):
    checks = LandChecks(min_m2, tolerance, f"{KOATUU}:01:{quarter}")
    assert {c.kind for c in land_conflicts(pokrovsk, checks)} == kinds


def test_another_hromadas_plots_are_not_paired(pokrovsk, pokrov, plots):
    """The same boundary stored for another hromada overlaps nothing of this one."""
    twin = plots[f"{KOATUU}:01:104:0001"]
    LandPlot.objects.create(
        municipality=pokrov, geometry=twin.geometry, cadastral_number="1211600000:01:104:0001"
    )
    assert land_conflicts(pokrovsk, LandChecks(quarter=f"{KOATUU}:01:104")) == []


# --- the purpose code against the category: the SQL and the rule say the same ----------------

SECTIONS = sorted(classifier().sections.values(), key=lambda s: s.section)
CATEGORIES = [choice.value for choice in LandPlot.Category]
PURPOSES = [
    (category, f"{s.section}.{sub:02d}")
    for s in SECTIONS
    for category in CATEGORIES
    for sub in sorted({0, 1, s.last, s.last + 1})
]


def test_every_section_against_every_category(pokrovsk):
    """Every section's first, last and one-past-last code on every category: the query flags
    exactly the plots the classifier's rule refuses (the rule is the table's only reader
    besides the query)."""
    rules = classifier()
    side = 0.00005
    for n, (category, code) in enumerate(PURPOSES):
        lon, lat = 37.15 + (n % 40) * 0.0002, 48.26 + (n // 40) * 0.0002
        LandPlot.objects.create(
            municipality=pokrovsk, cadastral_number=f"{KOATUU}:02:001:{n:04d}",
            geometry=square(lon, lat, side),
            category=category, purpose_code=code,
        )  # fmt: skip
    flagged = {
        c.key: c.detail
        for c in land_conflicts(pokrovsk, LandChecks(quarter=f"{KOATUU}:02:001"))
        if c.kind == ConflictKind.PURPOSE_CATEGORY
    }
    expected = {
        f"{KOATUU}:02:001:{n:04d}": rules.problem(category, code)
        for n, (category, code) in enumerate(PURPOSES)
        if rules.problem(category, code)
    }
    assert flagged == expected
    assert f"{KOATUU}:02:001:{PURPOSES.index(('100', '16.00')):04d}" not in flagged
    assert f"{KOATUU}:02:001:{PURPOSES.index(('200', '03.20')):04d}" not in flagged
    assert f"{KOATUU}:02:001:{PURPOSES.index(('200', '03.21')):04d}" in flagged


def test_the_classifier_names_its_legal_source():
    data = json.loads(classifier_path().read_text(encoding="utf-8"))
    sources = " ".join(data["sources"])
    assert "23.07.2010 № 548" in sources and "№ 1051" in sources and "стаття 19" in sources
    categories = {s.category for s in classifier().sections.values()}
    assert categories == {*CATEGORIES, "any"}


# --- the quarter summary --------------------------------------------------------------------


def test_quarter_summary_counts_each_quarters_findings(pokrovsk, plots):
    (zone,) = quarter_report(pokrovsk, LandChecks())
    assert zone.name == f"{KOATUU}:01"
    quarters = {q.name: q for q in zone.quarters}
    case_quarters = {quarter for case in CASES for quarter in case.quarters}
    assert set(quarters) == case_quarters
    for quarter, tally in quarters.items():
        expected = Counter(f.kind.value for f in expected_in(quarter))
        assert tally.counts == expected, quarter
        assert tally.plots == sum(1 for key in plots if quarter_of(key) == quarter)
    # The zone counts the pair across quarters 113 and 114 once.
    assert zone.counts == Counter(f.kind.value for f in expected_in(None))
    assert zone.plots == len(plots)


# --- the command ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("case", "quarter"), QUARTERS_OF_CASES, ids=map(case_quarter_id, QUARTERS_OF_CASES)
)
def test_command_lists_each_quarter(pokrovsk, plots, case: Case, quarter: str):
    out = StringIO()
    call_command("conflict_report", "--municipality", "pokrovsk", "--quarter", quarter,
                 stdout=out)  # fmt: skip
    lines = out.getvalue().splitlines()
    land = [line for line in lines if line.startswith("land ")]
    expected = expected_in(quarter)
    assert len(land) == len(expected)
    for found in expected:
        key = next(k for k in sorted(found.plots) if quarter_of(k) == quarter)
        assert any(line.startswith(f"land {key}, квартал {quarter}: {found.kind.label}")
                   for line in land), (found, land)  # fmt: skip
    assert lines[-1].startswith(f"{len(expected)} conflicts.")
    assert not [line for line in lines if line.startswith(("maf ", "advertising "))]


def test_command_csv_has_every_finding_with_its_numbers(pokrovsk, plots):
    out = StringIO()
    call_command("conflict_report", "--municipality", "pokrovsk", "--format", "csv", stdout=out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    land = [row for row in rows if row["layer"] == "land"]
    got = Counter((r["conflict"], frozenset(k for k in (r["key"], r["other_key"]) if k))
                  for r in land)  # fmt: skip
    assert got == pairs_and_kinds(expected_in(None))
    by_pair = {(r["conflict"], r["key"], r["other_key"]): r for r in land}
    overlap = by_pair[("plot_overlap", f"{KOATUU}:01:103:0001", f"{KOATUU}:01:103:0002")]
    assert float(overlap["area_m2"]) == pytest.approx(19_000, rel=1e-3)
    assert overlap["quarter"] == f"{KOATUU}:01:103"
    area = by_pair[("area_mismatch", f"{KOATUU}:01:105:0001", "")]
    assert float(area["registered_ha"]) == 1.1
    assert float(area["measured_ha"]) == pytest.approx(1.0, rel=1e-3)


def test_command_quarters_text_and_csv(pokrovsk, plots):
    out = StringIO()
    call_command("conflict_report", "--municipality", "pokrovsk", "--quarters", "--format",
                 "csv", stdout=out)  # fmt: skip
    rows = {row["quarter"]: row for row in csv.DictReader(io.StringIO(out.getvalue()))}
    for quarter, row in rows.items():
        expected = Counter(f.kind.value for f in expected_in(quarter))
        assert {kind.value: int(row[kind.value]) for kind in ConflictKind.land()} == {
            kind.value: expected[kind.value] for kind in ConflictKind.land()
        }
        assert int(row["total"]) == sum(expected.values())
    assert int(rows[f"{KOATUU}:01:103"]["plots"]) == 2
    assert float(rows[f"{KOATUU}:01:103"]["registered_ha"]) == 4.0
    text = StringIO()
    call_command("conflict_report", "--municipality", "pokrovsk", "--quarters", stdout=text)
    lines = text.getvalue().splitlines()
    assert lines[1].split("\t")[:2] == [f"{KOATUU}:01", str(len(plots))]
    assert f"  {KOATUU}:01:102\t2\t1\t0\t0\t0\t0\t1" in lines


BAD_OPTIONS = [
    (["--quarter", "1412600000:01"], "--quarter"),
    (["--quarter", "1412600000:01:%"], "--quarter"),
    (["--min-overlap", "-1"], "--min-overlap"),
    (["--area-tolerance", "100"], "--area-tolerance"),
]


@pytest.mark.parametrize(("options", "named"), BAD_OPTIONS)
def test_command_refuses_bad_options(pokrovsk, options: list[str], named: str):
    with pytest.raises(CommandError, match=re.escape(named)):
        call_command("conflict_report", *options, stdout=StringIO())


# --- the admin pages ------------------------------------------------------------------------

SECTION = re.compile(r'<h2 id="(\w+)">')
KEY_CELL = re.compile(
    r'<td class="qa-key"><a href="/admin/layers/landplot/\d+/change/">([\d:]+):<wbr>(\d+)</a></td>'
)


def page_findings(html: str) -> Counter[tuple[str, str]]:
    """(kind, cadastral number) of every row of the page's land sections."""
    found: Counter[tuple[str, str]] = Counter()
    parts = SECTION.split(html)
    for kind, body in zip(parts[1::2], parts[2::2], strict=True):
        for quarter, plot in KEY_CELL.findall(body):
            found[(kind, f"{quarter}:{plot}")] += 1
    return found


@pytest.mark.parametrize(
    ("case", "quarter"), QUARTERS_OF_CASES, ids=map(case_quarter_id, QUARTERS_OF_CASES)
)
def test_admin_page_lists_each_quarter(client, planner, plots, case: Case, quarter: str):
    client.force_login(planner)
    page = client.get(CONFLICTS, {"municipality": "pokrovsk", "quarter": quarter})
    assert page.status_code == 200
    html = page.content.decode()
    expected = Counter(
        (f.kind.value, next(k for k in sorted(f.plots) if quarter_of(k) == quarter))
        for f in expected_in(quarter)
    )
    assert page_findings(html) == expected
    for found in expected_in(quarter):
        assert found.detail in html
    csv_page = client.get(CONFLICTS, {"municipality": "pokrovsk", "quarter": quarter,
                                      "format": "csv"})  # fmt: skip
    rows = list(csv.DictReader(io.StringIO(csv_page.content.decode())))
    assert Counter((r["conflict"], r["key"]) for r in rows) == expected


def test_admin_quarters_page_and_its_csv(client, planner, plots):
    client.force_login(planner)
    page = client.get("/en" + QUARTERS, {"municipality": "pokrovsk"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "Land checks by cadastral quarter" in html
    for quarter in {q for case in CASES for q in case.quarters}:
        row = re.search(rf'<tr class="qa-quarter" data-name="{quarter}">(.*?)</tr>', html, re.S)
        assert row, quarter
        cells = re.findall(r"<td>(?:<a [^>]*>)?([\d.,]+)", row.group(1))
        counts = [int(n) for n in cells[2:-1]]
        expected = Counter(f.kind.value for f in expected_in(quarter))
        assert counts == [expected[kind.value] for kind in ConflictKind.land()], quarter
    # Each non-zero count leads to that quarter's report, at that kind.
    assert f"quarter={KOATUU}%3A01%3A103" in html and "#plot_overlap" in html
    # The planning console leads there.
    assert f'href="/en{QUARTERS}"' in client.get("/en/staff/layers/").content.decode()
    download = client.get(QUARTERS, {"municipality": "pokrovsk", "format": "csv"})
    assert download["Content-Type"] == "text/csv; charset=utf-8"
    lines = download.content.decode().splitlines()
    assert lines[0].startswith('"zone","quarter","plots","registered_ha","plot_overlap"')
    assert f'"{KOATUU}:01","{KOATUU}:01:102",2,0.08,1,0,0,0,0,1' in lines


def test_admin_pages_in_ukrainian(client, planner, plots):
    client.force_login(planner)
    html = client.get(QUARTERS, {"municipality": "pokrovsk"}).content.decode()
    assert "Перевірка земель за кадастровими кварталами" in html
    assert "Земельні ділянки накладаються" in html
    report = client.get(CONFLICTS, {"municipality": "pokrovsk"}).content.decode()
    # 19,000 m² in the plane, 18,996 on the spheroid; Ukrainian digits: 18 996,4.
    assert re.search(r"18\xa099\d,\d м² спільно з 1412600000:01:103:0002", report)


BAD_PAGE_OPTIONS = [
    ({"quarter": "1412600000:01"}, "quarter"),
    ({"quarter": "' OR '1'='1"}, "quarter"),
    ({"min_overlap": "-5"}, "min_overlap"),
    ({"area_tolerance": "abc"}, "area_tolerance"),
]


@pytest.mark.parametrize(("params", "field"), BAD_PAGE_OPTIONS)
@pytest.mark.parametrize("path", [CONFLICTS, QUARTERS])
def test_admin_pages_refuse_bad_options(client, planner, plots, path: str, params, field: str):
    client.force_login(planner)
    download = client.get(path, {**params, "format": "csv"})
    assert download.status_code == 400
    assert download.content.decode().startswith(f"{field}: ")
    page = client.get(path, params)  # the page shows the error and the defaults' report
    assert page.status_code == 200
    assert 'class="errorlist"' in page.content.decode()


# --- the land API's quarter filter ----------------------------------------------------------


@pytest.mark.parametrize(
    ("case", "quarter"), QUARTERS_OF_CASES, ids=map(case_quarter_id, QUARTERS_OF_CASES)
)
def test_land_api_filters_by_quarter(client, plots, case: Case, quarter: str):
    answer = client.get("/api/v1/layers/land/", {"quarter": quarter})
    assert answer.status_code == 200
    numbers = {f["properties"]["cadastral_number"] for f in answer.json()["features"]}
    assert numbers == {key for key in plots if quarter_of(key) == quarter}


# --- real data ------------------------------------------------------------------------------

KYIV_CODES = Path(__file__).resolve().parents[1] / "data" / "registry" / "purpose_codes.tsv"
# Well-formed codes of the Kyiv records that no classifier has: typing slips and a date.
NOT_CODES = {"11.00", "17.01", "01.30", "09.06", "03.00", "02.13"}


def test_real_codes_of_kyiv_are_the_classifiers():
    """Every well-formed code the State Land Cadastre writes for 394,752 Kyiv parcels
    (tests/data/registry/README.md) is a code of the classifier, but for six oddities
    written on 25 parcels; 18.00 "land of common use, of any category" fits every category."""
    rules = classifier()
    with KYIV_CODES.open(encoding="utf-8") as rows:
        codes = [row["purpose_code"] for row in csv.DictReader(rows, delimiter="\t")]
    well_formed = [code for code in codes if re.fullmatch(r"\d{2}\.\d{2}", code)]
    unknown = {code for code in well_formed if rules.problem("100", code) and
               "не код" in (rules.problem("100", code) or "")}  # fmt: skip
    assert unknown == NOT_CODES
    assert len(well_formed) == 110  # distinct codes
    assert all(rules.problem(category, "18.00") is None for category in CATEGORIES)


def test_real_auction_parcels_of_kozelshchyna(kozelshchyna):  # noqa: F811
    """The 88 real plots, imported as the planning department would: their purposes fit
    their category (61 are 16.00 on agricultural land), their registered areas agree with
    the spheroid within 0.5 %, and no two of them overlap: GEOS, pair by pair in the metric
    zone (UCS-2000 TM zone 9, EPSG:6384), agrees, so nothing is invented."""
    run("land", str(PARCELS), "--municipality", "kozelshchyna")
    plots = list(LandPlot.objects.filter(municipality=kozelshchyna).order_by("pk"))
    assert len(plots) == 88
    conflicts = land_conflicts(kozelshchyna, LandChecks())
    kinds = {c.kind for c in conflicts}
    assert ConflictKind.PURPOSE_CATEGORY not in kinds
    assert ConflictKind.AREA_MISMATCH not in kinds
    assert ConflictKind.OUTSIDE_HROMADA not in kinds  # all inside the oblast's outline
    shapes = [(p.cadastral_number, reprojected(p.geometry, 6384)) for p in plots]
    expected = {
        frozenset((a_key, b_key))
        for i, (a_key, a) in enumerate(shapes)
        for b_key, b in shapes[i + 1 :]
        if a.intersects(b) and (a.equals(b) or a.intersection(b).area > 1)
    }
    found = {frozenset((c.key, c.other_key)) for c in conflicts
             if c.kind in (ConflictKind.PLOT_OVERLAP, ConflictKind.DUPLICATE_GEOMETRY)}  # fmt: skip
    assert found == expected == set()
