"""What bounds each measure, written down once after profiling; RESULTS.md carries the
note of every measure that misses its target in that run."""

from __future__ import annotations

from collections.abc import Sequence

BOUNDS = {
    "1": (
        "Tiles, uncached, against MapServer 8 per zoom. The section 'Profile of the "
        "uncached tile path' below splits each request: at z12–z14 over 96 % of it is the "
        "tile query in PostgreSQL (z12: a 5.9 MB tile of some 100,000 plots, ~1 s; the map "
        "asks for land tiles from z14 only), where ST_AsMVTGeom snaps every polygon to the "
        "tile's grid and repairs what the snapping breaks; MapServer reads the same rows as "
        "WKB and clips and encodes them in C without the repair. The uncached tile as a "
        "whole stays within 1.5× the bare query (the first row). At z16–z17 the tiles take "
        "4–8 ms and the difference to MapServer (0.4–1.8 ms) is the request's fixed cost "
        "outside the database (0.65–0.86 ms in the profile: Django's handler and "
        "middlewares, the view, the cache) and the statement that reads the hromada and the "
        "layer's version for the ETag. Before this issue's profile that cost was 2–9 ms: "
        "the tile was pickled and zlib-compressed into the cache while the client waited, "
        "the hromada was read with its boundary, and the tile query simplified with "
        "ST_SimplifyPreserveTopology (ST_Simplify gives the same tiles in 60 % of the "
        "time). A cached tile costs 2.5 ms, over 20× faster than MapServer."
    ),
    "2": (
        "Layer GeoJSON. The page is one query built like the bare one (json_agg in "
        "PostgreSQL, the count from a window in the same query), ~6 ms for 500 plots. "
        "What is left is the fixed cost of an HTTP request through gunicorn and Django "
        "(URL resolution, middleware, the bbox and filter parsing, the ETag's version "
        "query): 6–10 ms from run to run, more than the query itself at this page size. "
        "The ratio falls with bigger pages; repeats are answered by ETag (304) or by "
        "nginx's cache."
    ),
    "3": (
        "Import. ogr2ogr copies the file into a new table with no constraint and builds "
        "its one index afterwards. import_layer writes each plot into the layer (six "
        "indexes, GiST among them, and the checks: valid geometry, number and code "
        "formats, the hromada's foreign key) and a history row beside it (seven indexes, "
        "the user's foreign key). That database work alone, the same statements run "
        'without Python (the "SQL alone" row), takes 3–5× ogr2ogr by itself '
        "(3.5–4.0 s for 100,000 plots, of which ~1.9 s the layer's insert, ~1 s the history "
        "rows and ~0.8 s the foreign keys checked at commit). On top of it Python adds "
        "Django's start (~1.5 s, geopandas included), reading the file through GDAL as "
        "ogr2ogr does (~0.6 s), and the checks: the columns converted each distinct cell "
        "once (pandas.factorize), every geometry checked in shapely's C loops, the stored "
        "keys matched by one query, each row kept as a feature for the model's rules "
        "(~1.5 s together). 3× ogr2ogr would need the history rows or the constraints "
        "dropped, which the import's audit and revert stand on."
    ),
    "4": (
        "Report submission. The bare column is the photo's own work, done by Pillow in the "
        "bench's process on the same photo (checked, decoded in JPEG draft mode, encoded "
        "again without EXIF, a thumbnail): 67 ms for the browser's 2560 px photo, which "
        "alone allows at most 30 submissions a second on 2 cores, so 20 clients each "
        "waiting for their answer wait at least 20 × 67 / 2 ≈ 0.67 s (Little's law) "
        "whatever the rest costs. Without a real photo (the 19 KB image) the rest of a "
        "submission (routing and the spatial context: hromada, plot, zone, nearest МАФ and "
        "advertising within 30 m; the report, event, follower and notification rows; the "
        "request) allows ~28 a second on 2 cores shared with PostgreSQL and the load "
        "generator. p95 < 300 ms at 20 clients needs ~70 a second: 2.5× these cores. "
        "WEB_REPLICAS in docker/compose.yaml spreads the web processes over a bigger machine "
        "or several. Decoding cannot be left out (a damaged photo is refused before "
        "anything is stored); the 4000×3000 camera photo costs 4× the downsized one, bounded "
        "by draft mode and REPORT_PHOTO_MAX_PIXELS. This run filed them with gthread 2×4 "
        "(2 processes, as production then); production now runs 4 processes of 4 threads. "
        "Measure 10 compares the set-ups on reads only, not on submissions."
    ),
    "5": (
        "Staff reads. Queues use partial indexes; statistics are computed by the worker "
        "every few minutes (the 'recomputed by the worker' row) and served as of then."
    ),
    "6": (
        "Public map. The browser asks for clusters computed by PostgreSQL on stored Web "
        "Mercator pixel columns; the time is Leaflet's start and the drawing of the "
        "cluster markers."
    ),
    "7": (
        "Land checks. Two thirds of the time is the self-join looking for overlapping "
        "plots: one probe of the GiST index per plot (~20 µs each on this machine, the "
        "index's consistent function called for every entry of the pages it descends), "
        "then ST_Intersects and ST_Relate on the few neighbours found. The pass over the "
        "plots (the area on the spheroid, ~5 µs a plot) runs in parallel workers; the exact "
        "boundary test runs only on the plots near the boundary. Plots that touch their "
        "neighbours, as a real cadastre's do, add an ST_Relate per touching pair."
    ),
    "8": (
        "OGC API items against MapServer 8. MapServer reads the page with one query "
        "(ST_Intersects with the box, every column cast to text, the geometry as WKB, "
        "LIMIT without ORDER BY) and numberMatched with a COUNT(*) of the same, then writes "
        "the GeoJSON in C: coordinates with 6 decimals (255 KB for 500 plots against the "
        "platform's 280 KB and the json_agg query's 289 KB), single-part plots as Polygon, "
        "NULL as an empty string. The platform's page is one json_agg query built by "
        "PostgreSQL, as /api/v1/layers/ does; what it adds to the query (6–8 ms, not "
        "profiled) is of the order of measure 2's fixed cost of a request through gunicorn "
        "and Django. Small scale (500 of 652 "
        "plots, 2 cores shared with other work): before issue 16's rewrite (features "
        "serialised in Python by DRF-gis) 129–146 ms against MapServer's 19 ms and the "
        "query's 7.7 ms, 6.9–7.9× the peer, as the issue's full-scale 116 / 18 / 7.7 ms; "
        "after it 14–20 ms against MapServer's 18–29 ms and the query's 7.6–12 ms, "
        "0.69–0.76× the peer. Full-scale figures: `make bench FULL=1`."
    ),
    "9": (
        "A report with a camera photo on a weak connection. The time is the upload: the "
        "photo downsized in the browser to 2560 px (REPORT_PHOTO_UPLOAD_MAX_SIDE, JPEG at "
        "REPORT_PHOTO_UPLOAD_QUALITY) is what crosses the 1.5 Mbit/s link, about 5.3 s per "
        "MB; the server's part (re-encoding, the report's rows) is ~0.1 s. A picture whose "
        "downsized JPEG stays large (fine noise, a textured scene) takes longer; a lower "
        "quality or longest side in the settings shortens it."
    ),
}


def notes(rows: Sequence[object]) -> list[str]:
    """The notes of the measures that missed their target (rows with met False)."""
    missed: list[str] = []
    for row in rows:
        number = str(getattr(row, "measure", "")).split(".", 1)[0]
        if getattr(row, "met", None) is False and number in BOUNDS and number not in missed:
            missed.append(number)
    return [f"- **{number}.** {BOUNDS[number]}" for number in missed]
