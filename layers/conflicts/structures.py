"""The conflict report's checks of МАФ and advertising structures: a permit, plot, spacing or
zone that is wrong. Each check is one set-based query on the GiST indexes."""

from __future__ import annotations

from datetime import date
from functools import reduce
from operator import or_
from typing import Any

from django.db import connection
from django.db.models import Exists, OuterRef, Q

from geoportal.municipalities.models import Municipality
from layers.conflicts.kinds import Conflict, ConflictKind
from layers.models import AdvertisingStructure, LandPlot, TemporaryStructure, ZoningZone
from layers.models.base import StructureStatus
from layers.models.land_plot import TRADE_PURPOSE_PREFIXES

DEFAULT_MIN_SPACING_M = 50
# Index prefilter for the spacing check: degrees of longitude per metre at 57° N, more than
# anywhere in Ukraine (44–52.4° N) needs; the exact test is then done on the spheroid.
DEGREES_PER_METRE_BOUND = 1 / 60_000


STRUCTURES: tuple[tuple[str, Any, str, str], ...] = (
    ("maf", TemporaryStructure, "passport_number", "allows_temporary_structures"),
    ("advertising", AdvertisingStructure, "permit_number", "allows_advertising"),
)


def structure_conflicts(
    municipality: Municipality | None = None,
    min_spacing_m: float = DEFAULT_MIN_SPACING_M,
    today: date | None = None,
) -> list[Conflict]:
    conflicts: list[Conflict] = []
    trade = reduce(or_, (Q(purpose_code__startswith=p) for p in TRADE_PURPOSE_PREFIXES))
    for layer, model, key, allows in STRUCTURES:
        structures = model.objects.all()
        if municipality is not None:
            structures = structures.filter(municipality=municipality)
        plots = LandPlot.objects.filter(geometry__intersects=OuterRef("geometry"))
        zones = ZoningZone.objects.filter(geometry__intersects=OuterRef("geometry"))
        checked = structures.with_permit_state(today).annotate(
            on_plot=Exists(plots),
            on_trade_plot=Exists(plots.filter(trade)),
            forbidding_zone=Exists(zones.filter(**{allows: False})),
        )
        rows = checked.filter(
            Q(permit_state="expired")
            | Q(status=StructureStatus.UNAUTHORISED)
            | Q(on_plot=False)
            | Q(on_trade_plot=False)
            | Q(forbidding_zone=True)
        ).order_by("pk")
        for row in rows.values(
            "pk", key, "address", "permit_valid_to", "permit_state", "status", "on_plot",
            "on_trade_plot", "forbidding_zone",
        ):  # fmt: skip
            conflicts.extend(_row_conflicts(layer, key, row))
    conflicts.extend(_too_close(municipality, min_spacing_m))
    return conflicts


def _row_conflicts(layer: str, key: str, row: dict[str, Any]) -> list[Conflict]:
    def conflict(kind: ConflictKind, detail: str = "") -> Conflict:
        return Conflict(layer, row["pk"], row[key] or "", row["address"], kind, detail)

    found = []
    if row["permit_state"] == "expired":
        found.append(conflict(ConflictKind.EXPIRED_PERMIT, f"{row['permit_valid_to']}"))
    if row["status"] == StructureStatus.UNAUTHORISED:
        found.append(conflict(ConflictKind.UNAUTHORISED))
    if not row["on_plot"]:
        found.append(conflict(ConflictKind.NO_PLOT))
    elif not row["on_trade_plot"]:
        found.append(conflict(ConflictKind.WRONG_PURPOSE))
    if row["forbidding_zone"]:
        found.append(conflict(ConflictKind.ZONE_FORBIDS))
    return found


def _too_close(municipality: Municipality | None, metres: float) -> list[Conflict]:
    """Pairs of advertising structures nearer than `metres` on the ground, each pair once."""
    scope = "AND a.municipality_id = %(municipality)s" if municipality else ""
    sql = f"""
        SELECT a.id, a.permit_number, a.address, b.id, b.permit_number,
               ST_Distance(a.geometry::geography, b.geometry::geography) AS metres
        FROM layers_advertisingstructure a
        JOIN layers_advertisingstructure b
          ON a.id < b.id
         AND a.municipality_id = b.municipality_id
         AND b.geometry && ST_Expand(a.geometry, %(degrees)s)
         AND ST_DWithin(a.geometry::geography, b.geometry::geography, %(metres)s)
        WHERE true {scope}
        ORDER BY a.id, b.id
    """  # noqa: S608  (only the constant scope is formatted in)
    params = {
        "metres": metres,
        "degrees": metres * DEGREES_PER_METRE_BOUND,
        "municipality": municipality.pk if municipality else None,
    }
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        pairs = cursor.fetchall()
    return [
        Conflict(
            "advertising", a_id, a_key or "", a_address, ConflictKind.TOO_CLOSE,
            f"{distance:.0f} m from {b_key or f'#{b_id}'}",
        )
        for a_id, a_key, a_address, b_id, b_key, distance in pairs
    ]  # fmt: skip
