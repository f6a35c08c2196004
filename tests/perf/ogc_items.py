"""Measure 8: a page of OGC API – Features items, /ogc/collections/land/items with a bbox
and limit=500, against MapServer 8 serving the same collection from the same table
(tests/perf/mapserver.py) and against the bare json_agg query through psycopg.

The box is measure 2's (about 500 plots around Pokrovsk's centre). The land collection
holds every plot of an active hromada, so neither side filters by hromada; both answer
the same features with the same properties, which is checked before timing.
"""

from __future__ import annotations

import json
from typing import Any

import psycopg
import requests

from tests.perf.cases import Row, _municipality_id, box_with
from tests.perf.database import Scale, libpq
from tests.perf.mapserver import mapserver, nginx_version, version
from tests.perf.stats import median, ms, repeat, timed

LIMIT = 500
# The page as the platform's collection defines it (geoportal/ogc/collections.py): plots of
# active hromadas in the box, by id, with the public fields and the hromada's slug.
ITEMS_SQL = """
WITH box AS (SELECT ST_MakeEnvelope(%(w)s, %(s)s, %(e)s, %(n)s, 4326) AS g),
chosen AS (SELECT p.*, m.slug FROM layers_landplot p
    JOIN municipalities_municipality m ON m.id = p.municipality_id, box
    WHERE m.is_active AND p.geometry && box.g AND ST_Intersects(p.geometry, box.g))
SELECT json_build_object('type', 'FeatureCollection',
    'numberMatched', (SELECT count(*) FROM chosen), 'numberReturned', count(*),
    'features', coalesce(json_agg(json_build_object('type', 'Feature', 'id', p.id,
        'geometry', ST_AsGeoJSON(p.geometry)::json,
        'properties', json_build_object('municipality', p.slug,
            'cadastral_number', p.cadastral_number, 'katotth', p.katotth,
            'category', p.category, 'purpose_code', p.purpose_code,
            'purpose_text', p.purpose_text, 'ownership', p.ownership, 'area_ha', p.area_ha,
            'lease_until', p.lease_until, 'normative_valuation', p.normative_valuation,
            'investor_status', p.investor_status)) ORDER BY p.id), '[]'::json))::text
FROM (SELECT * FROM chosen ORDER BY id LIMIT %(limit)s) p
"""


def how_run() -> str:
    """The peer's version and set-up, for the results' header."""
    return (
        f"Measure 8's peer: {version()} (Debian 12's mapserver-bin), `mapserv` in FastCGI "
        f"mode, 4 processes on one socket behind {nginx_version()} (the platform: gunicorn, "
        "4 processes × 4 threads), "
        "its OGC API – Features over a PostGIS layer of the same table (plots of active "
        "hromadas, the same properties), database connections kept open "
        "(CLOSE_CONNECTION=DEFER); tests/perf/mapserver.py."
    )


def _page(session: requests.Session, address: str, params: dict[str, str]) -> bytes:
    answer = session.get(address, params=params, timeout=120)
    assert answer.status_code == 200, f"{address}: {answer.status_code} {answer.text[:300]}"
    return answer.content  # the text, as the bare side fetches it; parsed once below


def _compare(platform: dict[str, Any], peer: dict[str, Any], bare: dict[str, Any]) -> int:
    """The three pages hold the same plots with the same properties; their number."""
    counts = {name: (page["numberMatched"], len(page["features"]))
              for name, page in (("platform", platform), ("MapServer", peer),
                                 ("SQL", bare))}  # fmt: skip
    assert len(set(counts.values())) == 1, f"the sides disagree (matched, returned): {counts}"
    matched, returned = counts["platform"]
    assert returned == min(LIMIT, matched) >= 400, counts
    if matched <= LIMIT:  # every plot of the box on one page: the same ones on each side
        ids = [{str(f["id"]) for f in page["features"]} for page in (platform, peer, bare)]
        assert ids[0] == ids[1] == ids[2], "the sides answer different plots"
    keys = [set(page["features"][0]["properties"]) - {"id"} for page in (platform, peer, bare)]
    assert keys[0] == keys[1] == keys[2], f"different properties: {keys}"
    return returned


def measure(base: str, url: str, scale: Scale) -> list[Row]:
    with psycopg.connect(libpq(url)) as db:
        box = box_with(db, _municipality_id(db), LIMIT)
        params = {**box, "limit": LIMIT}

        def sql() -> str:
            row = db.execute(ITEMS_SQL, params).fetchone()
            assert row is not None
            return str(row[0])

        bare_text = sql()
        bare_page = json.loads(bare_text)
        bare_times = repeat(sql, scale.repeats)
    bbox = f"{box['w']:.6f},{box['s']:.6f},{box['e']:.6f},{box['n']:.6f}"
    wanted = {"bbox": bbox, "limit": str(LIMIT), "f": "json"}
    session = requests.Session()
    platform_at = f"{base}/ogc/collections/land/items"
    with mapserver(libpq(url)) as peer_root:
        peer_at = f"{peer_root}/collections/land/items"
        platform_text = _page(session, platform_at, wanted)
        peer_text = _page(session, peer_at, wanted)
        platform_page, peer_page = json.loads(platform_text), json.loads(peer_text)
        returned = _compare(platform_page, peer_page, bare_page)
        peer_times, app_times = [], []
        for _round in range(scale.repeats):  # in turns, so that a slower moment hits both
            peer_times.append(timed(lambda: _page(session, peer_at, wanted))[0])
            app_times.append(timed(lambda: _page(session, platform_at, wanted))[0])
    app, peer, bare = median(app_times), median(peer_times), median(bare_times)
    matched = platform_page["numberMatched"]
    return [Row(f"8. OGC API /ogc/collections/land/items bbox, limit=500 ({returned} of "
                f"{matched:,} plots; GeoJSON {kb(platform_text)})", ms(app),
                f"{ms(peer)} (MapServer 8: the same plots and properties, 6 decimals, "
                f"{kb(peer_text)})", f"{app / peer:.2f}×", "≤ 1.2× MapServer",
                app <= 1.2 * peer),
            Row("8. the same page, the json_agg query alone", ms(app),
                f"{ms(bare)} (SQL, {kb(bare_text.encode())})", f"{app / bare:.2f}×",
                "(what the request adds)", None)]  # fmt: skip


def kb(text: bytes) -> str:
    return f"{len(text) / 1024:.0f} KB"
