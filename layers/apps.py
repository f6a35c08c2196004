from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LayersConfig(AppConfig):
    name = "layers"
    verbose_name = _("GIS layers")

    def ready(self) -> None:
        from layers import signals
        from layers.importing import gdal_options

        signals.connect()
        # Uploaded files are read in this process: GDAL follows no reference out of them.
        gdal_options.apply()
