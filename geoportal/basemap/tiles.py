"""The base map's vector tiles: one ST_AsMVT query for all its layers, by zoom.

Which features a zoom shows is the table MIN_ZOOM (kind, class → first zoom); geometry is
simplified by one tile unit (invisible at that zoom), as the layer tiles are
(layers/tiles/sql.py). Names are Ukrainian first: name:uk, else name.
"""

from __future__ import annotations

from layers.tiles.sql import BUFFER, EXTENT

MIN_TILE_ZOOM = 8  # below it the base tiles are empty: raster tiles or nothing
# Labels drawn from other features: a street's name at the middle of each way long enough
# to hold it (about LABEL_CHAR_PX a character), turned along the way and never upside
# down; a house number on its building or address point.
STREET_NAME_ZOOM = 15
HOUSE_NUMBER_ZOOM = 17
LABEL_CHAR_PX = 7
# Web Mercator metres per pixel of a 256 px tile at zoom 0.
RESOLUTION_Z0 = 2 * 6378137 * 3.141592653589793 / 256
# (kind, class or "" for every class of the kind): the first zoom that draws it.
MIN_ZOOM: dict[tuple[str, str], int] = {
    ("water", ""): 8,
    ("water", "stream"): 13,
    ("water", "drain"): 14,
    ("water", "ditch"): 14,
    ("green", ""): 10,
    ("building", ""): 15,
    ("railway", ""): 10,
    ("railway", "tram"): 13,
    ("label", "city"): 8,
    ("label", "town"): 8,
    ("label", "village"): 11,
    ("label", "hamlet"): 13,
    ("label", ""): 13,
    ("road", "motorway"): 8,
    ("road", "trunk"): 8,
    ("road", "primary"): 8,
    ("road", "motorway_link"): 11,
    ("road", "trunk_link"): 11,
    ("road", "primary_link"): 11,
    ("road", "secondary"): 10,
    ("road", "secondary_link"): 12,
    ("road", "tertiary"): 11,
    ("road", "tertiary_link"): 12,
    ("road", "unclassified"): 12,
    ("road", "residential"): 13,
    ("road", "living_street"): 13,
    ("road", "road"): 13,
    ("road", "service"): 14,
    ("road", "pedestrian"): 14,
    ("road", "track"): 14,
    ("road", ""): 15,  # footways, cycleways, paths, steps
    ("address", ""): HOUSE_NUMBER_ZOOM,  # address points: only their numbers are drawn
}
# A label is drawn whole by every tile it overlaps: its point is kept in a tile's margin
# up to half a tile out (longer names are cut at that).
LABEL_BUFFER = EXTENT // 2
# Tile layer → the kinds in it and the attributes it carries.
LAYERS: dict[str, tuple[tuple[str, ...], str]] = {
    "water": (("water",), "f.subclass AS class, f.name"),
    "green": (("green",), "f.subclass AS class"),
    "buildings": (("building",), "f.housenumber"),
    "roads": (("road",), "f.subclass AS class, f.name, f.ref"),
    "railways": (("railway",), "f.subclass AS class"),
    "labels": (("label",), "f.subclass AS class, f.name"),
}


def shown(z: int) -> dict[str, list[str]]:
    """At zoom z: the kinds shown in every class not named, the "kind:class" pairs shown,
    and the pairs hidden (a named class whose zoom has not come yet)."""
    kinds = [kind for (kind, cls), first in MIN_ZOOM.items() if not cls and z >= first]
    pairs = [f"{kind}:{cls}" for (kind, cls), first in MIN_ZOOM.items() if cls and z >= first]
    hidden = [f"{kind}:{cls}" for (kind, cls), first in MIN_ZOOM.items() if cls and z < first]
    return {"kinds": kinds, "pairs": pairs, "hidden": hidden}


def resolution(z: int) -> float:
    """Web Mercator units per pixel at zoom z (lengths compare in them, inflated alike)."""
    return RESOLUTION_Z0 / 2**z


