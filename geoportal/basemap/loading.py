"""Write an extract's features into PostGIS, clipped to hromadas, replacing their old ones."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable

from django.db import connection, transaction

from geoportal.basemap.models import BaseFeature, BasemapImport
from geoportal.basemap.reader import Feature
from geoportal.municipalities.models import Municipality

COLUMNS = "kind, subclass, name, name_uk, ref, street, housenumber, search, osm_id"
PROGRESS_EVERY = 50_000

# Polygons from OSM can be invalid (self-touching rings): made valid before clipping. A
# feature wholly inside is kept as it is; one across the boundary keeps its inside part, of
# its own dimension (a road cut by the edge stays lines, without stray points).
CLIP_SQL = f"""
INSERT INTO basemap_basefeature ({COLUMNS}, municipality_id, geometry)
SELECT {", ".join("s." + c.strip() for c in COLUMNS.split(","))}, m.id,
    CASE WHEN ST_Dimension(c.geom) = 0 THEN c.geom ELSE ST_Multi(c.geom) END
FROM basemap_staged s
JOIN municipalities_municipality m ON m.id = ANY(%(ids)s) AND s.geom && m.boundary
    AND ST_Intersects(s.geom, m.boundary)
CROSS JOIN LATERAL (SELECT CASE WHEN ST_CoveredBy(s.geom, m.boundary) THEN s.geom
    ELSE ST_CollectionExtract(ST_Intersection(s.geom, m.boundary), ST_Dimension(s.geom) + 1)
    END AS geom) c
WHERE NOT ST_IsEmpty(c.geom)
"""  # noqa: S608 (constants only)


def load(
    features: Iterable[Feature],
    municipalities: list[Municipality],
    source: str,
    log: Callable[[str], None],
) -> dict[str, Counter[str]]:
    """Replace the hromadas' base map by the features; return {slug: counts by kind}."""
    ids = [m.pk for m in municipalities]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMPORARY TABLE basemap_staged (kind text, subclass text, name text, "
            "name_uk text, ref text, street text, housenumber text, search text, "
            "osm_id bigint, wkb bytea, geom geometry(Geometry, 4326)) ON COMMIT DROP"
        )
        read = 0
        with cursor.cursor.copy(f"COPY basemap_staged ({COLUMNS}, wkb) FROM STDIN") as copy:
            for feature in features:
                copy.write_row((feature.kind.value, feature.subclass, feature.name,
                                feature.name_uk, feature.ref, feature.street,
                                feature.housenumber, feature.search, feature.osm_id,
                                feature.wkb))  # fmt: skip
                read += 1
                if read % PROGRESS_EVERY == 0:
                    log(f"  read {read} features…")
        log(f"Read {read} features of the base map from {source}; clipping to the hromadas…")
        cursor.execute(
            "UPDATE basemap_staged SET geom = CASE WHEN ST_Dimension(g) = 2 "
            "THEN ST_CollectionExtract(ST_MakeValid(g), 3) ELSE g END "
            "FROM (SELECT ctid AS id, ST_GeomFromWKB(wkb, 4326) AS g FROM basemap_staged) w "
            "WHERE basemap_staged.ctid = w.id"
        )
        cursor.execute("CREATE INDEX ON basemap_staged USING gist (geom)")
        cursor.execute("ANALYZE basemap_staged")
        BaseFeature.objects.filter(municipality_id__in=ids).delete()
        cursor.execute(CLIP_SQL, {"ids": ids})
        cursor.execute(
            "SELECT municipality_id, kind, count(*) FROM basemap_basefeature "
            "WHERE municipality_id = ANY(%s) GROUP BY 1, 2",
            [ids],
        )
        counts: dict[int, Counter[str]] = {pk: Counter() for pk in ids}
        for pk, kind, count in cursor.fetchall():
            counts[pk][kind] = count
        # Dropped here too: inside an outer transaction (a test's) ON COMMIT comes later.
        cursor.execute("DROP TABLE basemap_staged")
        for municipality in municipalities:
            BasemapImport.objects.create(
                municipality=municipality, source=source[:300], counts=dict(counts[municipality.pk])
            )
    return {m.slug: counts[m.pk] for m in municipalities}
