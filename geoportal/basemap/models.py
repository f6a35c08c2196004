"""What import_basemap loads: the features of the base map, each clipped to one hromada."""

from __future__ import annotations

from django.contrib.gis.db import models
from django.contrib.postgres.indexes import GinIndex, GistIndex
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    ROAD = "road", _("road")
    BUILDING = "building", _("building")
    WATER = "water", _("water")
    GREEN = "green", _("green area")
    RAILWAY = "railway", _("railway")
    LABEL = "label", _("place label")
    ADDRESS = "address", _("address point")


class BaseFeature(models.Model):
    """One OpenStreetMap feature of a hromada's base map (its part inside the boundary)."""

    municipality = models.ForeignKey(
        "municipalities.Municipality", on_delete=models.CASCADE, related_name="base_features"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    # The OSM tag value that classes it: highway=residential, landuse=grass, place=town...
    subclass = models.CharField(_("class"), max_length=40, blank=True)
    name = models.CharField(_("name"), max_length=200, blank=True)
    name_uk = models.CharField(_("name (Ukrainian)"), max_length=200, blank=True)
    ref = models.CharField(_("road number"), max_length=40, blank=True)
    street = models.CharField(_("street (addr:street)"), max_length=200, blank=True)
    housenumber = models.CharField(_("house number"), max_length=40, blank=True)
    # The street's (or the feature's) name in lower case and transliterated, for the
    # address search (geoportal/basemap/addresses.py).
    search = models.CharField(_("search text"), max_length=420, blank=True)
    osm_id = models.BigIntegerField(_("OpenStreetMap id"), null=True)
    geometry = models.GeometryField(_("geometry"), srid=4326, spatial_index=False)

    class Meta:
        verbose_name = _("base map feature")
        verbose_name_plural = _("base map features")
        indexes = [
            # Serves the base tiles: features of a kind whose geometry meets the tile.
            GistIndex(fields=["geometry"], name="basefeature_geometry_gist"),
            # Serves the re-import: delete the features of one hromada.
            models.Index(fields=["municipality", "kind"], name="basefeature_municipality_kind"),
            # Serves the address search: search LIKE '%word%' for each word typed.
            GinIndex(fields=["search"], name="basefeature_search_trgm", opclasses=["gin_trgm_ops"]),
        ]


class BasemapImport(models.Model):
    """One run of import_basemap for one hromada; the newest one versions the base tiles."""

    municipality = models.ForeignKey(
        "municipalities.Municipality", on_delete=models.CASCADE, related_name="basemap_imports"
    )
    source = models.CharField(_("source file"), max_length=300)
    imported_at = models.DateTimeField(_("imported at"), auto_now_add=True)
    counts = models.JSONField(_("features by kind"), default=dict)

    class Meta:
        verbose_name = _("base map import")
        verbose_name_plural = _("base map imports")
        ordering = ["-imported_at"]
