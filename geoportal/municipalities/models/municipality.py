"""A hromada served by the platform, with its boundary and procedure settings."""

from __future__ import annotations

from typing import Any

from django.contrib.gis.db import models
from django.contrib.gis.geos import GEOSGeometry, Point
from django.contrib.postgres.indexes import GistIndex
from django.core.validators import RegexValidator
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from geoportal.core.models import BilingualName
from geoportal.municipalities.models.procedure import ProcedureSettings

KATOTTH_PATTERN = r"^UA\d{17}$"
katotth_validator = RegexValidator(
    KATOTTH_PATTERN, _("A KATOTTH code is UA followed by 17 digits, e.g. UA14160210010099403.")
)


class MunicipalityQuerySet(models.QuerySet["Municipality"]):
    def active(self) -> MunicipalityQuerySet:
        return self.filter(is_active=True)

    def staffed_by(self, user: Any) -> MunicipalityQuerySet:
        """The hromadas a person works for: their own (staff of one hromada), every one
        (the superuser), none (anyone else). Every staff page, form choice, history,
        export and import is scoped by it (tests/security/test_hromada_tenancy.py)."""
        if getattr(user, "is_superuser", False):
            return self.all()
        own = getattr(user, "municipality_id", None)
        if not getattr(user, "is_staff", False) or own is None:
            return self.none()
        return self.filter(pk=own)

    def containing(self, point: GEOSGeometry) -> MunicipalityQuerySet:
        """Municipalities whose boundary covers the point (a point on the edge counts)."""
        return self.active().filter(boundary__covers=point)


class Municipality(BilingualName, ProcedureSettings):
    slug = models.SlugField(_("slug"), max_length=64, unique=True)
    oblast_uk = models.CharField(_("oblast (Ukrainian)"), max_length=100)
    oblast_en = models.CharField(_("oblast (English)"), max_length=100, blank=True)
    katotth = models.CharField(
        _("KATOTTH code of the settlement"),
        max_length=19,
        unique=True,
        validators=[katotth_validator],
    )
    katotth_hromada = models.CharField(
        _("KATOTTH code of the hromada"), max_length=19, blank=True, validators=[katotth_validator]
    )
    centre = models.PointField(_("centre"), srid=4326)
    boundary = models.MultiPolygonField(_("boundary"), srid=4326, spatial_index=False)
    boundary_is_approximate = models.BooleanField(
        _("boundary is approximate"),
        default=False,
        help_text=_("Demo boundary drawn around the centre; replace it with load_boundary."),
    )
    boundary_source = models.CharField(_("boundary source"), max_length=300, blank=True)
    boundary_updated_at = models.DateTimeField(_("boundary updated at"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    permit_expiring_days = models.PositiveSmallIntegerField(
        _("a permit is 'expiring' this many days before its end"), default=30
    )
    layer_boundary_tolerance_m = models.PositiveIntegerField(
        _("layer features may lie this far outside the boundary, metres"),
        default=50,
        help_text=_(
            "Allows for the approximate or generalised boundary when features are checked."
        ),
    )

    objects = MunicipalityQuerySet.as_manager()

    class Meta(ProcedureSettings.Meta):
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name_uk"]
        indexes = [
            # Serves MunicipalityQuerySet.containing(): which hromada a pinned point is in.
            GistIndex(fields=["boundary"], name="municipality_boundary_gist"),
        ]
        constraints = [
            *ProcedureSettings.Meta.constraints,
            models.CheckConstraint(
                name="municipality_katotth_format",
                condition=Q(katotth__regex=KATOTTH_PATTERN),
            ),
            models.CheckConstraint(
                name="municipality_boundary_valid", condition=Q(boundary__isvalid=True)
            ),
        ]

    @property
    def oblast(self) -> str:
        from django.utils.translation import get_language

        if (get_language() or "uk")[:2] == "en" and self.oblast_en:
            return self.oblast_en
        return self.oblast_uk

    def covers(self, point: Point) -> bool:
        """True when the point lies inside (or on the edge of) this municipality."""
        return Municipality.objects.filter(pk=self.pk).containing(point).exists()
