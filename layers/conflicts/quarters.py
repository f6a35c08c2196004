"""The land checks summed up per cadastral zone and quarter (KOATUU:zone:quarter), with the
plots each quarter holds; a pair of plots in two quarters counts in both."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from geoportal.core.spreadsheet import Value, csv_text
from geoportal.municipalities.models import Municipality
from layers.cadastre import zone_of
from layers.conflicts.kinds import Conflict, ConflictKind
from layers.conflicts.land import (
    LandChecks,
    QuarterPlots,
    land_conflicts,
    land_municipalities,
    quarter_plots,
)


@dataclass
class Tally:
    """Plots and findings of a quarter or a zone."""

    name: str
    plots: int = 0
    registered_ha: float = 0.0
    counts: Counter[str] = field(default_factory=Counter)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def count(self, kind: ConflictKind) -> int:
        return self.counts[kind.value]

    def cells(self) -> list[int]:
        """The count of each land kind, in ConflictKind.land() order."""
        return [self.counts[kind.value] for kind in ConflictKind.land()]


@dataclass
class Zone(Tally):
    quarters: list[Tally] = field(default_factory=list)


def quarter_summary(plots: Iterable[QuarterPlots], conflicts: Iterable[Conflict]) -> list[Zone]:
    """Zones in order, each with its quarters in order. Only quarters that hold plots of the
    report's scope are listed: the other plot of a pair may lie outside it."""
    quarters: dict[str, Tally] = {}
    zones: dict[str, Zone] = {}
    for row in plots:
        zone = zones.setdefault(zone_of(row.quarter), Zone(zone_of(row.quarter)))
        tally = Tally(row.quarter, row.plots, row.registered_ha)
        quarters[row.quarter] = tally
        zone.quarters.append(tally)
        zone.plots += row.plots
        zone.registered_ha += row.registered_ha
    for conflict in conflicts:
        if conflict.layer != "land":
            continue
        kind = conflict.kind.value
        for quarter in conflict.quarters():
            if quarter in quarters:
                quarters[quarter].counts[kind] += 1
        for zone_name in dict.fromkeys(zone_of(q) for q in conflict.quarters()):
            if zone_name in zones:
                zones[zone_name].counts[kind] += 1
    return sorted(zones.values(), key=lambda zone: zone.name)


def quarter_report(municipality: Municipality | None, checks: LandChecks) -> list[Zone]:
    """The land checks of the hromada (of each with plots, for None) per zone and quarter."""
    zones: list[Zone] = []
    for hromada in land_municipalities(municipality):
        zones += quarter_summary(
            quarter_plots(hromada, checks.quarter), land_conflicts(hromada, checks)
        )
    return zones


def quarters_csv(zones: list[Zone]) -> str:
    """One line per quarter: its zone, plots, registered area and the count of each kind."""
    header: list[Value] = [
        "zone", "quarter", "plots", "registered_ha",
        *(kind.value for kind in ConflictKind.land()), "total",
    ]  # fmt: skip
    rows: list[list[Value]] = [
        [zone.name, q.name, q.plots, round(q.registered_ha, 4), *q.cells(), q.total]
        for zone in zones
        for q in zone.quarters
    ]
    return csv_text([header, *rows], bom=False)
