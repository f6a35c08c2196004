"""National scale on one deployment (`make bench NATIONAL=1`): 50 synthetic hromadas of
100,000 plots and 20,000 reports each (5,000,000 plots, 1,000,000 reports) in their own
database, then the per-hromada reads of one hromada in the middle (queues, statistics,
land tiles z14–z16, layer GeoJSON), each against the bare SQL of the same query in the same
run and against the targets of RESULTS.md, with each query's plan checked: an index led by
municipality_id or a spatial index, never a scan of a whole big table.

    python -m tests.perf.national                  # full national scale, writes RESULTS-national.md
    python -m tests.perf.national --scale quick    # 50 hromadas × 2,000 plots, minutes
    python -m tests.perf.bench --national [--tiny] # the same, from the benchmark's entry point

The database is made once and filled where it stopped: an interrupted run resumes with the
hromadas still short of their plots or reports.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

import psycopg

from tests.perf.national_data import (
    BASE_DIR,
    NATIONAL,
    SCALES,
    STAFF,
    Scale,
    filled,
    middle,
    national_url,
    prepare,
    staff_accounts,
)
from tests.perf.server import PRODUCTION

RESULTS = Path(__file__).with_name("RESULTS-national.md")
# The tables that grow with the country: no per-hromada read may scan them whole.
BIG_TABLES = ("layers_landplot", "reports_report", "reports_reportevent")
SEQ_SCAN = re.compile(r"Seq Scan on (" + "|".join(BIG_TABLES) + r")\b")


# --- what a request runs, taken from Django, timed bare and explained ---------------------


@dataclass
class Query:
    sql: str  # as Django sent it, parameters in place
    plan: str


def _selects(captured: Any) -> list[dict[str, str]]:
    return [q for q in captured.captured_queries if q["sql"].lstrip().upper().startswith(
        ("SELECT", "WITH"))]  # fmt: skip


def captured(call: Callable[[], Any]) -> list[tuple[float, str]]:
    """The SELECTs a call runs, (seconds, SQL with its parameters in place), in order."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        call()
    return [(float(q["time"]), str(q["sql"])) for q in _selects(context)]


def heaviest(db: psycopg.Connection, selects: list[tuple[float, str]]) -> str:
    """The slowest of those reading a big table, run bare (best of three each: Django's own
    timings are those of one run, and the first on a connection pays for its set-up): the
    one whose plan matters."""

    def best(sql: str) -> float:
        return min(timed(lambda: db.execute(sql).fetchall())[0] for _ in range(3))

    from tests.perf.stats import timed

    big = [sql for _time, sql in selects if any(table in sql for table in BIG_TABLES)]
    return max(big or [sql for _time, sql in selects], key=best)


def explain(db: psycopg.Connection, sql: str, params: Any = None) -> str:
    rows = db.execute(
        "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) " + sql, params
    ).fetchall()
    return "\n".join(row[0] for row in rows)


def scans(plan: str) -> list[str]:
    """Whole scans of the big tables in a plan (must be none)."""
    return SEQ_SCAN.findall(plan)


def indexes(plan: str) -> list[str]:
    """The indexes a plan reads, in order, each once."""
    found = re.findall(r"Index (?:Only )?Scan (?:Backward )?using (\w+)|Bitmap Index Scan on (\w+)",
                       plan)  # fmt: skip
    return list(dict.fromkeys(using or bitmap for using, bitmap in found))


