"""Load the reference data of every hromada shipped in data/reference/."""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from geoportal.municipalities.boundaries import BoundaryError
from geoportal.municipalities.reference import ReferenceDataError, load_reference_file


class Command(BaseCommand):
    help = (
        "Load municipalities, departments, categories, routing rules and the responsible "
        "department of each layer passport from data/reference/*.json. Safe to re-run: "
        "existing rows are updated in place. A file's municipality.boundary_file is resolved "
        "against the parent of the reference file's folder (data/ for "
        "data/reference/<slug>.json), not the working directory."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "files",
            nargs="*",
            type=Path,
            help="Reference files to load (default: every data/reference/*.json).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        files = options["files"] or sorted(
            (settings.BASE_DIR / "data" / "reference").glob("*.json")
        )
        if not files:
            raise CommandError("No reference files found in data/reference/.")
        for path in files:
            try:
                summary = load_reference_file(path, log=self.stdout.write)
            except (ReferenceDataError, BoundaryError) as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(str(summary))
