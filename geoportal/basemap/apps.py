from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BasemapConfig(AppConfig):
    name = "geoportal.basemap"
    label = "basemap"
    verbose_name = _("Base map")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from geoportal.basemap import checks  # noqa: F401  (registers the system check)