class Harness:
    """The reads of one hromada, against the bare database in the same run."""

    def __init__(self, base: str, url: str, scale: Scale, slug: str) -> None:
        from geoportal.municipalities.models import Municipality
        from tests.perf.database import libpq

        self.base, self.url, self.scale, self.slug = base, url, scale, slug
        self.municipality = Municipality.objects.get(slug=slug)
        self.db = psycopg.connect(libpq(url), autocommit=True)
        self.plans: dict[str, str] = {}

    def close(self) -> None:
        self.db.close()

    def bare(self, sql: str, params: Any = None) -> list[float]:
        from tests.perf.stats import repeat

        self.db.execute(sql, params).fetchall()
        return repeat(lambda: self.db.execute(sql, params).fetchall(), self.scale.repeats)

    def bare_all(self, statements: list[str]) -> list[float]:
        """Seconds of running every statement bare, one after another."""
        from tests.perf.stats import repeat

        def every() -> None:
            for sql in statements:
                self.db.execute(sql).fetchall()

        every()
        return repeat(every, self.scale.repeats)

    def keep_plan(self, name: str, sql: str, params: Any = None) -> None:
        self.plans[name] = explain(self.db, sql, params)

    # Staff reads: the request over HTTP (p95), its heaviest query bare (median).
    def staff_reads(self) -> list[Any]:
        from django.test import Client
        from rest_framework.authtoken.models import Token

        from geoportal.accounts.models import User
        from geoportal.reports.statistics import statistics
        from tests.perf.cases import PASSWORD, Row, _token
        from tests.perf.stats import median, ms, percentile, repeat, timed

        month = date.today().strftime("%Y-%m")
        reads = [
            ("moderation queue", "moderator", "/api/v1/reports/queue/moderation/"),
            ("department queue", "worker", "/api/v1/reports/queue/department/"),
            ("statistics (this month)", "coordinator",
             f"/api/v1/reports/statistics/?month={month}&municipality={self.slug}"),
            ("monthly report XLSX", "coordinator",
             f"/api/v1/reports/statistics/export.xlsx?month={month}&municipality={self.slug}"),
        ]  # fmt: skip
        staff_accounts(self.slug, PASSWORD)
        client = Client()
        rows = []
        for name, who, path in reads:
            username = STAFF[who]
            token = Token.objects.get_or_create(user=User.objects.get(username=username))[0].key

            def in_process(path: str = path, token: str = token) -> None:
                answer = client.get(path, headers={"Authorization": f"Token {token}"})
                assert answer.status_code == 200, (path, answer.status_code)

            selects = captured(in_process)
            self.keep_plan(name, heaviest(self.db, selects))
            bare = median(self.bare_all([sql for _time, sql in selects]))
            session = _session(self.base, username, _token)

            def read(session: Any = session, path: str = path) -> None:
                answer = session.get(f"{self.base}{path}", timeout=120)
                assert answer.status_code == 200, answer.text[:200]

            read()
            times = repeat(read, self.scale.repeats)
            p95 = percentile(times, 0.95)
            rows.append(Row(f"N5. {name}", f"p50 {ms(median(times))} · p95 {ms(p95)}", ms(bare),
                            f"{median(times) / bare:.1f}× (p50)", "p95 < 200 ms",
                            p95 < 0.200))  # fmt: skip
        # What the worker computes for the cache the statistics read is served from.
        first = date.today().replace(day=1)
        selects = captured(lambda: statistics(self.municipality, first, "department"))
        self.keep_plan(
            "statistics of a month (as the worker computes them)", heaviest(self.db, selects)
        )
        bare = median(self.bare_all([sql for _time, sql in selects]))
        work = median(repeat(lambda: statistics(self.municipality, first, "department"),
                             self.scale.repeats))  # fmt: skip
        rows.append(Row("N5. statistics of a month, computed (the worker's query)", ms(work),
                        ms(bare), f"{work / bare:.2f}×", "(background)", None))  # fmt: skip
        from geoportal.reports.statistics import refresh_all

        seconds, done = timed(refresh_all)
        rows.append(Row(f"N5. statistics of every hromada recomputed by the worker ({done} "
                        f"tables)", f"{seconds:.1f} s", "—", "—",
                        "< 300 s (STATISTICS_CACHE_SECONDS)", seconds < 300))  # fmt: skip
        return rows

    # Land tiles z14–z16 of the hromada: 3 × 3 around its centre at each zoom.
    def tiles(self) -> list[Any]:
        import requests

        from layers.tiles.sql import BUFFER, EXTENT, tile_sql, tile_tolerance
        from tests.perf.cases import Row, _tile_of, tile_targets
        from tests.perf.stats import median, ms, timed

        lat, lon = self.municipality.centre.y, self.municipality.centre.x
        chosen = []
        for z in (14, 15, 16):
            x, y = _tile_of(lat, lon, z)
            chosen += [(z, x + dx, y + dy) for dx in (-1, 0, 1) for dy in (-1, 0, 1)]
        sql = tile_sql("land", True)

        def params(z: int, x: int, y: int) -> dict[str, Any]:
            return {"z": z, "x": x, "y": y, "layer": "land", "tolerance": tile_tolerance(z),
                    "margin": BUFFER / EXTENT, "today": date.today(),
                    "municipality": self.municipality.pk}  # fmt: skip

        session = requests.Session()

        def app(z: int, x: int, y: int) -> float:
            seconds, answer = timed(
                lambda: session.get(
                    f"{self.base}/tiles/land/{z}/{x}/{y}.mvt", params={"municipality": self.slug}
                )
            )
            assert answer.status_code in (200, 204), answer.text[:200]
            return seconds  # fmt: skip

        for tile in chosen:  # warm PostgreSQL's buffers
            self.db.execute(sql, params(*tile)).fetchall()
        uncached: dict[int, list[float]] = {}
        bare: dict[int, list[float]] = {}
        for tile in chosen:  # the server's cache starts empty: each tile once uncached
            uncached.setdefault(tile[0], []).append(app(*tile))
            bare.setdefault(tile[0], []).append(timed(partial(self._tile, sql, params(*tile)))[0])
        cached = [app(*tile) for tile in chosen]
        for z in (14, 16):
            x, y = _tile_of(lat, lon, z)
            self.keep_plan(f"vector tile land z{z} of the hromada", sql, params(z, x, y))
        every_app = median([t for times in uncached.values() for t in times])
        every_bare = median([t for times in bare.values() for t in times])
        app_cached = median(cached)
        names = ("N1. tiles /tiles/land z14–16 (27) of the hromada, uncached",
                 "N1. the same tiles, cached")  # fmt: skip
        rows = tile_targets(names, every_app, app_cached, every_bare)
        for z in sorted(uncached):
            mine, theirs = median(uncached[z]), median(bare[z])
            rows.append(Row(f"N1. tile z{z} (9), uncached", ms(mine), ms(theirs),
                            f"{mine / theirs:.2f}×", "(per zoom)", None))  # fmt: skip
        return rows

    def _tile(self, sql: str, params: dict[str, Any]) -> Any:
        return self.db.execute(sql, params).fetchall()

    # The land layer's GeoJSON in a box of about 500 plots around the centre.
    def layer_geojson(self) -> list[Any]:
        import requests

        from tests.perf.cases import CHOSEN, FEATURE_SQL, Row
        from tests.perf.stats import median, ms, repeat

        box = self._box_with(500)
        query = CHOSEN + FEATURE_SQL
        params = {**box, "slug": self.slug}
        self.keep_plan("layer GeoJSON bbox (the bare query)", query, params)
        bare = median(self.bare(query, params))
        session = requests.Session()
        wanted = {"in_bbox": f"{box['w']:.6f},{box['s']:.6f},{box['e']:.6f},{box['n']:.6f}",
                  "page_size": "500", "municipality": self.slug}  # fmt: skip

        def app() -> bytes:
            answer = session.get(f"{self.base}/api/v1/layers/land/", params=wanted)
            assert answer.status_code == 200, answer.text[:200]
            return answer.content

        features = len(json.loads(app())["features"])
        mine = median(repeat(app, self.scale.repeats))
        return [Row(f"N2. /api/v1/layers/land/ bbox of the hromada, {features} features",
                    ms(mine), ms(bare), f"{mine / bare:.2f}×", "≤ 2× bare",
                    mine <= 2 * bare)]  # fmt: skip

    def _box_with(self, wanted: int) -> dict[str, float]:
        from tests.perf.cases import CHOSEN

        lat, lon = self.municipality.centre.y, self.municipality.centre.x
        half = 0.0005
        while True:
            box = {"w": lon - half * 1.5, "e": lon + half * 1.5, "s": lat - half,
                   "n": lat + half, "m": self.municipality.pk}  # fmt: skip
            counting = CHOSEN + " SELECT count(*) FROM chosen"  # noqa: S608 (constants only)
            row = self.db.execute(counting, box).fetchone()
            if (row and row[0] >= wanted) or half > 0.1:
                return box
            half *= 1.25


