"""Start-up checks for settings that would otherwise fail only in a browser."""

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, register


@register()
def check_map_tiles(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    url = settings.MAP_TILE_URL
    missing = [part for part in ("{z}", "{x}", "{y}") if part not in url]
    if missing:
        return [
            Error(
                f"MAP_TILE_URL must contain {', '.join(missing)}; got {url!r}.",
                hint="Example: https://tile.openstreetmap.org/{z}/{x}/{y}.png",
                id="core.E001",
            )
        ]
    return []
