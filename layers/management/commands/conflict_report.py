"""Print the conflict report of the layers, or its land checks per quarter (text or CSV)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from geoportal.municipalities.models import Municipality
from layers.cadastre import is_quarter
from layers.conflicts import (
    DEFAULT_AREA_TOLERANCE_PERCENT,
    DEFAULT_MIN_OVERLAP_M2,
    DEFAULT_MIN_SPACING_M,
    Conflict,
    ConflictKind,
    LandChecks,
    Zone,
    conflicts_csv,
    find_conflicts,
    quarter_report,
    quarters_csv,
)


class Command(BaseCommand):
    help = (
        "List МАФ and advertising structures with an expired permit or none, standing on no "
        "plot or on a plot not meant for trade, too close to each other, or in a zone that "
        "does not allow them; and land plots that overlap or share a boundary, whose "
        "registered area is off the measured one, that lie outside the hromada or whose "
        "purpose code does not fit their land category. --quarters sums the land checks up "
        "per cadastral zone and quarter."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--municipality", help="Only this hromada (slug).")
        parser.add_argument("--format", choices=["text", "csv"], default="text", dest="fmt")
        parser.add_argument(
            "--min-spacing",
            type=float,
            default=DEFAULT_MIN_SPACING_M,
            help=f"Advertising structures nearer than this (metres; {DEFAULT_MIN_SPACING_M}).",
        )
        parser.add_argument(
            "--quarter",
            help="Only the land plots of this cadastral quarter, KOATUU:zone:quarter "
            "(e.g. 1412600000:01:001); structures are left out then.",
        )
        parser.add_argument(
            "--min-overlap",
            type=float,
            default=DEFAULT_MIN_OVERLAP_M2,
            help=f"Plots overlapping by more than this are listed (m²; {DEFAULT_MIN_OVERLAP_M2}).",
        )
        parser.add_argument(
            "--area-tolerance",
            type=float,
            default=DEFAULT_AREA_TOLERANCE_PERCENT,
            help="Registered areas further than this from the area measured on the spheroid "
            f"are listed (per cent; {DEFAULT_AREA_TOLERANCE_PERCENT}).",
        )
        parser.add_argument(
            "--quarters",
            action="store_true",
            help="Print the land checks per cadastral zone and quarter instead of the list.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        municipality = None
        if options["municipality"]:
            municipality = Municipality.objects.filter(slug=options["municipality"]).first()
            if municipality is None:
                raise CommandError(f"No municipality with slug {options['municipality']!r}.")
        if options["min_spacing"] <= 0:
            raise CommandError("--min-spacing must be more than 0 metres.")
        if options["min_overlap"] < 0:
            raise CommandError("--min-overlap must be 0 m² or more.")
        if not 0 <= options["area_tolerance"] < 100:
            raise CommandError("--area-tolerance must be from 0 to 100 per cent.")
        quarter = options["quarter"]
        if quarter is not None and not is_quarter(quarter):
            raise CommandError(
                f"--quarter {quarter!r} is not a cadastral quarter KOATUU:zone:quarter "
                "(e.g. 1412600000:01:001)."
            )
        land = LandChecks(options["min_overlap"], options["area_tolerance"], quarter)
        if options["quarters"]:
            self._quarters(quarter_report(municipality, land), options["fmt"])
            return
        conflicts = find_conflicts(municipality, options["min_spacing"], land=land)
        if options["fmt"] == "csv":
            self.stdout.write(conflicts_csv(conflicts), ending="")
        else:
            self._text(conflicts)

    def _text(self, conflicts: list[Conflict]) -> None:
        for c in conflicts:
            detail = f" ({c.detail})" if c.detail else ""
            where = c.address or (_("quarter %(quarter)s") % {"quarter": c.quarter} if c.quarter
                                  else "—")  # fmt: skip
            self.stdout.write(f"{c.layer} {c.key or '#' + str(c.feature_id)}, {where}: "
                              f"{c.kind.label}{detail}")  # fmt: skip
        counts = Counter(c.kind.label for c in conflicts)
        summary = ", ".join(f"{label}: {n}" for label, n in sorted(counts.items()))
        self.stdout.write(f"{len(conflicts)} conflicts. {summary}")

    def _quarters(self, zones: list[Zone], fmt: str) -> None:
        if fmt == "csv":
            self.stdout.write(quarters_csv(zones), ending="")
            return
        labels = [str(kind.label) for kind in ConflictKind.land()]
        self.stdout.write("\t".join([_("zone / quarter"), _("plots"), *labels, _("total")]))
        for zone in zones:
            for tally in (zone, *zone.quarters):
                name = tally.name if tally is zone else f"  {tally.name}"
                cells = [name, str(tally.plots), *map(str, tally.cells()), str(tally.total)]
                self.stdout.write("\t".join(cells))
