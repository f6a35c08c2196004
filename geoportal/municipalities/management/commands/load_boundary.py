"""Replace a municipality's boundary from any GDAL-readable file."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from geoportal.municipalities.boundaries import BoundaryError, read_boundary
from geoportal.municipalities.models import Municipality
from geoportal.municipalities.queries import area_km2


class Command(BaseCommand):
    help = (
        "Replace the boundary of a municipality (by slug or KATOTTH code) with the polygons of a "
        "file GDAL can read (GeoPackage, Shapefile or zipped Shapefile, GeoJSON, KML...). "
        "The geometry is reprojected to EPSG:4326; invalid or empty geometry is refused."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("municipality", help="Slug (e.g. pokrovsk) or KATOTTH code.")
        parser.add_argument("file", type=Path, help="Path of the boundary file.")
        parser.add_argument(
            "--srid",
            type=int,
            help="EPSG code of the file's coordinates when it declares none or a wrong one.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the file and report; change nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        key = options["municipality"]
        municipality = Municipality.objects.filter(Q(slug=key) | Q(katotth=key)).first()
        if municipality is None:
            raise CommandError(f"No municipality with slug or KATOTTH code {key!r}.")
        try:
            boundary = read_boundary(options["file"], srid=options["srid"])
        except BoundaryError as exc:
            raise CommandError(str(exc)) from exc

        new_area = area_km2(boundary.geometry)
        self.stdout.write(
            f"Read {boundary.features} feature(s) from {options['file'].name} in "
            f"{boundary.source_srs}: {new_area:.1f} km² "
            f"(current boundary: {area_km2(municipality.boundary):.1f} km²)."
        )
        if options["dry_run"]:
            self.stdout.write("Dry run: nothing changed.")
            return
        with transaction.atomic():
            municipality = Municipality.objects.select_for_update().get(pk=municipality.pk)
            municipality.boundary = boundary.geometry
            municipality.boundary_is_approximate = False
            municipality.boundary_source = options["file"].name
            municipality.boundary_updated_at = timezone.now()
            municipality.save()
        self.stdout.write(self.style.SUCCESS(f"Boundary of {municipality.slug} replaced."))
