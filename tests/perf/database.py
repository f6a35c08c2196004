"""The benchmark's own database, next to the project's: made, migrated and filled once per
scale (a later run at the same scale reuses it)."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

import psycopg

from geoportal.envconfig import embedded_database_url

BENCH_DB = "geoportal_bench"  # full scale; the small scale has its own, "…_small"
MUNICIPALITY = "pokrovsk"
# The public map is measured in a second hromada holding `map_reports` reports (200,000 at
# full scale, as the issue asks), beside the million of the first.
MAP_MUNICIPALITY = "pokrov"


@dataclass(frozen=True)
class Scale:
    name: str
    plots: int
    reports: int
    structures: int
    zones: int
    import_plots: int
    clients_requests: int  # report submissions per concurrency level
    repeats: int  # samples per read endpoint
    map_reports: int  # reports in MAP_MUNICIPALITY


TINY = Scale("tiny", 600, 600, 60, 4, 300, 3, 3, 200)  # the harness's own test (make test)
SMALL = Scale("small", 20_000, 20_000, 2_000, 30, 10_000, 20, 15, 4_000)
FULL = Scale("full", 1_000_000, 1_000_000, 50_000, 200, 100_000, 200, 50, 200_000)


def bench_url(base_dir: object, scale: Scale) -> str:
    """The benchmark database of the scale, on the project's PostgreSQL server."""
    base = os.environ.get("DATABASE_URL") or embedded_database_url(base_dir)  # type: ignore[arg-type]
    name = BENCH_DB if scale.name == "full" else f"{BENCH_DB}_{scale.name}"
    if scale.name == "tiny" and os.environ.get("PYTEST_XDIST_WORKER"):
        name += "_" + os.environ["PYTEST_XDIST_WORKER"]
    return urlunsplit(urlsplit(base)._replace(path=f"/{name}"))


def _name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def libpq(url: str) -> str:
    """A postgis:// URL as libpq takes it."""
    return "postgresql://" + url.split("://", 1)[1]


def ensure_database(url: str) -> None:
    admin = urlunsplit(urlsplit(libpq(url))._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        name = _name(url)
        found = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if found.fetchone() is None:
            connection.execute(f'CREATE DATABASE "{name}"')
    with psycopg.connect(libpq(url), autocommit=True) as connection:
        connection.execute("CREATE EXTENSION IF NOT EXISTS postgis")


def manage(url: str, *args: str, demo: bool = False) -> None:
    env = {**os.environ, "DATABASE_URL": url, "DEMO": "1" if demo else "0", "DEBUG": "0",
           "SECRET_KEY": "bench-only-secret-key-0000000000000000000000000000"}  # fmt: skip
    subprocess.run([sys.executable, "manage.py", *args], check=True, env=env)


def counts(url: str, slug: str = MUNICIPALITY) -> tuple[int, int]:
    with psycopg.connect(libpq(url)) as connection:
        row = connection.execute(
            """SELECT (SELECT count(*) FROM layers_landplot p JOIN municipalities_municipality m
                       ON m.id = p.municipality_id WHERE m.slug = %(s)s),
                      (SELECT count(*) FROM reports_report r JOIN municipalities_municipality m
                       ON m.id = r.municipality_id WHERE m.slug = %(s)s)""",
            {"s": slug},
        ).fetchone()
    return (int(row[0]), int(row[1])) if row else (0, 0)


def prepare(url: str, scale: Scale, say: object = print) -> None:
    ensure_database(url)
    manage(url, "migrate", "--noinput", "-v", "0")
    manage(url, "load_reference")
    manage(url, "load_demo", demo=True)  # the staff accounts the queues are read with
    plots, reports = counts(url)
    if plots < scale.plots or reports < scale.reports:
        manage(url, "generate_city", "--municipality", MUNICIPALITY,
               "--plots", str(max(0, scale.plots - plots)),
               "--reports", str(max(0, scale.reports - reports)),
               "--maf", str(scale.structures), "--advertising", str(scale.structures),
               "--zones", str(scale.zones), "--seed", "2026")  # fmt: skip
    _plots, on_map = counts(url, MAP_MUNICIPALITY)
    if on_map < scale.map_reports:
        manage(url, "generate_city", "--municipality", MAP_MUNICIPALITY,
               "--reports", str(scale.map_reports - on_map), "--seed", "2027")  # fmt: skip
