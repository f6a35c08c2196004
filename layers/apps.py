from django.apps import AppConfig


class LayersConfig(AppConfig):
    name = "layers"
    verbose_name = "GIS layers"

    def ready(self) -> None:
        from layers import signals

        signals.connect()
