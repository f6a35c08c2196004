"""Load an OpenStreetMap extract into the base map of the hromadas."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import Any

import pyogrio.errors
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from geoportal.basemap.loading import load
from geoportal.basemap.models import Kind
from geoportal.basemap.reader import features
from geoportal.basemap.source import stage_extract
from geoportal.municipalities.models import Municipality
from layers.importing.inspection import FileRefusedError


class Command(BaseCommand):
    help = (
        "Load streets, buildings, water, green areas, railways, place labels and address "
        "points of an OpenStreetMap extract (.osm.pbf, e.g. an oblast's from Geofabrik) into "
        "the base map, clipped to the boundary of each active hromada (or of the one named). "
        "Replaces what an earlier import loaded for those hromadas, in one transaction."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("extract", help="The .osm.pbf file.")
        parser.add_argument("--municipality", help="Slug of one hromada (default: all active).")

    def handle(self, *args: Any, **options: Any) -> None:
        slug = options["municipality"]
        municipalities = list(
            Municipality.objects.filter(slug=slug) if slug else Municipality.objects.active()
        )
        if not municipalities:
            raise CommandError(
                _("--municipality: no hromada %(slug)s.") % {"slug": slug}
                if slug
                else _("There is no active hromada to load a base map for.")
            )
        started = time.monotonic()
        with tempfile.TemporaryDirectory(prefix="basemap-") as folder:
            try:
                staged = stage_extract(options["extract"], Path(folder))
            except FileRefusedError as exc:
                raise CommandError(str(exc)) from None
            name = Path(options["extract"]).name
            self.stdout.write(f"Reading {name}…")
            try:  # a damaged extract is found while it is read, inside the transaction
                counts = load(features(staged), municipalities, name, self.stdout.write)
            except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as exc:
                raise CommandError(
                    _("%(name)s: GDAL cannot read this extract (%(reason)s); nothing was "
                      "changed.") % {"name": name, "reason": str(exc)[:200]}
                ) from None  # fmt: skip
        for slug_, by_kind in counts.items():
            summary = ", ".join(f"{kind.label}: {by_kind.get(kind.value, 0)}" for kind in Kind)
            self.stdout.write(f"{slug_}: {summary}")
        self.stdout.write(
            self.style.SUCCESS(
                _("Base map loaded for %(count)s hromada(s) in %(seconds).1f s.")
                % {"count": len(counts), "seconds": time.monotonic() - started}
            )
        )