# The derived label layers: (zoom from, attributes, SQL of the attributes and a `point` in
# 3857 from `shown f`).
DERIVED: dict[str, tuple[int, str, str]] = {
    "street_names": (
        STREET_NAME_ZOOM,
        "d.name, d.angle",
        f"""SELECT f.name,
           -- the way's direction at its middle, as a text rotation kept upright
           (mod(degrees(ST_Azimuth(ST_LineInterpolatePoint(w.line, 0.45),
                                   ST_LineInterpolatePoint(w.line, 0.55)))::numeric, 180)
            - 90)::int AS angle,
           ST_LineInterpolatePoint(w.line, 0.5) AS point
    FROM shown f CROSS JOIN LATERAL (SELECT ST_Transform(
        ST_GeometryN(ST_LineMerge(ST_Multi(f.geometry)), 1), 3857) AS line) w
    WHERE f.kind = 'road' AND f.name <> ''
      AND ST_Length(w.line) > char_length(f.name) * {LABEL_CHAR_PX} * %(resolution)s""",  # noqa: S608
    ),
    "housenumbers": (
        HOUSE_NUMBER_ZOOM,
        "d.housenumber",
        """SELECT f.housenumber, ST_Transform(ST_PointOnSurface(f.geometry), 3857) AS point
    FROM shown f WHERE f.kind IN ('building', 'address') AND f.housenumber <> ''""",
    ),
}


def tile_sql(z: int) -> str:
    """SQL taking %(z)s %(x)s %(y)s %(margin)s %(tolerance)s %(kinds)s %(pairs)s %(hidden)s
    %(resolution)s."""
    parts = []
    for layer, (kinds, attributes) in LAYERS.items():
        in_layer = ", ".join(f"'{kind}'" for kind in kinds)
        buffer = LABEL_BUFFER if layer == "labels" else BUFFER
        parts.append(f"""COALESCE((SELECT ST_AsMVT(t, '{layer}', {EXTENT}, 'geom') FROM (
    SELECT {attributes}, ST_AsMVTGeom(ST_SimplifyPreserveTopology(
               ST_Transform(f.geometry, 3857), %(tolerance)s), b.tile, {EXTENT}, {buffer}, true)
           AS geom
    FROM shown f CROSS JOIN bounds b WHERE f.kind IN ({in_layer})) t
  WHERE t.geom IS NOT NULL), ''::bytea)""")  # noqa: S608 (constants only)
    for layer, (first_zoom, attributes, rows) in DERIVED.items():
        if z < first_zoom:
            continue
        parts.append(f"""COALESCE((SELECT ST_AsMVT(t, '{layer}', {EXTENT}, 'geom') FROM (
    SELECT {attributes}, ST_AsMVTGeom(d.point, b.tile, {EXTENT}, {LABEL_BUFFER}, true) AS geom
    FROM ({rows}) d CROSS JOIN bounds b) t
  WHERE t.geom IS NOT NULL), ''::bytea)""")  # noqa: S608 (constants only)
    # Only constants of this module are formatted in; every value is a query parameter.
    # A feature shows when its "kind:class" is listed, or its kind is and its class is not
    # hidden at this zoom. The envelope is taken to 4326 once, for the GiST index.
    return f"""
WITH bounds AS (
    SELECT ST_TileEnvelope(%(z)s, %(x)s, %(y)s) AS tile,
           ST_Transform(ST_TileEnvelope(%(z)s, %(x)s, %(y)s, margin => %(margin)s), 4326) AS area,
           ST_Transform(ST_TileEnvelope(%(z)s, %(x)s, %(y)s, margin => {LABEL_BUFFER / EXTENT}),
                        4326) AS label_area
), shown AS (
    SELECT f.kind, f.subclass, COALESCE(NULLIF(f.name_uk, ''), f.name) AS name, f.ref,
           f.housenumber, f.geometry
    FROM basemap_basefeature f CROSS JOIN bounds
    WHERE f.geometry && bounds.label_area AND (f.kind = 'label' OR f.geometry && bounds.area)
      AND ((f.kind || ':' || f.subclass) = ANY(%(pairs)s)
           OR (f.kind = ANY(%(kinds)s) AND NOT (f.kind || ':' || f.subclass) = ANY(%(hidden)s)))
)
SELECT {" || ".join(parts)}
"""  # noqa: S608
