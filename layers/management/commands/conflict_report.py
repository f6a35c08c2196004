"""Print the conflict report of the layers (text or CSV)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from geoportal.municipalities.models import Municipality
from layers.conflicts import DEFAULT_MIN_SPACING_M, conflicts_csv, find_conflicts


class Command(BaseCommand):
    help = (
        "List МАФ and advertising structures with an expired permit or none, standing on no "
        "plot or on a plot not meant for trade, too close to each other, or in a zone that "
        "does not allow them."
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

    def handle(self, *args: Any, **options: Any) -> None:
        municipality = None
        if options["municipality"]:
            municipality = Municipality.objects.filter(slug=options["municipality"]).first()
            if municipality is None:
                raise CommandError(f"No municipality with slug {options['municipality']!r}.")
        if options["min_spacing"] <= 0:
            raise CommandError("--min-spacing must be more than 0 metres.")
        conflicts = find_conflicts(municipality, options["min_spacing"])
        if options["fmt"] == "csv":
            self.stdout.write(conflicts_csv(conflicts), ending="")
            return
        for c in conflicts:
            detail = f" ({c.detail})" if c.detail else ""
            where = c.address or "—"
            self.stdout.write(f"{c.layer} {c.key or '#' + str(c.feature_id)}, {where}: "
                              f"{c.kind.label}{detail}")  # fmt: skip
        counts = Counter(c.kind.label for c in conflicts)
        summary = ", ".join(f"{label}: {n}" for label, n in sorted(counts.items()))
        self.stdout.write(f"{len(conflicts)} conflicts. {summary}")
