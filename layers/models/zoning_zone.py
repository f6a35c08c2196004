"""Zoning zones of the city's zoning plan (ДБН Б.1.1-22:2017)."""

from __future__ import annotations

from django.contrib.gis.db import models
from django.contrib.postgres.indexes import GistIndex
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from layers.models.base import LayerFeature


class ZoningZone(LayerFeature):
    geometry = models.MultiPolygonField(_("boundary"), srid=4326, spatial_index=False)
    code = models.CharField(
        _("zone code"), max_length=32, help_text=_("As in the city's plan: Ж-1, Г-1, КС-2...")
    )
    name = models.CharField(_("name"), max_length=300)
    predominant_uses = models.TextField(_("predominant uses"), blank=True)
    accompanying_uses = models.TextField(_("accompanying uses"), blank=True)
    permitted_uses = models.TextField(_("permitted uses"), blank=True)
    restrictions = models.TextField(_("urban planning restrictions"), blank=True)
    decision_number = models.CharField(_("approving decision number"), max_length=64, blank=True)
    decision_date = models.DateField(_("approving decision date"), null=True, blank=True)
    document_url = models.URLField(_("document link"), blank=True)
    allows_temporary_structures = models.BooleanField(_("allows МАФ"), default=True)
    allows_advertising = models.BooleanField(_("allows advertising structures"), default=True)

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    geometry_types = ("Polygon", "MultiPolygon")

    class Meta:
        verbose_name = _("zoning zone")
        verbose_name_plural = _("zoning zones")
        ordering = ["municipality", "code"]
        indexes = [
            # Serves bbox queries, vector tiles and "which zone is this point in".
            GistIndex(fields=["geometry"], name="zoningzone_geometry_gist"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "code"], name="zoning_code_unique"),
            models.CheckConstraint(
                name="zoningzone_geometry_valid", condition=Q(geometry__isvalid=True)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"
