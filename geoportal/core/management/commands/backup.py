"""python manage.py backup <dir>: database and media from one snapshot, with a manifest."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError, CommandParser

from geoportal.core.backup import BackupError, Database, backup


class Command(BaseCommand):
    help = (
        "Back up the database (pg_dump, custom format) and the media files into a new "
        "folder. The dump, and the row count and row sum of every table in manifest.json, "
        "come from one snapshot, so the backup is consistent while the site keeps writing; "
        "the manifest also holds the SHA-256 of every file. `restore <dir>` puts it back."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", type=Path, help="A new or empty folder.")

    def handle(self, *args: Any, **options: Any) -> None:
        database = Database.from_settings(settings.DATABASES["default"])
        try:
            backup(options["folder"], database, default_storage, log=self.stdout.write)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
