"""The land quality checks of the conflict report: plots that overlap or share one boundary,
a registered area off the area measured on the spheroid, plots outside the hromada, purpose
codes that do not fit the land category. Two set-based queries per hromada (one pass over
its plots, one self-join on the GiST index), optionally limited to a cadastral quarter."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from geoportal.municipalities.models import Municipality
from layers.cadastre import QUARTER_LENGTH, like_quarter, quarter_of
from layers.conflicts.classifier import ANY_CATEGORY, classifier
from layers.conflicts.kinds import Conflict, ConflictKind
from layers.geometry import grown_area
from layers.models import LandPlot

DEFAULT_MIN_OVERLAP_M2 = 1.0
DEFAULT_AREA_TOLERANCE_PERCENT = 5.0


@dataclass(frozen=True)
class LandChecks:
    """What the land checks report: overlaps larger than `min_overlap_m2`, registered areas
    more than `area_tolerance_percent` off, in one quarter or in all."""

    min_overlap_m2: float = DEFAULT_MIN_OVERLAP_M2
    area_tolerance_percent: float = DEFAULT_AREA_TOLERANCE_PERCENT
    quarter: str | None = None


# Plots near the boundary that it does not cover. The boundary is grown by the hromada's
# tolerance as the model's own check grows it. The exact test (~25 µs a plot) runs only on
# the plots whose box meets a piece of the outside: the boundary's box minus the boundary,
# cut along 50 m segments into pieces of a few vertices that hug the line, ~3,500 plots of
# a million. A plot whose box leaves the boundary's box is outside too (PLOT_SQL).
NEAR_OUTSIDE_SQL = """
WITH area AS MATERIALIZED (
    SELECT ST_GeomFromEWKB(%(area)s) AS g
), pieces AS MATERIALIZED (
    SELECT ST_Subdivide(ST_Difference(
        ST_Envelope(area.g), ST_Segmentize(area.g::geography, %(segment_m)s)::geometry), 8) AS g
    FROM area
)
SELECT DISTINCT p.id
FROM pieces JOIN layers_landplot p ON p.geometry && pieces.g CROSS JOIN area
WHERE p.municipality_id = %(m)s AND p.cadastral_number LIKE %(like)s
  AND NOT ST_CoveredBy(p.geometry, area.g)
"""
SEGMENT_M = 50

# One pass over the plots, without CTEs so that PostgreSQL may share it among its parallel
# workers: the area on the spheroid is the costly part (~5 µs a plot). The classifier's
# sections are a hash-joined table of ~20 rows.
PLOT_SQL = """
SELECT c.id, c.cadastral_number, c.category, c.purpose_code, c.area_ha::float8,
    c.measured_ha, c.outside,
    CASE WHEN c.outside
        THEN ST_Area(ST_Difference(c.geometry, ST_GeomFromEWKB(%(area)s))::geography) END,
    CASE WHEN c.outside THEN NOT ST_Intersects(c.geometry, ST_GeomFromEWKB(%(area)s)) END,
    c.wrong_purpose
FROM (
    SELECT p.id, p.cadastral_number, p.category, p.purpose_code, p.area_ha, p.geometry,
        ST_Area(p.geometry::geography) / 10000 AS measured_ha,
        NOT p.geometry @ ST_GeomFromEWKB(%(frame)s) OR p.id = ANY(%(near_outside)s) AS outside,
        p.purpose_code <> '' AND p.category <> '' AND (
            k.section IS NULL
            OR NOT (CASE WHEN k.last = 0 THEN substr(p.purpose_code, 4) = '00'
                         ELSE substr(p.purpose_code, 4)::int BETWEEN 1 AND k.last END)
            OR k.category NOT IN (%(any)s, p.category)
        ) AS wrong_purpose
    FROM layers_landplot p
    LEFT JOIN unnest(%(sections)s::text[], %(lasts)s::int[], %(categories)s::text[])
        AS k(section, last, category) ON k.section = left(p.purpose_code, 2)
    WHERE p.municipality_id = %(m)s AND p.cadastral_number LIKE %(like)s
) c
WHERE c.outside OR c.wrong_purpose
    OR (c.area_ha IS NOT NULL AND abs(c.measured_ha - c.area_ha) > %(tolerance)s * c.area_ha)
