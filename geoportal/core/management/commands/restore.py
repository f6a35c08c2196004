"""python manage.py restore <dir>: put a backup back, after checking every file's sum."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage, default_storage
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections

from geoportal.core.backup import BackupError, Database, restore


class Command(BaseCommand):
    help = (
        "Restore a folder written by `backup`: every file's SHA-256 is checked first, the "
        "database is replaced in one transaction (all or nothing), the row counts are "
        "compared with the manifest, then the media files are put back."
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
            help="Put the media files in this folder instead of the storage.",
        )
        parser.add_argument(
            "--yes", action="store_true", help="Replace the configured database without asking."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        url = options["database_url"]
        if url:
            database = Database.from_url(url)
        else:
            if not options["yes"]:
                raise CommandError(
                    "This replaces everything in the configured database; add --yes to go on."
                )
            database = Database.from_settings(settings.DATABASES["default"])
            connections.close_all()  # pg_restore drops tables: let go of ours
        root = options["media_root"]
        storage: Storage = FileSystemStorage(location=root) if root else default_storage
        try:
            restore(options["folder"], database, storage, log=self.stdout.write)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
