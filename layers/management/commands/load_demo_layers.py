"""Load the demo features of data/demo/layers/ (only with DEMO on)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from geoportal.municipalities.models import Municipality
from layers.importing import ImportOptions, import_file
from layers.registry import LAYERS

# Plots and zones first: structures are checked against them by the conflict report.
ORDER = ("land", "zoning", "maf", "advertising")


class Command(BaseCommand):
    help = (
        "Import the demo layers of data/demo/layers/<hromada>-<layer>.geojson, marked as demo. "
        "A layer that already holds demo features is left as it is unless --reload."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--if-enabled", action="store_true", help="With DEMO off, say so and succeed."
        )
        parser.add_argument(
            "--reload", action="store_true", help="Replace the demo features already loaded."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEMO:
            message = "DEMO is off: demo layers are not loaded. Set DEMO=1 to load them."
            if options["if_enabled"]:
                self.stdout.write(message)
                return
            raise CommandError(message)
        folder = settings.BASE_DIR / "data" / "demo" / "layers"
        for municipality in Municipality.objects.active().order_by("slug"):
            for layer in ORDER:
                path = folder / f"{municipality.slug}-{layer}.geojson"
                if path.exists():
                    self._load(municipality, layer, path, options["reload"])

    def _load(self, municipality: Municipality, layer: str, path: Any, reload: bool) -> None:
        model = LAYERS[layer].model
        demo = model._default_manager.filter(municipality=municipality, is_demo=True)
        with transaction.atomic():
            if demo.exists():
                if not reload:
                    self.stdout.write(f"{path.name}: already loaded")
                    return
                demo.delete()
            report = import_file(
                path,
                ImportOptions(
                    layer=layer,
                    municipality=municipality,
                    is_demo=True,
                    update_existing=True,
                    entry="demo",
                ),
            )
            if report.errors:
                problems = "; ".join(str(e) for e in report.errors[:5])
                raise CommandError(f"{path.name}: {problems}")
        self.stdout.write(f"{path.name}: {report.created} created, {report.updated} updated")
