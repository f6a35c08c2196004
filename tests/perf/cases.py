"""The six measurements of the benchmark, each against the bare database or GDAL doing the
same work, measured in the same run."""

from __future__ import annotations

import io
import json
import math
import mimetypes
import os
import subprocess
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

import psycopg
import requests
from PIL import Image

from layers.tiles.sql import BUFFER, EXTENT, tile_sql, tile_tolerance
from tests.frontend.camera_photo import camera_photo
from tests.perf.database import MAP_MUNICIPALITY, MUNICIPALITY, Scale, libpq
from tests.perf.mapserver import mapserver, tile_url
from tests.perf.stats import median, ms, percentile, repeat, timed

CENTRE = (48.2771, 37.1772)  # Pokrovsk (lat, lon)
# The demo accounts of the benchmark database.
PASSWORD = "demo-pass-2026"


@dataclass
class Row:
    measure: str
    app: str
    bare: str
    ratio: str
    target: str
    met: bool | None


def _tile_of(lat: float, lon: float, z: int) -> tuple[int, int]:
    n = 2**z
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return x, y


def tile_set() -> list[tuple[int, int, int]]:
    """3 × 3 tiles around the centre at each zoom from 12 to 17: 54 tiles."""
    tiles = []
    for z in range(12, 18):
        x, y = _tile_of(*CENTRE, z)
        tiles += [(z, x + dx, y + dy) for dx in (-1, 0, 1) for dy in (-1, 0, 1)]
    return tiles


def _municipality_id(db: psycopg.Connection) -> int:
    row = db.execute(
        "SELECT id FROM municipalities_municipality WHERE slug = %s", [MUNICIPALITY]
    ).fetchone()
    assert row is not None, "the benchmark's hromada is missing"
    return int(row[0])


def tile_targets(names: tuple[str, str], uncached: float, cached: float, bare: float) -> list[Row]:
    """The rows of the tile targets against the bare query: uncached ≤ 1.5× the query,
    cached ≥ 10× faster than it (measure 1, and the national bench's tiles)."""
    return [
        Row(names[0], ms(uncached), ms(bare), f"{uncached / bare:.2f}×", "≤ 1.5× bare",
            uncached <= 1.5 * bare),
        Row(names[1], ms(cached), ms(bare), f"{bare / cached:.1f}× faster",
            "≥ 10× faster than bare", bare >= 10 * cached),
    ]  # fmt: skip


