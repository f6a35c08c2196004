"""Onboard a new hromada from its names, KATOTTH code and boundary file."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError
from django.utils.translation import gettext as _

from geoportal.municipalities.boundaries import BoundaryError
from geoportal.municipalities.onboarding import OnboardingError, Plan, Request, carry_out, plan
from geoportal.municipalities.onboarding.templates import layer_owners, reference_folder
from geoportal.municipalities.queries import area_km2
from geoportal.municipalities.reference import ReferenceDataError


class Command(BaseCommand):
    help = (
        "Add a hromada: check the names, the KATOTTH code and the boundary file (any file "
        "GDAL reads, reprojected to EPSG:4326, inside Ukraine), then write "
        "data/reference/<slug>.json with its departments, categories, routing rules and the "
        "responsible department of each layer from a template, and the boundary as "
        "data/boundaries/<slug>.geojson, and load them as load_reference does, in one "
        "transaction. A reference file's boundary_file is resolved against the parent of "
        "the reference file's folder (data/ for data/reference/<slug>.json), not the working "
        "directory. Re-running for the same hromada changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--name-uk", required=True, help="Name in Ukrainian, e.g. Покровськ.")
        parser.add_argument("--name-en", required=True, help="Name in English, e.g. Pokrovsk.")
        parser.add_argument("--slug", required=True, help="Address of its map: /m/<slug>/.")
        parser.add_argument(
            "--katotth", required=True, help="KATOTTH code of the settlement (UA + 17 digits)."
        )
        parser.add_argument(
            "--katotth-hromada", default="", help="KATOTTH code of the hromada (optional)."
        )
        parser.add_argument(
            "--oblast",
            default="",
            help="Oblast, checked against the KATOTTH code (by default taken from it).",
        )
        parser.add_argument(
            "--boundary", required=True, type=Path, help="Boundary file GDAL reads (polygons)."
        )
        parser.add_argument(
            "--srid", type=int, help="EPSG code of the boundary file when it declares none."
        )
        parser.add_argument(
            "--centre", default="", help="LAT,LON of the centre (by default inside the boundary)."
        )
        parser.add_argument(
            "--from-template",
            dest="template",
            default="standard",
            help="A template of data/reference/templates/ (standard: the departments of "
            "DOMAIN.md), a hromada's slug (its data/reference/<slug>.json, without e-mails) or "
            "a JSON file. Default: standard.",
        )
        parser.add_argument(
            "--reference-dir",
            type=Path,
            default=reference_folder(),
            help="Where to write <slug>.json (default data/reference/); the boundary goes to "
            "boundaries/ beside it.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Check everything and report; write nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        request = Request(
            name_uk=options["name_uk"],
            name_en=options["name_en"],
            slug=options["slug"],
            katotth=options["katotth"],
            katotth_hromada=options["katotth_hromada"],
            oblast=options["oblast"],
            boundary=options["boundary"],
            srid=options["srid"],
            centre=options["centre"],
            template=options["template"],
            reference_dir=options["reference_dir"],
        )
        self.stdout.write(_("Checking %(slug)s…") % {"slug": request.slug})
        try:
            found = plan(request)
        except OnboardingError as exc:
            raise CommandError(_("Nothing was written.") + "\n" + str(exc)) from exc
        self._describe(found)
        if options["dry_run"]:
            self.stdout.write(_("Dry run: nothing written."))
            return
        try:
            summary = carry_out(found, log=self.stdout.write)
        except (ReferenceDataError, BoundaryError, DatabaseError) as exc:
            raise CommandError(_("Nothing was written.") + "\n" + str(exc)) from exc
        self.stdout.write(str(summary))
        self.stdout.write(
            self.style.SUCCESS(
                _("%(name)s is at /m/%(slug)s/; its reference data is %(path)s.")
                % {"name": request.name_uk, "slug": request.slug, "path": found.reference_file}
            )
        )

    def _describe(self, found: Plan) -> None:
        boundary = found.boundary
        write = self.stdout.write
        write(
            _("Boundary: %(features)s feature(s) from %(file)s in %(srs)s, %(area).1f km².")
            % {
                "features": boundary.features,
                "file": found.request.boundary.name,
                "srs": boundary.source_srs,
                "area": area_km2(boundary.geometry),
            }
        )
        write(
            _(
                "Template %(file)s: %(departments)s departments, %(categories)s categories, "
                "%(rules)s routing rules."
            )
            % {
                "file": found.template_file,
                "departments": len(found.lists["departments"]),
                "categories": len(found.lists["categories"]),
                "rules": len(found.lists["routing_rules"]),
            }
        )
        owners = ", ".join(f"{layer} → {code}" for layer, code in layer_owners(found.lists).items())
        write(_("Responsible for the layers: %(owners)s.") % {"owners": owners})
        for slug, km2 in found.overlaps:
            write(
                self.style.WARNING(
                    _("Warning: the boundary overlaps %(slug)s by %(area).1f km².")
                    % {"slug": slug, "area": km2}
                )
            )
        if found.again:
            write(
                _("%(slug)s is onboarded already: %(path)s is loaded again, nothing new.")
                % {"slug": found.request.slug, "path": found.reference_file}
            )
