"""Export a layer's public data to GeoPackage, zipped Shapefile, GeoJSON or CSV."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from geoportal.municipalities.models import Municipality
from layers.exporting import FORMATS, export_layer
from layers.registry import LAYERS


class Command(BaseCommand):
    help = (
        "Write the public fields of a layer (maf, advertising, land, zoning) to a file in "
        "EPSG:4326: GeoPackage, Shapefile (zipped), GeoJSON or CSV (UTF-8, WKT geometry)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("layer", choices=sorted(LAYERS), help="The layer to export.")
        parser.add_argument("path", type=Path, help="The file to write.")
        parser.add_argument("--format", required=True, choices=sorted(FORMATS), dest="fmt")
        parser.add_argument("--municipality", help="Only this hromada (slug); default: all.")

    def handle(self, *args: Any, **options: Any) -> None:
        municipality = None
        if options["municipality"]:
            municipality = Municipality.objects.filter(slug=options["municipality"]).first()
            if municipality is None:
                raise CommandError(f"No municipality with slug {options['municipality']!r}.")
        path: Path = options["path"]
        if not path.parent.is_dir():
            raise CommandError(f"{path.parent}: no such folder.")
        try:
            count = export_layer(options["layer"], path, options["fmt"], municipality)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Wrote {count} features to {path}.")
