"""The planning department's conflict report: МАФ and advertising structures whose permit,
plot, spacing or zone is wrong (structures.py), and the land quality checks (land.py),
summed up per cadastral quarter (quarters.py)."""

from layers.conflicts.kinds import Conflict, ConflictKind
from layers.conflicts.land import (
    DEFAULT_AREA_TOLERANCE_PERCENT,
    DEFAULT_MIN_OVERLAP_M2,
    LandChecks,
    land_conflicts,
    quarter_plots,
)
from layers.conflicts.quarters import (
    Tally,
    Zone,
    quarter_report,
    quarter_summary,
    quarters_csv,
)
from layers.conflicts.report import conflicts_csv, find_conflicts
from layers.conflicts.structures import DEFAULT_MIN_SPACING_M, structure_conflicts

__all__ = [
    "DEFAULT_AREA_TOLERANCE_PERCENT",
    "DEFAULT_MIN_OVERLAP_M2",
    "DEFAULT_MIN_SPACING_M",
    "Conflict",
    "ConflictKind",
    "LandChecks",
    "Tally",
    "Zone",
    "conflicts_csv",
    "find_conflicts",
    "land_conflicts",
    "quarter_plots",
    "quarter_report",
    "quarter_summary",
    "quarters_csv",
    "structure_conflicts",
]
