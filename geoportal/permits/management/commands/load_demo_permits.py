"""Load the demo permit applications (only with DEMO on)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from geoportal.permits.demo import DemoPermitsError, load_demo_permits


class Command(BaseCommand):
    help = (
        "File the demo permit applications of Pokrovsk and walk each through the "
        "procedure's actions, one or more in every state. Nothing is filed twice."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--if-enabled", action="store_true", help="With DEMO off, say so and succeed."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEMO:
            message = "DEMO is off: demo permits are not loaded. Set DEMO=1 to load them."
            if options["if_enabled"]:
                self.stdout.write(message)
                return
            raise CommandError(message)
        try:
            filed = load_demo_permits(log=self.stdout.write)
        except DemoPermitsError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Demo permit applications: {filed} filed.")
