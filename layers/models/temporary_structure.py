"""Temporary structures, МАФ (Мінрегіон order No. 244 of 21.10.2011)."""

from __future__ import annotations

from django.contrib.gis.db import models
from django.contrib.postgres.indexes import GistIndex
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from layers.models.base import Permitted, PermittedQuerySet, StructureStatus
from layers.validation import business_code_validator

PAVILION_MAX_AREA_M2 = 30


class TemporaryStructure(Permitted):
    class Kind(models.TextChoices):
        KIOSK = "kiosk", _("Kiosk")
        PAVILION = "pavilion", _("Pavilion")
        MOBILE = "mobile", _("Mobile")
        TERRACE = "terrace", _("Terrace")
        OTHER = "other", _("Other")

    class Purpose(models.TextChoices):
        TRADE = "trade", _("Trade")
        SERVICES = "services", _("Services")
        FOOD = "food", _("Food")
        OTHER = "other", _("Other")

    geometry = models.GeometryField(_("location"), srid=4326, spatial_index=False)
    # NULL, not "", when there is no passport: the unique constraint ignores NULLs.
    passport_number = models.CharField(
        _("passport of binding number"), max_length=64, null=True, blank=True
    )
    owner_name = models.CharField(_("owner"), max_length=300, blank=True)
    owner_code = models.CharField(
        _("owner code (ЄДРПОУ / РНОКПП)"),
        max_length=10,
        blank=True,
        validators=[business_code_validator],
    )
    kind = models.CharField(_("type"), max_length=16, choices=Kind.choices, default=Kind.KIOSK)
    purpose = models.CharField(
        _("purpose"), max_length=16, choices=Purpose.choices, default=Purpose.TRADE
    )
    area_m2 = models.DecimalField(
        _("area, m²"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    land_use_basis = models.CharField(_("land-use basis"), max_length=300, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=StructureStatus.choices, default=StructureStatus.ACTIVE
    )
    # A feature's photo is public data, like the rest of the layer: nginx serves it straight
    # from /media/layers/ (unlike report photos, which go through a check of who asks).
    photo = models.ImageField(_("photo"), upload_to="layers/maf/", blank=True)
    cancellation_decision = models.CharField(
        _("decision cancelling the passport"), max_length=300, blank=True
    )

    objects = PermittedQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = _("temporary structure (МАФ)")
        verbose_name_plural = _("temporary structures (МАФ)")
        ordering = ["municipality", "passport_number", "pk"]
        indexes = [
            # Serves bbox queries, vector tiles and the 25 m identify search.
            GistIndex(fields=["geometry"], name="maf_geometry_gist"),
        ]
        constraints = [
            *Permitted.Meta.constraints,
            models.UniqueConstraint(
                fields=["municipality", "passport_number"], name="maf_passport_unique"
            ),
            models.CheckConstraint(
                name="maf_pavilion_area_max_30",
                condition=~Q(kind="pavilion") | Q(area_m2__isnull=True) | Q(area_m2__lte=30),
                violation_error_message=_("A pavilion is at most 30 m²."),
            ),
            models.CheckConstraint(
                name="maf_area_positive",
                condition=Q(area_m2__isnull=True) | Q(area_m2__gt=0),
            ),
            models.CheckConstraint(name="maf_geometry_valid", condition=Q(geometry__isvalid=True)),
        ]

    def __str__(self) -> str:
        return self.passport_number or self.address or f"МАФ #{self.pk}"

    geometry_types = ("Point", "Polygon", "MultiPolygon")

    def rule_errors(self) -> dict[str, str]:
        errors = super().rule_errors()
        if (
            self.kind == self.Kind.PAVILION
            and self.area_m2 is not None
            and self.area_m2 > PAVILION_MAX_AREA_M2
        ):
            errors["area_m2"] = str(_("A pavilion is at most 30 m² (order No. 244, as amended)."))
        return errors
