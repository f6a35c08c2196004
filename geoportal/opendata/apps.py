from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpenDataConfig(AppConfig):
    name = "geoportal.opendata"
    label = "opendata"
    verbose_name = _("Open data catalogue")

    def ready(self) -> None:
        from geoportal.opendata import signals

        signals.connect()
