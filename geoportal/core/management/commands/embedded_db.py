"""Start, stop or show the project's embedded PostGIS cluster."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from geoportal.core.embedded_db import Cluster, EmbeddedDbError
from geoportal.envconfig import embedded_db_port


class Command(BaseCommand):
    help = (
        "Manage the embedded PostGIS cluster in .local/ used when DATABASE_URL is not set: "
        "start (creating it on first use), stop, or status."
    )
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["start", "stop", "status"])

    def handle(self, *args: Any, **options: Any) -> None:
        cluster = Cluster(base_dir=settings.BASE_DIR, port=embedded_db_port(settings.BASE_DIR))
        try:
            if options["action"] == "start":
                cluster.start(log=self.stdout.write)
            elif options["action"] == "stop":
                cluster.stop(log=self.stdout.write)
            else:
                running = cluster.status()
                self.stdout.write(f"{'running' if running else 'stopped'} ({cluster.data_dir})")
                if not running:
                    raise SystemExit(3)
        except EmbeddedDbError as exc:
            raise CommandError(str(exc)) from exc
