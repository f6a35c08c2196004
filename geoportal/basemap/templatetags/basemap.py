"""{% basemap_config %}: what basemap.js needs, as data attributes of a hidden element."""

from __future__ import annotations

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag
def basemap_config() -> str:
    own = reverse("basemap:tile-detail", args=[0, 0, 0]).replace("/0/0/0.mvt", "/{z}/{x}/{y}.mvt")
    return format_html(
        '<div id="basemap-config" hidden data-sources="{}" data-own-url="{}" '
        'data-raster-url="{}" data-own-attribution="{}" data-raster-attribution="{}" '
        'data-text-unavailable="{}"></div>',
        ",".join(settings.BASEMAP),
        own,
        settings.MAP_TILE_URL,
        settings.BASEMAP_ATTRIBUTION,
        settings.MAP_TILE_ATTRIBUTION,
        _("The base map cannot be loaded right now; the map's own data is still shown."),
    )