def tiles(base: str, url: str) -> list[Row]:
    """The 54 land tiles from the platform (uncached, then cached), from MapServer 8 in
    FastCGI behind nginx (tests/perf/mapserver.py) and from the bare query, in turns."""
    with psycopg.connect(libpq(url)) as db, mapserver(libpq(url)) as peer_root:
        municipality = _municipality_id(db)

        def bare(z: int, x: int, y: int) -> bytes:
            params = {"z": z, "x": x, "y": y, "layer": "land", "tolerance": tile_tolerance(z),
                      "margin": BUFFER / EXTENT, "today": date.today(),
                      "municipality": municipality}  # fmt: skip
            row = db.execute(tile_sql("land", True), params).fetchone()
            return bytes(row[0]) if row and row[0] else b""

        session, peer = requests.Session(), requests.Session()

        def app(tile: tuple[int, int, int]) -> float:
            z, x, y = tile
            address = f"{base}/tiles/land/{z}/{x}/{y}.mvt"
            seconds, answer = timed(
                lambda: session.get(address, params={"municipality": MUNICIPALITY})
            )
            assert answer.status_code in (200, 204), answer.text[:200]
            return seconds

        def mapserv(tile: tuple[int, int, int]) -> float:
            seconds, answer = timed(lambda: peer.get(tile_url(peer_root, *tile)))
            assert answer.status_code == 200, answer.text[:300]
            assert "mapbox-vector-tile" in answer.headers.get("Content-Type", ""), answer.text[:300]
            return seconds

        chosen = tile_set()
        for tile in chosen:  # warm PostgreSQL's buffers and MapServer's connections alike
            bare(*tile)
            mapserv(tile)
        uncached: dict[int, list[float]] = {}
        peer_times: dict[int, list[float]] = {}
        bare_times: list[float] = []
        for tile in chosen:  # the server's cache starts empty: each tile once uncached
            uncached.setdefault(tile[0], []).append(app(tile))
            peer_times.setdefault(tile[0], []).append(mapserv(tile))
            bare_times.append(timed(partial(bare, *tile))[0])
        cached = [app(tile) for tile in chosen]
    every_peer = [t for times in peer_times.values() for t in times]
    app_uncached = median([t for times in uncached.values() for t in times])
    app_cached, bare_median, peer_median = median(cached), median(bare_times), median(every_peer)
    rows = [
        *tile_targets(("1. tiles /tiles/land z12–17 (54), uncached", "1. tiles, cached"),
                      app_uncached, app_cached, bare_median),
        Row("1. tiles, cached, against MapServer 8 FastCGI", ms(app_cached), ms(peer_median),
            f"{peer_median / app_cached:.1f}× faster", "≥ 2× faster than MapServer",
            peer_median >= 2 * app_cached),
    ]  # fmt: skip
    for z in sorted(uncached):
        mine, theirs = median(uncached[z]), median(peer_times[z])
        name = f"1. tile z{z} (9), uncached, against MapServer 8 FastCGI"
        ratio = f"{mine / theirs:.2f}×"
        rows.append(Row(name, ms(mine), ms(theirs), ratio, "≤ MapServer", mine <= theirs))
    return rows


FEATURE_SQL = """
SELECT json_build_object('type', 'FeatureCollection', 'count', (SELECT count(*) FROM chosen),
    'features', coalesce(json_agg(json_build_object('type', 'Feature', 'id', p.id,
        'geometry', ST_AsGeoJSON(p.geometry)::json,
        'properties', json_build_object('id', p.id, 'municipality', %(slug)s::text,
            'cadastral_number', p.cadastral_number, 'katotth', p.katotth,
            'category', p.category, 'purpose_code', p.purpose_code,
            'purpose_text', p.purpose_text, 'ownership', p.ownership, 'area_ha', p.area_ha,
            'lease_until', p.lease_until, 'normative_valuation', p.normative_valuation,
            'investor_status', p.investor_status)) ORDER BY p.id), '[]'::json))::text
FROM (SELECT * FROM chosen ORDER BY id LIMIT 500) p
"""
CHOSEN = """WITH box AS (SELECT ST_MakeEnvelope(%(w)s, %(s)s, %(e)s, %(n)s, 4326) AS g),
chosen AS (SELECT f.* FROM layers_landplot f, box
    WHERE f.municipality_id = %(m)s AND f.geometry && box.g AND ST_Intersects(f.geometry, box.g))
"""


def box_with(db: psycopg.Connection, municipality: int, wanted: int) -> dict[str, float]:
    """A square around the centre holding about `wanted` plots."""
    half = 0.0005
    while True:
        box = {"w": CENTRE[1] - half * 1.5, "e": CENTRE[1] + half * 1.5,
               "s": CENTRE[0] - half, "n": CENTRE[0] + half, "m": municipality}  # fmt: skip
        counting = CHOSEN + " SELECT count(*) FROM chosen"  # noqa: S608 (constants only)
        row = db.execute(counting, box).fetchone()
        if (row and row[0] >= wanted) or half > 0.2:
            return box
        half *= 1.25


