"""Start-up check of the BASEMAP setting."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, register

SOURCES = ("own", "raster")


@register()
def check_basemap(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    sources = list(settings.BASEMAP)
    if sources and set(sources) <= set(SOURCES) and len(set(sources)) == len(sources):
        return []
    return [
        Error(
            f"BASEMAP must list own and/or raster, each once, in the order to try; "
            f"got {','.join(sources)!r}.",
            hint="Examples: own,raster (own tiles, raster when they fail), own, raster.",
            id="basemap.E001",
        )
    ]
