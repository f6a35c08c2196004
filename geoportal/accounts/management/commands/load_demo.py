"""Create the demo accounts listed in the README (only with DEMO on)."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from geoportal.accounts.demo import DemoDataError, load_demo_accounts


class Command(BaseCommand):
    help = (
        "Create the demo accounts of data/demo/accounts.json (password demo-pass-2026). "
        "Refused unless the DEMO setting is on, so production never gets them."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--if-enabled",
            action="store_true",
            help="With DEMO off, say so and succeed instead of failing (used by make).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEMO:
            message = "DEMO is off: demo accounts are not created. Set DEMO=1 to load them."
            if options["if_enabled"]:
                self.stdout.write(message)
                return
            raise CommandError(message)
        try:
            names = load_demo_accounts(
                settings.BASE_DIR / "data" / "demo" / "accounts.json", log=self.stdout.write
            )
        except DemoDataError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Demo accounts ready: {', '.join(names)}")