def layer_geojson(base: str, url: str, scale: Scale) -> list[Row]:
    with psycopg.connect(libpq(url)) as db:
        municipality = _municipality_id(db)
        box = box_with(db, municipality, 500)
        query = CHOSEN + FEATURE_SQL
        params = {**box, "slug": MUNICIPALITY}
        db.execute(query, params).fetchone()
        bare_times = repeat(lambda: db.execute(query, params).fetchone(), scale.repeats)
    session = requests.Session()
    bbox = f"{box['w']:.6f},{box['s']:.6f},{box['e']:.6f},{box['n']:.6f}"
    wanted = {"in_bbox": bbox, "page_size": "500", "municipality": MUNICIPALITY}

    def app() -> bytes:
        answer = session.get(f"{base}/api/v1/layers/land/", params=wanted)
        assert answer.status_code == 200, answer.text[:200]
        return answer.content  # the text, as the bare side fetches it; parsed once below

    first = json.loads(app())
    assert len(first["features"]) == min(500, first["count"]) >= 400, first["count"]
    app_times = repeat(app, scale.repeats)
    app_median, bare_median = median(app_times), median(bare_times)
    return [Row("2. /api/v1/layers/land/ bbox, 500 features", ms(app_median), ms(bare_median),
                f"{app_median / bare_median:.2f}×", "≤ 2× bare",
                app_median <= 2 * bare_median)]  # fmt: skip


def import_file(url: str, scale: Scale) -> list[Row]:
    folder = Path(tempfile.mkdtemp(prefix="geoportal-import-"))
    source = folder / "plots.gpkg"
    pg = f"PG:{libpq(url)}"
    # The same plots under other cadastral numbers (8… instead of 9…).
    copied = (
        "SELECT '8' || substr(cadastral_number, 2) AS cadastral_number, katotth, category, "
        "purpose_code, purpose_text, ownership, area_ha, investor_status, geometry "
        "FROM layers_landplot WHERE cadastral_number LIKE '9%' ORDER BY id LIMIT "
    ) + str(int(scale.import_plots))
    subprocess.run(
        ["ogr2ogr", "-f", "GPKG", str(source), pg, "-nln", "plots", "-sql", copied], check=True
    )
    env = {**os.environ, "DATABASE_URL": url, "DEBUG": "0", "DEMO": "0",
           "SECRET_KEY": "bench-only-secret-key-0000000000000000000000000000"}  # fmt: skip
    _forget_imports(url)  # from an interrupted earlier run
    # import_layer names the person who imports (--user); a superuser may import anywhere.
    subprocess.run([sys.executable, "manage.py", "createsuperuser", "--noinput", "--username",
                    "bench-importer", "--email", "bench@example.org"], check=False,
                   env={**env, "DJANGO_SUPERUSER_PASSWORD": "bench-only-password-7219"},
                   capture_output=True)  # fmt: skip
    app, _done = timed(lambda: subprocess.run(
        [sys.executable, "manage.py", "import_layer", "land", str(source), "--municipality",
         MUNICIPALITY, "--user", "bench-importer"], check=True, env=env,
        capture_output=True))  # fmt: skip
    bare, _done = timed(lambda: subprocess.run(
        ["ogr2ogr", "-f", "PostgreSQL", pg, str(source), "-nln", "bench_ogr_import",
         "-overwrite", "-lco", "GEOMETRY_NAME=geometry"], check=True))  # fmt: skip
    with psycopg.connect(libpq(url), autocommit=True) as db:
        imported = db.execute(
            "SELECT count(*) FROM layers_landplot WHERE cadastral_number LIKE '8%'"
        ).fetchone()
    _forget_imports(url, keep_ogr=True)
    floor, _done = timed(lambda: _database_share(url))
    _forget_imports(url)
    assert imported and imported[0] == scale.import_plots, imported
    n = f"{scale.import_plots:,}"
    return [Row(f"3. import_layer of {n} plots (GeoPackage)", f"{app:.1f} s",
                f"{bare:.1f} s (ogr2ogr)", f"{app / bare:.2f}×", "≤ 3× ogr2ogr",
                app <= 3 * bare),
            Row(f"3. the same {n} plots, with their history rows, written by SQL alone",
                f"{app:.1f} s", f"{floor:.1f} s (SQL)", f"{app / floor:.2f}×",
                "(what Python adds)", None)]  # fmt: skip


