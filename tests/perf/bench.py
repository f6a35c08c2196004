"""`make bench`: fill a benchmark database, serve it with gunicorn, measure every endpoint
against the bare database, GDAL or MapServer doing the same work, print one table and write
tests/perf/RESULTS.md (machine, date, the table, the profile of the uncached tile path
(tests/perf/tile_profile.py), the query plans); a small-scale run
writes tests/perf/RESULTS-small.md instead, so the full-scale table stays.

    python -m tests.perf.bench            # small scale, a few minutes
    python -m tests.perf.bench --full     # 1,000,000 plots and 1,000,000 reports
    python -m tests.perf.bench --national # 50 hromadas on one deployment (national.py)
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
import traceback
from datetime import datetime
from pathlib import Path
from typing import Any

BASE_DIR = Path(__file__).resolve().parents[2]
RESULTS = Path(__file__).with_name("RESULTS.md")
RESULTS_SMALL = Path(__file__).with_name("RESULTS-small.md")


def machine() -> str:
    cpu = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    memory = next(
        (int(line.split()[1]) // 1024 // 1024 for line in Path("/proc/meminfo").read_text()
         .splitlines() if line.startswith("MemTotal")), 0,
    )  # fmt: skip
    return f"{cpu}, {os.cpu_count()} cores, {memory} GiB RAM, {platform.platform()}"


def table(rows: list[Any]) -> str:
    lines = ["| measure | platform | bare database / GDAL / MapServer | ratio | target | met |",
             "|---|---|---|---|---|---|"]  # fmt: skip
    for row in rows:
        met = "—" if row.met is None else ("yes" if row.met else "**no**")
        lines.append(f"| {row.measure} | {row.app} | {row.bare} | {row.ratio} | {row.target} "
                     f"| {met} |")  # fmt: skip
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true", help="1,000,000 plots and reports.")
    parser.add_argument(
        "--tiny",
        action="store_true",
        help="A few hundred rows: the harness's own check (tests/perf/test_bench.py).",
    )
    parser.add_argument(
        "--national",
        action="store_true",
        help="50 hromadas × 100,000 plots (tests/perf/national.py; with --tiny, 3 small ones).",
    )
    parser.add_argument("--skip", default="", help="Comma-separated measures to skip (1-9).")
    parser.add_argument("--results", type=Path, help="Where to write the results (Markdown).")
    options = parser.parse_args()
    sys.path.insert(0, str(BASE_DIR))
    os.chdir(BASE_DIR)
    if options.national:
        from tests.perf import national, national_data

        wanted = national_data.TINY if options.tiny else national_data.NATIONAL
        return national.run(wanted, options.results)
    from tests.perf.database import (
        FULL,
        MAP_MUNICIPALITY,
        SMALL,
        TINY,
        bench_url,
        counts,
        prepare,
    )  # fmt: skip

    scale = FULL if options.full else TINY if options.tiny else SMALL
    url = bench_url(BASE_DIR, scale)
    results = options.results or (RESULTS if options.full else RESULTS_SMALL)
    print(f"Benchmark database: {url.rsplit('@', 1)[-1]}, scale {scale.name}", flush=True)
    prepare(url, scale)
    plots, reports = counts(url)
    on_map = counts(url, MAP_MUNICIPALITY)[1]
    os.environ.update({"DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "geoportal.settings",
                       "DEBUG": "0", "DEMO": "0", "ALLOWED_HOSTS": "testserver,127.0.0.1",
                       "SECRET_KEY": "bench-only-secret-key-0000000000000000000000000000",
                       "SECURE_SSL_REDIRECT": "0"})  # fmt: skip
    import django

    django.setup()
    from tests.perf import cases, land_checks, ogc_items, photo_upload
    from tests.perf.bounds import notes
    from tests.perf.plans import plans
    from tests.perf.server import PRODUCTION, serving
    from tests.perf.serving import measure as serving_setups

    skip = {part.strip() for part in options.skip.split(",") if part.strip()}
    rows = []
    failed: list[str] = []  # measures that raised: their row says so, the run exits 1
    with serving(url) as base:
        steps = [("1", lambda: cases.tiles(base, url)),
                 ("2", lambda: cases.layer_geojson(base, url, scale)),
                 ("3", lambda: cases.import_file(url, scale)),
                 ("4", lambda: cases.submissions(base, url, scale)),
                 ("5", lambda: cases.staff_reads(base, scale)),
                 ("6", lambda: cases.map_in_chromium(base, on_map)),
                 ("7", lambda: land_checks.measure(url, scale)),
                 ("8", lambda: ogc_items.measure(base, url, scale)),
                 ("9", lambda: photo_upload.measure(base, 1 if options.tiny else 3)),
                 ("10", lambda: serving_setups(url, scale))]  # fmt: skip
        for number, step in steps:
            if number in skip:
                continue
            print(f"measuring {number}…", flush=True)
            began = time.monotonic()
            try:
                rows += step()
            except Exception as error:  # the others' rows are kept and written
                traceback.print_exc()
                failed.append(number)
                rows.append(cases.Row(f"{number}. failed: {type(error).__name__}: {error}"[:300],
                                "—", "—", "—", "(see the run's output)", False))  # fmt: skip
            print(f"measure {number} took {time.monotonic() - began:.1f} s", flush=True)
    found = plans()
    from tests.perf.tile_profile import summary

    profile = "" if "1" in skip else summary(cases.tile_set(), cases.MUNICIPALITY)
    text = table(rows)
    print(text)
    when = datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    body = [
        f"# Benchmark results ({scale.name} scale)",
        "",
        f"Measured {when} on {machine()}.",
        f"Data: {plots:,} land plots and {reports:,} reports in {cases.MUNICIPALITY} "
        f"and {on_map:,} reports in {MAP_MUNICIPALITY} (`generate_city`), "
        f"served by {PRODUCTION} (docker/gunicorn.conf.py) with persistent connections "
        f"(DB_CONN_MAX_AGE=60); the bare side runs the same query through psycopg, or GDAL.",
        "Medians (ms) of repeated requests unless noted; ratios measured in the same run.",
        *([] if "8" in skip else [ogc_items.how_run()]),
        *(
            []
            if options.full
            else [
                "The targets are set for the full scale (`make bench FULL=1`); at this scale a "
                "request's fixed cost outweighs the queries, so ratios say little."
            ]
        ),
        "",
        text,
        "",
    ]
    missed = notes(rows)
    if missed:
        body += ["## What bounds the measures that miss their target", "", *missed, ""]
    if profile:
        body += ["## Profile of the uncached tile path", "", profile, ""]
    body += [
        "## Query plans",
        "",
    ]
    for name, plan in found.items():
        body += [f"### {name}", "", "```", plan, "```", ""]
    results.write_text("\n".join(body), encoding="utf-8")
    print(f"Written to {results}")
    if failed:
        print(f"Measures that failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
