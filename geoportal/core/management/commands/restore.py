"""python manage.py restore <dir>: put a backup back, verified before anything changes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections

from geoportal.core.backup import BackupError, Database, media_target, restore


class Command(BaseCommand):
    help = (
        "Restore a folder written by `backup`. Every file's SHA-256 is checked first; the "
        "database is restored into a new database beside the target and every table's "
        "row count and row sum compared with the manifest; the media are staged; then both "
        "replace the target at once. Until then nothing of the target changes. A target "
        "that is not empty is refused without --yes."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", type=Path)
        parser.add_argument(
            "--database-url",
            default="",
            help="Restore into this database instead of the configured one.",
        )
        parser.add_argument(
            "--media-root",
            type=Path,
            default=None,
            help="Put the media files in this folder instead of the configured storage.",
        )
        parser.add_argument(
            "--yes",
            action="store_true",
            help="Replace a target database or media folder that is not empty.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["database_url"]:
                database = Database.from_url(options["database_url"])
            else:
                database = Database.from_settings(settings.DATABASES["default"])
            connections.close_all()  # the switch renames the target: let go of ours
            media = media_target(default_storage, options["media_root"])
            restore(
                options["folder"], database, media, replace=options["yes"],
                log=self.stdout.write,
            )  # fmt: skip
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