# The database's own share of an import, as the writer does it (layers/importing/writer.py):
# the rows in a staging table, INSERT … RETURNING into the layer and its history table in
# one statement, every constraint of both tables checked (at once, not at commit), then
# rolled back. ogr2ogr writes one table with no constraint and builds its index afterwards.
_SHARE = """
CREATE TEMP TABLE bench_staging ON COMMIT DROP AS
SELECT NULL::bigint AS id, false AS is_demo, ST_Multi(o.geometry) AS geometry,
       o.cadastral_number, coalesce(o.katotth, '') AS katotth, coalesce(o.category, '') AS category,
       coalesce(o.purpose_code, '') AS purpose_code,
       coalesce(o.purpose_text, '') AS purpose_text, coalesce(o.ownership, '') AS ownership,
       o.area_ha, '' AS user_name, NULL::date AS lease_until,
       NULL::numeric AS normative_valuation, coalesce(o.investor_status, '') AS investor_status,
       m.id AS municipality_id, '{}'::jsonb AS attributes, '' AS purpose_code_source
FROM bench_ogr_import o, municipalities_municipality m WHERE m.slug = %(municipality)s;
WITH written AS (
  INSERT INTO layers_landplot (is_demo, geometry, cadastral_number, katotth, category,
    purpose_code, purpose_text, ownership, area_ha, user_name, lease_until,
    normative_valuation, investor_status, municipality_id, attributes, purpose_code_source,
    created_at, updated_at)
  SELECT is_demo, geometry, cadastral_number, katotth, category, purpose_code, purpose_text,
    ownership, area_ha, user_name, lease_until, normative_valuation, investor_status,
    municipality_id, attributes, purpose_code_source, now(), now()
  FROM bench_staging RETURNING *)
INSERT INTO layers_historicallandplot (id, is_demo, geometry, cadastral_number, katotth,
  category, purpose_code, purpose_text, ownership, area_ha, user_name, lease_until,
  normative_valuation, investor_status, municipality_id, attributes, purpose_code_source,
  history_date, history_change_reason, history_type, history_user_id)
SELECT id, is_demo, geometry, cadastral_number, katotth, category, purpose_code, purpose_text,
  ownership, area_ha, user_name, lease_until, normative_valuation, investor_status,
  municipality_id, attributes, purpose_code_source, now(), 'bench', '+',
  (SELECT id FROM accounts_user WHERE username = 'bench-importer')
FROM written;
"""


def _database_share(url: str) -> None:
    # Client-side binding: a parameter of CREATE TABLE … AS is not one the server binds.
    with psycopg.connect(libpq(url), cursor_factory=psycopg.ClientCursor) as db:
        db.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the foreign keys too, as a commit would
        for statement in filter(str.strip, _SHARE.split(";")):
            db.execute(statement, {"municipality": MUNICIPALITY})
        db.rollback()


def _forget_imports(url: str, keep_ogr: bool = False) -> None:
    """Remove what the import measure adds, so the data set stays the same between runs
    (ogr2ogr's table kept, with keep_ogr, for the database's share)."""
    with psycopg.connect(libpq(url), autocommit=True) as db, db.transaction():
        # History is append-only (core migration 0001) unless a purge is declared.
        db.execute("SET LOCAL geoportal.allow_audit_purge = 'on'")
        db.execute("DELETE FROM layers_historicallandplot WHERE cadastral_number LIKE '8%'")
        db.execute("DELETE FROM layers_landplot WHERE cadastral_number LIKE '8%'")
        if not keep_ogr:
            db.execute("DROP TABLE IF EXISTS bench_ogr_import")


