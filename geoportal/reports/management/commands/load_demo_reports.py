"""Load the demo reports of data/demo/reports.json (only with DEMO on)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from geoportal.reports.demo import DemoReportsError, load_demo_reports


class Command(BaseCommand):
    help = (
        "File the demo reports of data/demo/reports.json and walk each through the "
        "procedure's actions, with photos. Reports already loaded are left as they are."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--if-enabled", action="store_true", help="With DEMO off, say so and succeed."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEMO:
            message = "DEMO is off: demo reports are not loaded. Set DEMO=1 to load them."
            if options["if_enabled"]:
                self.stdout.write(message)
                return
            raise CommandError(message)
        path = settings.BASE_DIR / "data" / "demo" / "reports.json"
        try:
            filed = load_demo_reports(path, log=self.stdout.write)
        except DemoReportsError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Demo reports: {filed} filed.")