ORDER BY c.cadastral_number
"""

# Pairs whose interiors share an area (ST_Relate '2********': touching along a boundary is
# no overlap), each pair once: both in the quarter (or no quarter asked) → the lower id
# first; one outside the quarter → the one inside first. The intersection is measured on
# the spheroid only for those pairs.
PAIR_SQL = """
WITH pairs AS MATERIALIZED (
    SELECT p.id AS a_id, p.cadastral_number AS a_key, o.id AS b_id,
        o.cadastral_number AS b_key, p.geometry AS a_geom, o.geometry AS b_geom
    FROM layers_landplot p
    JOIN layers_landplot o
      ON o.geometry && p.geometry
     AND o.municipality_id = p.municipality_id
     AND o.id <> p.id
     AND (o.id > p.id OR o.cadastral_number NOT LIKE %(like)s)
    WHERE p.municipality_id = %(m)s AND p.cadastral_number LIKE %(like)s
      AND ST_Intersects(p.geometry, o.geometry)
      AND ST_Relate(p.geometry, o.geometry, '2********')
)
SELECT a_id, a_key, b_id, b_key, same, m2 FROM (
    SELECT a_id, a_key, b_id, b_key, ST_Equals(a_geom, b_geom) AS same,
        ST_Area(ST_Intersection(a_geom, b_geom)::geography) AS m2
    FROM pairs
) measured
WHERE same OR m2 > %(min_m2)s
ORDER BY a_key, b_key
"""

QUARTER_SQL = """
SELECT left(cadastral_number, %(length)s) AS quarter, count(*), coalesce(sum(area_ha), 0)::float8
FROM layers_landplot
WHERE municipality_id = %(m)s AND cadastral_number LIKE %(like)s
GROUP BY 1 ORDER BY 1
"""


def _rows(sql: str, params: dict[str, Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def _m2(value: float) -> str:
    return number_format(value, 1, force_grouping=True)


def _ha(value: float) -> str:
    return number_format(value, 4, force_grouping=True)


def land_municipalities(municipality: Municipality | None) -> list[Municipality]:
    """The hromadas whose plots are checked: the one asked, else every one with plots."""
    if municipality is not None:
        return [municipality]
    with_plots = LandPlot.objects.values("municipality_id")
    return list(Municipality.objects.filter(pk__in=with_plots).order_by("slug"))


def land_conflicts(municipality: Municipality | None, checks: LandChecks) -> list[Conflict]:
    found: list[Conflict] = []
    with transaction.atomic():
        _without_jit()
        for hromada in land_municipalities(municipality):
            found += _pairs(hromada, checks) + _plots(hromada, checks)
    return found


def _without_jit() -> None:
    """JIT compiling these queries takes ~2 s at a million plots and saves nothing: their
    time goes to PostGIS functions, which JIT does not compile."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL jit = off")


def _plots(municipality: Municipality, checks: LandChecks) -> list[Conflict]:
    area = grown_area(municipality.boundary, municipality.layer_boundary_tolerance_m)
    rules = classifier()
    tolerance = checks.area_tolerance_percent / 100
    scope = {"m": municipality.pk, "like": like_quarter(checks.quarter), "area": bytes(area.ewkb)}
    near = _rows(NEAR_OUTSIDE_SQL, {**scope, "segment_m": SEGMENT_M})
    params = {
        **scope,
        **rules.sql_arrays(),
        "frame": bytes(area.envelope.ewkb),
        "near_outside": [pk for (pk,) in near],
        "tolerance": tolerance,
        "any": ANY_CATEGORY,
    }
    found = []
    for row in _rows(PLOT_SQL, params):
        pk, key, category, code, registered, measured, outside, outside_m2, wholly, wrong = row
        plot = {"layer": "land", "feature_id": pk, "key": key, "address": "",
                "quarter": quarter_of(key)}  # fmt: skip
        if outside:
            detail = (
                _("wholly outside the hromada's boundary")
                if wholly
                else _("%(area)s m² outside the hromada's boundary") % {"area": _m2(outside_m2)}
            )
            found.append(Conflict(**plot, kind=ConflictKind.OUTSIDE_HROMADA, detail=detail,
                                  area_m2=outside_m2))  # fmt: skip
        if registered is not None and abs(measured - registered) > tolerance * registered:
            found.append(Conflict(**plot, kind=ConflictKind.AREA_MISMATCH,
                                  detail=_area_detail(registered, measured),
                                  registered_ha=registered, measured_ha=measured))  # fmt: skip
        if wrong:
            found.append(Conflict(**plot, kind=ConflictKind.PURPOSE_CATEGORY,
                                  detail=rules.problem(category, code) or ""))  # fmt: skip
    return found


def _area_detail(registered: float, measured: float) -> str:
    percent = (measured - registered) / registered * 100
    return _("registered %(registered)s ha, measured %(measured)s ha (%(percent)s %%)") % {
        "registered": _ha(registered),
        "measured": _ha(measured),
        "percent": ("+" if percent > 0 else "") + number_format(percent, 1),
    }


def _pairs(municipality: Municipality, checks: LandChecks) -> list[Conflict]:
    params = {
        "m": municipality.pk,
        "like": like_quarter(checks.quarter),
        "min_m2": checks.min_overlap_m2,
    }
    found = []
    for a_id, a_key, _b_id, b_key, same, m2 in _rows(PAIR_SQL, params):
        kind = ConflictKind.DUPLICATE_GEOMETRY if same else ConflictKind.PLOT_OVERLAP
        detail = (
            _("the same boundary as %(other)s") if same else _("%(area)s m² shared with %(other)s")
        ) % {"area": _m2(m2), "other": b_key}
        found.append(Conflict("land", a_id, a_key, "", kind, detail, quarter=quarter_of(a_key),
                              other_key=b_key, other_quarter=quarter_of(b_key),
                              area_m2=m2))  # fmt: skip
    return found


@dataclass(frozen=True)
class QuarterPlots:
    quarter: str
    plots: int
    registered_ha: float


def quarter_plots(municipality: Municipality, quarter: str | None = None) -> list[QuarterPlots]:
    """How many plots each quarter of the hromada holds, and their registered area."""
    params = {"m": municipality.pk, "like": like_quarter(quarter), "length": QUARTER_LENGTH}
    return [QuarterPlots(q, int(n), float(ha)) for q, n, ha in _rows(QUARTER_SQL, params)]