def _photos() -> list[tuple[str, bytes]]:
    """What phones send: a small test image (the earlier runs' photo), the camera's photo
    downsized in the browser to 2560 px at quality 85 (the report form), and the camera's
    4000×3000 JPEG of about 5 MB itself (Open311 clients, old browsers)."""
    small = io.BytesIO()
    Image.new("RGB", (1280, 960), "#4a6").save(small, "JPEG", quality=85)
    camera = camera_photo((48.2771, 37.1772))
    downsized = io.BytesIO()
    with Image.open(io.BytesIO(camera)) as image:
        image.thumbnail((2560, 2560))
        image.save(downsized, "JPEG", quality=85)
    return [
        (f"a {len(small.getvalue()) // 1024} KB test image", small.getvalue()),
        (f"a 2560×1920 photo ({mb(downsized.getvalue())})", downsized.getvalue()),
        (f"a 4000×3000 camera photo ({mb(camera)})", camera),
    ]


def mb(data: bytes) -> str:
    return f"{len(data) / 1024 / 1024:.1f} MB"


def photo_work(photo: bytes, times: int) -> float:
    """Median seconds of what a submission does to its photo alone, in this process:
    checked, decoded (JPEG draft mode) and encoded again with its thumbnail."""
    from geoportal.reports.photos import check_and_reencode

    return median(repeat(lambda: check_and_reencode(io.BytesIO(photo), "photo.jpg"), times))


def _floor(work: float, clients: int) -> str:
    """The photo's work alone, and what it bounds on this machine's cores: no more
    submissions a second than the cores can re-encode, and so (Little's law) no shorter
    wait than the clients' photos queued over the cores."""
    cores = os.cpu_count() or 1
    return (f"Pillow alone {ms(work)} ms a photo: ≤ {cores / work:.0f}/s on {cores} cores; "
            f"p50 ≥ {ms(clients * work / cores)} at {clients} client(s)")  # fmt: skip


