from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "geoportal.reports"
    label = "reports"
    verbose_name = "Open City reports"
