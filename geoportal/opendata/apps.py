from django.apps import AppConfig


class OpenDataConfig(AppConfig):
    name = "geoportal.opendata"
    label = "opendata"
    verbose_name = "Open data catalogue"