def submissions(base: str, url: str, scale: Scale) -> list[Row]:
    """Reports filed with a photo by 1, 10 and 20 clients at once (each waits for its
    answer before sending again); then 20 clients with a phone's real photos. Beside each,
    the photo's own work (Pillow in this process) and the floor it sets on the cores."""
    runs = [(1, 0), (10, 0), (20, 0), (20, 1), (20, 2)]  # (clients, which photo)
    with psycopg.connect(libpq(url)) as db:
        points = db.execute(
            "SELECT ST_Y(d.geom), ST_X(d.geom) FROM municipalities_municipality m, "
            "ST_Dump(ST_GeneratePoints(m.boundary, %s, 7)) d WHERE m.slug = %s",
            [scale.clients_requests * len(runs), MUNICIPALITY],
        ).fetchall()
    photos = _photos()
    work = [photo_work(photo, max(3, scale.repeats // 5)) for _name, photo in photos]
    rows = []
    used = iter(points)
    for clients, which in runs:
        name, photo = photos[which]
        chosen = [next(used) for _ in range(scale.clients_requests)]

        def submit(point: tuple[float, float], photo: bytes = photo) -> float:
            lat, lon = point
            with requests.Session() as session:
                seconds, answer = timed(lambda: session.post(
                    f"{base}/api/v1/reports/",
                    data={"category": "roads", "title": "Бенчмарк", "description": "Яма",
                          "lat": lat, "lon": lon, "reporter_email": "bench@example.org"},
                    files={"photos": ("photo.jpg", photo, "image/jpeg")},
                    headers={"Idempotency-Key": str(uuid.uuid4())}, timeout=120))  # fmt: skip
            assert answer.status_code == 201, answer.text[:300]
            return seconds

        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=clients) as pool:
            latencies = list(pool.map(submit, chosen))
        wall = time.perf_counter() - started
        p95 = percentile(latencies, 0.95)
        target, met = "", None
        if (clients, which) == (20, 0) or which == 1:
            target, met = "p95 < 300 ms at 20 clients", p95 < 0.300
        elif which == 2:
            target = "(measured, bounded: decoded in draft mode)"
        rows.append(Row(
            f"4. POST /api/v1/reports/ with {name}, {clients} client(s)",
            f"p50 {ms(median(latencies))} · p95 {ms(p95)} · {len(chosen) / wall:.1f}/s",
            _floor(work[which], min(clients, len(chosen))), "—", target, met))  # fmt: skip
    return rows


def _token(base: str, username: str) -> str:
    credentials = {"username": username, "password": PASSWORD}
    answer = requests.post(f"{base}/api/v1/auth/token/", data=credentials, timeout=30)
    answer.raise_for_status()
    return str(answer.json()["token"])


def staff_reads(base: str, scale: Scale) -> list[Row]:
    month = date.today().strftime("%Y-%m")
    reads = [
        ("moderation queue", "moderator", "/api/v1/reports/queue/moderation/"),
        ("department queue", "worker_zhkg", "/api/v1/reports/queue/department/"),
        ("statistics (this month)", "coordinator", f"/api/v1/reports/statistics/?month={month}"),
        ("monthly report XLSX", "coordinator",
         f"/api/v1/reports/statistics/export.xlsx?month={month}"),
        ("statistics (all time)", "coordinator", "/api/v1/reports/statistics/"),
    ]  # fmt: skip
    from geoportal.reports.statistics import refresh_all

    # What the worker does every few minutes, so that nobody waits for it (the figures
    # below are then served as of that moment, STATISTICS_CACHE_SECONDS).
    refreshing, done = timed(refresh_all)
    rows = [Row(f"5. statistics recomputed by the worker ({done} tables)",
                f"{refreshing:.1f} s", "—", "—", "(background)", None)]  # fmt: skip
    for name, user, path in reads:
        session = requests.Session()
        session.headers["Authorization"] = f"Token {_token(base, user)}"

        def read(session: requests.Session = session, path: str = path) -> None:
            answer = session.get(f"{base}{path}", timeout=120)
            assert answer.status_code == 200, answer.text[:200]

        read()
        times = repeat(read, scale.repeats)
        p95 = percentile(times, 0.95)
        targeted = "all time" not in name
        rows.append(Row(f"5. {name}", f"p50 {ms(median(times))} · p95 {ms(p95)}", "—", "—",
                        "p95 < 200 ms" if targeted else "(no target)",
                        p95 < 0.200 if targeted else None))  # fmt: skip
    return rows


def _static_file(route: Any) -> None:
    from django.contrib.staticfiles import finders

    name = route.request.url.split("/static/", 1)[1].split("?", 1)[0]
    found = finders.find(name)
    if not found:
        route.fulfill(status=404)
        return
    kind = mimetypes.guess_type(str(found))[0] or "application/octet-stream"
    route.fulfill(status=200, body=Path(str(found)).read_bytes(), content_type=kind)


def map_in_chromium(base: str, on_map: int) -> list[Row]:
    from playwright.sync_api import sync_playwright

    from tests.conftest import CHROMIUM, CHROMIUM_ARGS

    times = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for _round in range(3):
            # The page's policy refuses eval, which Playwright's wait_for_function uses.
            context = browser.new_context(viewport={"width": 1280, "height": 800},
                                          bypass_csp=True)  # fmt: skip
            page = context.new_page()
            page.route("**/*.png", lambda route: route.abort())  # no outside tile server
            # gunicorn does not serve static files (nginx does in production): hand them over.
            page.route("**/static/**", _static_file)
            page.goto(f"{base}/en/m/{MAP_MUNICIPALITY}/")
            page.wait_for_function(
                "document.getElementById('city-map-panel').dataset.reportsDrawn !== undefined",
                timeout=60_000,
            )
            times.append(page.evaluate("performance.now()") / 1000)
            drawn = page.evaluate("document.getElementById('city-map-panel').dataset.reportsDrawn")
            context.close()
        browser.close()
    value = median(times)
    return [Row(f"6. public map of {MAP_MUNICIPALITY} in Chromium ({on_map:,} reports), "
                f"reports layer drawn ({int(drawn):,} in view)",
                f"{value:.2f} s", "—", "—", "< 2 s", value < 2.0)]  # fmt: skip
