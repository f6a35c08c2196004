"""Advertising structures (Cabinet of Ministers resolution No. 2067 of 29.12.2003)."""

from __future__ import annotations

from django.contrib.gis.db import models
from django.contrib.postgres.indexes import GistIndex
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from layers.models.base import Permitted, PermittedQuerySet, StructureStatus
from layers.validation import business_code_validator


class AdvertisingStructure(Permitted):
    class Kind(models.TextChoices):
        BILLBOARD = "billboard", _("Billboard")
        CITY_LIGHT = "city_light", _("City-light")
        BANNER = "banner", _("Banner")
        ROOF = "roof", _("Roof")
        WALL = "wall", _("Wall")
        OTHER = "other", _("Other")

    geometry = models.PointField(_("location"), srid=4326, spatial_index=False)
    # NULL when there is no permit (an unauthorised structure): unique ignores NULLs.
    permit_number = models.CharField(_("permit number"), max_length=64, null=True, blank=True)
    decision_number = models.CharField(_("decision number"), max_length=64, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    distributor_name = models.CharField(_("distributor"), max_length=300, blank=True)
    distributor_code = models.CharField(
        _("distributor code (ЄДРПОУ / РНОКПП)"),
        max_length=10,
        blank=True,
        validators=[business_code_validator],
    )
    distributor_phone = models.CharField(_("distributor phone"), max_length=32, blank=True)
    kind = models.CharField(_("type"), max_length=16, choices=Kind.choices, default=Kind.BILLBOARD)
    width_m = models.DecimalField(
        _("width, m"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    height_m = models.DecimalField(
        _("height, m"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    sides = models.PositiveSmallIntegerField(_("sides"), default=1)
    illuminated = models.BooleanField(_("illuminated"), default=False)
    address = models.CharField(_("address"), max_length=300, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=StructureStatus.choices, default=StructureStatus.ACTIVE
    )
    # A feature's photo is public data, like the rest of the layer: nginx serves it straight
    # from /media/layers/ (unlike report photos, which go through a check of who asks).
    photo = models.ImageField(_("photo"), upload_to="layers/advertising/", blank=True)
    communal_site_contract = models.CharField(
        _("contract for a communal site"), max_length=300, blank=True
    )

    objects = PermittedQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    geometry_types = ("Point",)

    class Meta:
        verbose_name = _("advertising structure")
        verbose_name_plural = _("advertising structures")
        ordering = ["municipality", "permit_number", "pk"]
        indexes = [
            # Serves bbox queries, vector tiles, identify and the spacing conflict check.
            GistIndex(fields=["geometry"], name="advertising_geometry_gist"),
        ]
        constraints = [
            *Permitted.Meta.constraints,
            models.UniqueConstraint(
                fields=["municipality", "permit_number"], name="advertising_permit_unique"
            ),
            models.CheckConstraint(
                name="advertising_size_positive",
                condition=(Q(width_m__isnull=True) | Q(width_m__gt=0))
                & (Q(height_m__isnull=True) | Q(height_m__gt=0)),
            ),
            models.CheckConstraint(
                name="advertising_sides_1_to_4", condition=Q(sides__gte=1) & Q(sides__lte=4)
            ),
        ]

    def __str__(self) -> str:
        return self.permit_number or self.address or f"Реклама #{self.pk}"
