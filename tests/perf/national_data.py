"""The national bench's database (tests/perf/national.py): its scales, the synthetic
hromadas filled with generate_city (resuming where an earlier run stopped), and the
measured hromada's staff."""

from __future__ import annotations

import json
import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

BASE_DIR = Path(__file__).resolve().parents[2]
NATIONAL_DB = "geoportal_bench_national"
PREFIX = "syn"
# The middle hromada's staff, made by the harness (the demo accounts are Pokrovsk's).
STAFF = {"moderator": "nat_moderator", "worker": "nat_worker_zhkg",
         "coordinator": "nat_coordinator"}  # fmt: skip


@dataclass(frozen=True)
class Scale:
    name: str
    hromadas: int
    plots: int  # per hromada
    reports: int  # per hromada
    repeats: int  # samples per read


NATIONAL = Scale("national", 50, 100_000, 20_000, 40)
QUICK = Scale("quick", 50, 2_000, 400, 15)
TINY = Scale("tiny", 3, 300, 300, 3)  # the harness's own test (tests/perf/test_national.py)
SCALES = {scale.name: scale for scale in (NATIONAL, QUICK, TINY)}


def national_url(scale: Scale) -> str:
    from geoportal.envconfig import embedded_database_url

    base = os.environ.get("DATABASE_URL") or embedded_database_url(BASE_DIR)
    name = NATIONAL_DB if scale is NATIONAL else f"{NATIONAL_DB}_{scale.name}"
    if scale is TINY and os.environ.get("PYTEST_XDIST_WORKER"):
        name += "_" + os.environ["PYTEST_XDIST_WORKER"]
    return urlunsplit(urlsplit(base)._replace(path=f"/{name}"))


def middle(scale: Scale) -> str:
    """The hromada measured: one in the middle of the grid and of the tables."""
    return f"{PREFIX}-{(scale.hromadas + 1) // 2:03d}"  # add_synthetic_hromadas's slugs


def filled(url: str) -> dict[str, tuple[int, int]]:
    """(plots, reports) of each synthetic hromada."""
    from tests.perf.database import libpq

    with psycopg.connect(libpq(url)) as db:
        rows = db.execute(
            """SELECT m.slug,
                      (SELECT count(*) FROM layers_landplot p WHERE p.municipality_id = m.id),
                      (SELECT count(*) FROM reports_report r WHERE r.municipality_id = m.id)
               FROM municipalities_municipality m WHERE m.slug LIKE %s ORDER BY m.slug""",
            [f"{PREFIX}-%"],
        ).fetchall()
    return {slug: (int(plots), int(reports)) for slug, plots, reports in rows}


def prepare(url: str, scale: Scale) -> None:
    """Make, migrate and fill the database, resuming where an earlier run stopped."""
    from tests.perf.database import ensure_database, manage

    ensure_database(url)
    manage(url, "migrate", "--noinput", "-v", "0")
    manage(url, "add_synthetic_hromadas", "--count", str(scale.hromadas), "--prefix", PREFIX)
    started = time.monotonic()
    made = 0
    wanted = scale.hromadas * scale.plots
    counts = filled(url)
    for number, (slug, (plots, reports)) in enumerate(sorted(counts.items()), start=1):
        if plots >= scale.plots and reports >= scale.reports:
            continue
        missing = max(0, scale.plots - plots)
        manage(url, "generate_city", "--municipality", slug, "--plots", str(missing),
               "--reports", str(max(0, scale.reports - reports)),
               "--seed", str(3000 + number), "-v", "0")  # fmt: skip
        made += missing
        done = sum(min(p, scale.plots) for p, _r in filled(url).values())
        elapsed = time.monotonic() - started
        rate = made / elapsed if elapsed else 0.0
        left = (wanted - done) / rate if rate else 0.0
        print(f"national: {slug} filled ({number}/{scale.hromadas}); {done:,}/{wanted:,} plots, "
              f"{rate:,.0f} plots/s, about {left / 60:.0f} min left", flush=True)  # fmt: skip


def staff_accounts(slug: str, password: str) -> None:
    """The measured hromada's moderator, ЖКГ worker and coordinator, as load_demo makes
    Pokrovsk's."""
    from geoportal.accounts.demo import load_demo_accounts
    from geoportal.accounts.models import User

    # Made afresh: an earlier run may have measured another hromada with them.
    User.objects.filter(username__in=STAFF.values()).delete()
    accounts = [
        {"username": STAFF["moderator"], "roles": ["moderator"]},
        {"username": STAFF["worker"], "departments": [{"code": "zhkg", "role": "worker"}]},
        {"username": STAFF["coordinator"], "roles": ["coordinator"]},
    ]
    with tempfile.TemporaryDirectory(prefix="national-staff-") as folder:
        path = Path(folder) / "accounts.json"
        data = {"password": password, "municipality": slug, "accounts": accounts}
        path.write_text(json.dumps(data), encoding="utf-8")
        load_demo_accounts(path, log=lambda _line: None)
