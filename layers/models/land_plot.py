"""Land plots of the state land cadastre."""

from __future__ import annotations

from collections.abc import Collection

from django.contrib.gis.db import models
from django.contrib.postgres.indexes import GistIndex
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from layers.models.base import LayerFeature
from layers.validation import (
    CADASTRAL_PATTERN,
    PURPOSE_CODE_PATTERN,
    cadastral_number_validator,
    normalise_purpose_code,
    purpose_code_validator,
)

# КВЦПЗ codes on which a kiosk or a billboard may stand: 03.07 trade, 03.08 tourism and
# catering, 03.10 market infrastructure, 03.15 other public buildings. The conflict report
# flags structures on plots with any other purpose.
TRADE_PURPOSE_PREFIXES = ("03.07", "03.08", "03.10", "03.15")


class LandPlotQuerySet(models.QuerySet):
    def for_investors(self) -> LandPlotQuerySet:
        """Municipal plots that are free or put up for auction (TI Ukraine's transparency duty)."""
        return self.filter(
            ownership=LandPlot.Ownership.COMMUNAL,
            investor_status__in=[LandPlot.InvestorStatus.FREE, LandPlot.InvestorStatus.AUCTION],
        )


class LandPlot(LayerFeature):
    class Category(models.TextChoices):
        AGRICULTURAL = "100", _("Agricultural")
        RESIDENTIAL = "200", _("Residential and public buildings")
        NATURE_RESERVE = "300", _("Nature reserve")
        HEALTH = "400", _("Health")
        RECREATION = "500", _("Recreation")
        HERITAGE = "600", _("Historical and cultural")
        FOREST = "700", _("Forest")
        WATER = "800", _("Water")
        INDUSTRY = "900", _("Industry, transport, energy, defence")

    class Ownership(models.TextChoices):
        # Cadastre exports use 0 for "не визначено" (e.g. the Kozelshchyna auction list).
        UNDETERMINED = "0", _("Not determined")
        PRIVATE = "100", _("Private")
        COMMUNAL = "200", _("Communal")
        STATE = "300", _("State")

    class InvestorStatus(models.TextChoices):
        FREE = "free", _("Free")
        AUCTION = "auction", _("For auction")
        LEASED = "leased", _("Leased")
        IN_USE = "in_use", _("In use")

    geometry = models.MultiPolygonField(_("boundary"), srid=4326, spatial_index=False)
    cadastral_number = models.CharField(
        _("cadastral number"), max_length=22, unique=True, validators=[cadastral_number_validator]
    )
    katotth = models.CharField(_("KATOTTH code"), max_length=19, blank=True)
    category = models.CharField(
        _("land category"), max_length=3, choices=Category.choices, blank=True
    )
    purpose_code = models.CharField(
        _("purpose code (КВЦПЗ)"), max_length=5, blank=True, validators=[purpose_code_validator]
    )
    # What the file said where the cadastre gives no code ("Код не виокремлено", "-"): the
    # plot is stored as not classified (purpose_code empty) and this keeps the source.
    purpose_code_source = models.CharField(
        _("purpose code as given (not classified)"),
        max_length=200,
        blank=True,
        default="",
        db_default="",
    )
    purpose_text = models.CharField(_("purpose"), max_length=500, blank=True)
    ownership = models.CharField(
        _("ownership"), max_length=3, choices=Ownership.choices, blank=True
    )
    area_ha = models.DecimalField(
        _("registered area, ha"), max_digits=12, decimal_places=4, null=True, blank=True
    )
    user_name = models.CharField(_("user or lessee"), max_length=300, blank=True)
    lease_until = models.DateField(_("lease until"), null=True, blank=True)
    normative_valuation = models.DecimalField(
        _("normative valuation, UAH"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    investor_status = models.CharField(
        _("status for investors"), max_length=16, choices=InvestorStatus.choices, blank=True
    )

    objects = LandPlotQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    geometry_types = ("Polygon", "MultiPolygon")

    class Meta:
        verbose_name = _("land plot")
        verbose_name_plural = _("land plots")
        ordering = ["cadastral_number"]
        indexes = [
            # Serves bbox queries, vector tiles and "which plot is this point on".
            GistIndex(fields=["geometry"], name="landplot_geometry_gist"),
            # Serves the investor list (communal plots by status) of each hromada.
            models.Index(
                fields=["municipality", "ownership", "investor_status"],
                name="landplot_investor_list",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                name="landplot_cadastral_number_format",
                condition=Q(cadastral_number__regex=CADASTRAL_PATTERN),
            ),
            models.CheckConstraint(
                name="landplot_purpose_code_format",
                condition=Q(purpose_code="") | Q(purpose_code__regex=PURPOSE_CODE_PATTERN),
            ),
            models.CheckConstraint(
                name="landplot_area_positive", condition=Q(area_ha__isnull=True) | Q(area_ha__gt=0)
            ),
            models.CheckConstraint(
                name="landplot_geometry_valid", condition=Q(geometry__isvalid=True)
            ),
        ]

    def __str__(self) -> str:
        return self.cadastral_number

    def clean_fields(self, exclude: Collection[str] | None = None) -> None:
        """Normalise the КВЦПЗ code ("3.07" → "03.07") before the format is checked."""
        if self.purpose_code and not (exclude and "purpose_code" in exclude):
            try:
                self.purpose_code = normalise_purpose_code(self.purpose_code)
            except ValidationError as exc:
                raise ValidationError({"purpose_code": exc.messages}) from exc
        super().clean_fields(exclude=exclude)

    def allows_trade(self) -> bool:
        return self.purpose_code.startswith(TRADE_PURPOSE_PREFIXES)
