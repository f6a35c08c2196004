from django.apps import AppConfig


class OgcConfig(AppConfig):
    name = "geoportal.ogc"
    label = "ogc"
    verbose_name = "OGC API – Features"