def _session(base: str, username: str, token: Callable[[str, str], str]) -> Any:
    import requests

    session = requests.Session()
    session.headers["Authorization"] = f"Token {token(base, username)}"
    return session


def plan_rows(plans: dict[str, str]) -> Iterator[str]:
    """One Markdown line per plan: the indexes it reads and whether it scans a big table."""
    for name, plan in plans.items():
        used = ", ".join(f"`{index}`" for index in indexes(plan)) or "none"
        whole = ", ".join(scans(plan))
        yield f"| {name} | {used} | {('**' + whole + '**') if whole else 'none'} |"


def run(scale: Scale, results: Path | None, fill: bool = True) -> int:
    from tests.perf.bench import machine, table

    url = national_url(scale)
    print(f"National benchmark database: {url.rsplit('@', 1)[-1]}, scale {scale.name}", flush=True)
    if fill:
        prepare(url, scale)
    slug = middle(scale)
    os.environ.update({"DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "geoportal.settings",
                       "DEBUG": "0", "DEMO": "0", "ALLOWED_HOSTS": "testserver,127.0.0.1",
                       "SECRET_KEY": "bench-only-secret-key-0000000000000000000000000000",
                       "SECURE_SSL_REDIRECT": "0",
                       "CACHE_DIR": tempfile.mkdtemp(prefix="national-cache-")})  # fmt: skip
    import django

    django.setup()
    from tests.perf.server import serving

    counts = filled(url)
    ready = [
        name for name, (p, r) in sorted(counts.items()) if p >= scale.plots and r >= scale.reports
    ]
    if slug not in ready and ready:  # a partly filled database (--no-fill): a filled one
        slug = ready[len(ready) // 2]
    total_plots = sum(p for p, _r in counts.values())
    total_reports = sum(r for _p, r in counts.values())
    full = len(ready)
    rows: list[Any] = []
    with serving(url) as base:
        harness = Harness(base, url, scale, slug)
        try:
            for number, step in (("N1", harness.tiles), ("N2", harness.layer_geojson),
                                 ("N5", harness.staff_reads)):  # fmt: skip
                print(f"measuring {number}…", flush=True)
                rows += step()
            with harness.db.cursor() as cursor:
                sizes = cursor.execute(
                    "SELECT relname, pg_size_pretty(pg_total_relation_size(oid)) FROM pg_class "
                    "WHERE relname = ANY(%s) ORDER BY relname", [list(BIG_TABLES)]
                ).fetchall()  # fmt: skip
        finally:
            harness.close()
    plans = harness.plans
    text = table(rows)
    print(text)
    scanned = {name: scans(plan) for name, plan in plans.items() if scans(plan)}
    when = datetime_now()
    body = [
        f"# National-scale benchmark ({scale.name} scale)",
        "",
        f"Measured {when} on {machine()}.",
        f"Data: {len(counts)} synthetic hromadas (`add_synthetic_hromadas`, squares on a grid), "
        f"{full} of them filled to {scale.plots:,} plots and {scale.reports:,} reports "
        f"(`generate_city`): {total_plots:,} plots and {total_reports:,} reports in one "
        "database; table sizes "
        + ", ".join(f"{name} {size}" for name, size in sizes)
        + f". Measured: {slug}, in the middle of the grid and of the tables, "
        f"{counts[slug][0]:,} plots and {counts[slug][1]:,} reports.",
        f"Served by {PRODUCTION} (docker/gunicorn.conf.py), as `make bench`. The bare "
        "side is the same SQL in the same run: for the staff reads every read query the request "
        "runs (taken from Django with its parameters), one after another; its plan is that "
        "of the slowest. For tiles and GeoJSON the "
        "queries of measures 1 and 2. Staff reads: p50 · p95 of repeated requests over HTTP; "
        "bare medians; other rows medians (ms).",
        *(
            []
            if scale is NATIONAL
            else ["Not the national scale: at this size the ratios say little."]
        ),
        "",
        text,
        "",
        "## Query plans at this scale",
        "",
        "Every per-hromada query must read an index led by municipality_id or a spatial "
        "index, never scan one of " + ", ".join(BIG_TABLES) + " whole.",
        "",
        "| query | indexes read | whole-table scans |",
        "|---|---|---|",
        *plan_rows(plans),
        "",
        "Whole-table scans: " + ("none." if not scanned else f"**{scanned}**"),
        "",
    ]
    for name, plan in plans.items():
        body += [f"### {name}", "", "```", plan, "```", ""]
    target = results or (RESULTS if scale is NATIONAL else RESULTS.with_name(
        f"RESULTS-national-{scale.name}.md"))  # fmt: skip
    target.write_text("\n".join(body), encoding="utf-8")
    print(f"Written to {target}")
    return 1 if scanned else 0


def datetime_now() -> str:
    from datetime import datetime

    return datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=sorted(SCALES), default="national")
    parser.add_argument("--results", type=Path, help="Where to write the results (Markdown).")
    parser.add_argument(
        "--no-fill", action="store_true", help="Measure the database as it is, adding nothing."
    )
    options = parser.parse_args(argv)
    sys.path.insert(0, str(BASE_DIR))
    os.chdir(BASE_DIR)
    return run(SCALES[options.scale], options.results, fill=not options.no_fill)


if __name__ == "__main__":
    raise SystemExit(main())
