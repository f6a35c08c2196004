"""The whole conflict report: the structures' conflicts and the land quality checks, and
the report as CSV (through the one spreadsheet rule)."""

from __future__ import annotations

from datetime import date

from geoportal.core.spreadsheet import Value, csv_text
from geoportal.municipalities.models import Municipality
from layers.conflicts.kinds import Conflict
from layers.conflicts.land import LandChecks, land_conflicts
from layers.conflicts.structures import DEFAULT_MIN_SPACING_M, structure_conflicts


def find_conflicts(
    municipality: Municipality | None = None,
    min_spacing_m: float = DEFAULT_MIN_SPACING_M,
    today: date | None = None,
    land: LandChecks | None = None,
) -> list[Conflict]:
    """Every conflict of the hromada (of all of them with None). `land=None` runs the land
    checks with their defaults; a quarter in `land` limits the report to that quarter's
    plots (structures have no quarter, so they are left out then)."""
    land = land or LandChecks()
    structures = [] if land.quarter else structure_conflicts(municipality, min_spacing_m, today)
    return structures + land_conflicts(municipality, land)


CSV_HEADER: list[Value] = [
    "layer", "id", "key", "address", "conflict", "detail", "quarter", "other_key", "area_m2",
    "registered_ha", "measured_ha",
]  # fmt: skip


def _number(value: float | None, places: int) -> float | None:
    return None if value is None else round(value, places)


def conflicts_csv(conflicts: list[Conflict]) -> str:
    """The conflicts as CSV; addresses and numbers are staff's text (spreadsheet rule),
    areas are numbers (m² to 0.01, hectares to 0.0001)."""
    rows: list[list[Value]] = [
        [c.layer, c.feature_id, c.key, c.address, str(c.kind.value), c.detail, c.quarter,
         c.other_key, _number(c.area_m2, 2), _number(c.registered_ha, 4),
         _number(c.measured_ha, 4)]
        for c in conflicts
    ]  # fmt: skip
    return csv_text([CSV_HEADER, *rows], bom=False)
