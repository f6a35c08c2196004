from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "geoportal.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from geoportal.core import checks  # noqa: F401  (registers the system checks)
