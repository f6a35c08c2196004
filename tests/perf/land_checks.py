"""Measure 7: the land quality checks of the conflict report over every plot of the hromada
(the command, a process of its own), against the same four queries run through psycopg.

The synthetic plots overlap nothing, so defects are planted first, as copies under other
cadastral numbers (7… instead of 9…) and removed afterwards: copies shifted by 1 % of their
width, at most ~0.7 m (an overlap of ~99 % of the plot; a cell's gap keeps them off the
neighbours, at the tiny scale's large plots too), some
with a registered area 10 % off or a housing purpose on agricultural land, exact copies
(duplicate boundaries), and copies a degree east of the hromada (outside it). The answer
of the platform is checked against what was planted.
"""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from collections import Counter
from typing import Any

import psycopg

from tests.perf.cases import Row
from tests.perf.database import MUNICIPALITY, Scale, libpq
from tests.perf.stats import timed

PLANT = """
WITH originals AS (
    SELECT row_number() OVER (ORDER BY p.id) AS n, p.*
    FROM layers_landplot p JOIN municipalities_municipality m ON m.id = p.municipality_id
    WHERE m.slug = %(slug)s AND p.cadastral_number LIKE '9%%'
    ORDER BY p.id LIMIT %(shifted)s + %(duplicated)s + %(far)s
)
INSERT INTO layers_landplot (is_demo, created_at, updated_at, geometry, cadastral_number,
    katotth, category, purpose_code, purpose_text, ownership, area_ha, user_name,
    normative_valuation, investor_status, municipality_id)
SELECT true, now(), now(),
    CASE WHEN n <= %(shifted)s
             THEN ST_Translate(geometry,
                               LEAST((ST_XMax(geometry) - ST_XMin(geometry)) / 100, 0.00001), 0)
         WHEN n <= %(shifted)s + %(duplicated)s THEN geometry
         ELSE ST_Translate(geometry, 1, 0) END,
    '7' || substr(cadastral_number, 2), katotth,
    CASE WHEN n <= %(shifted)s AND n %% 5 = 0 THEN '100' ELSE category END,
    CASE WHEN n <= %(shifted)s AND n %% 5 = 0 THEN '02.01' ELSE purpose_code END,
    purpose_text, ownership,
    CASE WHEN n <= %(shifted)s AND n %% 4 = 0 THEN round(area_ha * 1.1, 4) ELSE area_ha END,
    '', normative_valuation, investor_status, municipality_id
FROM originals
"""


def _forget(url: str) -> None:
    with psycopg.connect(libpq(url), autocommit=True) as db:
        db.execute("DELETE FROM layers_landplot WHERE cadastral_number LIKE '7%'")


def measure(url: str, scale: Scale) -> list[Row]:
    shifted, duplicated, far = scale.plots // 100, scale.plots // 1000, 20
    _forget(url)  # from an interrupted earlier run
    env = {**os.environ, "DATABASE_URL": url, "DEBUG": "0", "DEMO": "0",
           "SECRET_KEY": "bench-only-secret-key-0000000000000000000000000000"}  # fmt: skip
    command = [sys.executable, "manage.py", "conflict_report", "--municipality",
               MUNICIPALITY, "--quarters", "--format", "csv"]  # fmt: skip

    def report() -> Counter[str]:
        done = subprocess.run(command, check=True, env=env, capture_output=True, text=True)
        return _totals(done.stdout)

    # What the data has before the planting (the demo plots among the generated ones).
    before = report()
    with psycopg.connect(libpq(url), autocommit=True) as db:
        db.execute(PLANT, {"slug": MUNICIPALITY, "shifted": shifted,
                           "duplicated": duplicated, "far": far})  # fmt: skip
        db.execute("VACUUM ANALYZE layers_landplot")
    try:
        app, found = timed(report)
        planted = {"plot_overlap": 2 * shifted, "duplicate_geometry": 2 * duplicated,
                   "area_mismatch": shifted // 4, "outside_hromada": far,
                   "purpose_category": shifted // 5}  # fmt: skip
        # A pair lies in two quarters (9… and 7…): it counts in both.
        added = {kind: found[kind] - before[kind] for kind in planted}
        assert added == planted, (found, before)
        queries = _queries()
        bare, _rows = timed(lambda: _bare(url, queries))
    finally:
        _forget(url)
    plots = scale.plots + shifted + duplicated + far
    return [Row(f"7. land checks of {plots:,} plots ({shifted + duplicated:,} overlapping "
                f"pairs planted), conflict_report --quarters", f"{app:.1f} s",
                f"{bare:.1f} s (SQL)", f"{app / bare:.2f}×", "< 60 s", app < 60)]  # fmt: skip


def _totals(text: str) -> Counter[str]:
    totals: Counter[str] = Counter()
    for row in csv.DictReader(io.StringIO(text)):
        for kind in ("plot_overlap", "duplicate_geometry", "area_mismatch", "outside_hromada",
                     "purpose_category"):  # fmt: skip
            totals[kind] += int(row[kind])
    return totals


def _queries() -> list[tuple[str, dict[str, Any]]]:
    """The platform's own four queries with their parameters (the boundary grown by GEOS
    beforehand), as the bare side runs them through psycopg."""
    from geoportal.municipalities.models import Municipality
    from layers.cadastre import QUARTER_LENGTH, like_quarter
    from layers.conflicts import land
    from layers.conflicts.classifier import ANY_CATEGORY, classifier
    from layers.geometry import grown_area

    municipality = Municipality.objects.get(slug=MUNICIPALITY)
    area = grown_area(municipality.boundary, municipality.layer_boundary_tolerance_m)
    scope = {"m": municipality.pk, "like": like_quarter(None), "area": bytes(area.ewkb)}
    plots = {**scope, **classifier().sql_arrays(), "frame": bytes(area.envelope.ewkb),
             "tolerance": 0.05, "any": ANY_CATEGORY}  # fmt: skip
    return [
        (land.NEAR_OUTSIDE_SQL, {**scope, "segment_m": land.SEGMENT_M}),
        (land.PLOT_SQL, plots),  # near_outside: filled in from the first query
        (land.PAIR_SQL, {**scope, "min_m2": 1.0}),
        (land.QUARTER_SQL, {**scope, "length": QUARTER_LENGTH}),
    ]


def _bare(url: str, queries: list[tuple[str, dict[str, Any]]]) -> list[Any]:
    results: list[Any] = []
    with psycopg.connect(libpq(url)) as db, db.transaction():
        db.execute("SET LOCAL jit = off")  # as the platform runs them
        for sql, params in queries:
            if "near_outside" in sql and results:
                params = {**params, "near_outside": [pk for (pk,) in results[0]]}
            results.append(db.execute(sql, params).fetchall())
    return results


def plan() -> str:
    """The plan of the pairs query, the costly one, as the platform runs it."""
    from django.db import connection

    from geoportal.municipalities.models import Municipality
    from layers.cadastre import like_quarter
    from layers.conflicts.land import PAIR_SQL

    municipality = Municipality.objects.get(slug=MUNICIPALITY)
    params: dict[str, Any] = {"m": municipality.pk, "like": like_quarter(None), "min_m2": 1.0}
    with connection.cursor() as cursor:
        cursor.execute("SET jit = off")
        cursor.execute("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) " + PAIR_SQL, params)
        return "\n".join(row[0] for row in cursor.fetchall())
