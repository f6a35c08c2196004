from django.apps import AppConfig


class MunicipalitiesConfig(AppConfig):
    name = "geoportal.municipalities"
    label = "municipalities"
    verbose_name = "Municipalities"
