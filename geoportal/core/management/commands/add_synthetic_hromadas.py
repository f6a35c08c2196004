"""Add N synthetic hromadas on a grid, onboarded as add_hromada does, for benchmarks."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from geoportal.municipalities.models import Municipality
from geoportal.municipalities.onboarding import OnboardingError, Request, carry_out, plan

# The grid's south-west corner (lon, lat): Vinnytsia oblast, far from the real hromadas of
# data/reference/ (Donetsk oblast), so that no boundary overlaps another.
ORIGIN = (27.6, 48.4)
COLUMNS = 10
OBLAST = "05"  # Vinnytsia, in the KATOTTH codes


def slug_of(prefix: str, number: int) -> str:
    return f"{prefix}-{number:03d}"


def square(number: int, side_km: float) -> dict[str, Any]:
    """The number-th square of the grid (0-based), `side_km` wide, 1 km apart, as GeoJSON."""
    lon0, lat0 = ORIGIN
    # Degrees per km at about 49° N: 1/111 of latitude, 1/73 of longitude.
    width, height = side_km / 73.0, side_km / 111.0
    row, column = divmod(number, COLUMNS)
    west = lon0 + column * (width + 1 / 73.0)
    south = lat0 + row * (height + 1 / 111.0)
    ring = [[west, south], [west + width, south], [west + width, south + height],
            [west, south + height], [west, south]]  # fmt: skip
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {}, "geometry": {"type": "Polygon",
                                                          "coordinates": [ring]}}]}  # fmt: skip


class Command(BaseCommand):
    help = (
        "Add --count synthetic hromadas <prefix>-001, <prefix>-002, … as square boundaries "
        "on a grid in Vinnytsia oblast (none overlapping another), each onboarded as "
        "add_hromada does from the standard template: its departments, categories, routing "
        "rules and layer owners. Fill them with generate_city. Hromadas that exist already "
        "are kept as they are, so re-running adds only the missing ones. For benchmarks of "
        "many hromadas on one deployment, never for real data."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--count", type=int, required=True, help="How many hromadas.")
        parser.add_argument("--prefix", default="syn", help="Slug prefix (default syn).")
        parser.add_argument(
            "--side-km", type=float, default=14.0, help="Side of each square (default 14 km)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        count, prefix, side = options["count"], options["prefix"], options["side_km"]
        if not 0 < count <= 999:
            raise CommandError("--count must be between 1 and 999.")
        if not 1.0 <= side <= 40.0:
            raise CommandError("--side-km must be between 1 and 40.")
        mine = Municipality.objects.filter(slug__startswith=f"{prefix}-")
        existing = set(mine.values_list("slug", flat=True))
        added = 0
        with tempfile.TemporaryDirectory(prefix="synthetic-hromadas-") as folder:
            reference = Path(folder) / "reference"
            reference.mkdir()
            for number in range(1, count + 1):
                slug = slug_of(prefix, number)
                if slug in existing:
                    continue
                boundary = Path(folder) / f"{slug}.geojson"
                boundary.write_text(json.dumps(square(number - 1, side)), encoding="utf-8")
                request = Request(
                    name_uk=f"Синтетична громада {number}",
                    name_en=f"Synthetic hromada {number}",
                    slug=slug,
                    # UA, oblast, raion 90, hromada and settlement by number, identifier.
                    katotth=f"UA{OBLAST}90{number:03d}001{number:07d}",
                    katotth_hromada=f"UA{OBLAST}90{number:03d}000{0:07d}",
                    boundary=boundary,
                    reference_dir=reference,
                )
                try:
                    carry_out(plan(request), log=lambda _line: None)
                except OnboardingError as exc:
                    raise CommandError(f"{slug}: {exc}") from exc
                added += 1
        self.stdout.write(f"{added} synthetic hromada(s) added, {count - added} kept.")
