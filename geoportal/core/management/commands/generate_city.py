"""Fill a hromada with synthetic GIS layers and reports, fast, for benchmarks."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from geoportal.core.synthetic import layers, reports
from geoportal.municipalities.models import Municipality

TABLES = ["layers_landplot", "layers_temporarystructure", "layers_advertisingstructure",
          "layers_zoningzone", "reports_report", "reports_reportevent"]  # fmt: skip


class Command(BaseCommand):
    help = (
        "Add synthetic data to a hromada: non-overlapping plots, МАФ and advertising "
        "structures, zoning zones, and reports in every state with their events, made in "
        "PostGIS in batches of 100,000 (a million plots and a million reports take minutes). "
        "Marked as demo data. For benchmarks and load tests, never for a real hromada's data."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--municipality", required=True, help="Slug, e.g. pokrovsk.")
        for name in ("plots", "maf", "advertising", "zones", "reports"):
            parser.add_argument(f"--{name}", type=int, default=0, help=f"How many {name}.")
        parser.add_argument("--seed", type=int, default=1, help="Same seed, same data.")

    def handle(self, *args: Any, **options: Any) -> None:
        municipality = Municipality.objects.filter(slug=options["municipality"]).first()
        if municipality is None:
            raise CommandError(f"No municipality {options['municipality']!r}; load_reference?")
        for name in ("plots", "maf", "advertising", "zones", "reports"):
            if options[name] < 0:
                raise CommandError(f"--{name} must not be negative.")
        seed, say = options["seed"], self.stdout.write
        started = time.monotonic()
        made = {
            "plots": layers.plots(municipality, options["plots"], seed, say),
            "maf": layers.structures(municipality, "maf", options["maf"], seed, say),
            "advertising": layers.structures(
                municipality, "advertising", options["advertising"], seed, say
            ),
            "zones": layers.zones(municipality, options["zones"], seed, say),
            "reports": reports.reports(municipality, options["reports"], seed, say),
        }
        with connection.cursor() as cursor:
            for table in TABLES:
                cursor.execute(f"ANALYZE {table}")  # fresh statistics for the planner
        summary = ", ".join(f"{count:,} {name}" for name, count in made.items())
        say(f"Made {summary} in {time.monotonic() - started:.0f} s.")
