from django.apps import AppConfig


class OpenDataConfig(AppConfig):
    name = "geoportal.opendata"
    label = "opendata"
    verbose_name = "Open data catalogue"

    def ready(self) -> None:
        from geoportal.opendata import signals

        signals.connect()
