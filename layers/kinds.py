"""The four GIS layers the planning department keeps (DOMAIN.md, "Layers")."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class LayerKind(models.TextChoices):
    TEMPORARY_STRUCTURES = "maf", _("Temporary structures (МАФ)")
    ADVERTISING = "advertising", _("Advertising structures")
    LAND_PLOTS = "land", _("Land plots")
    ZONING = "zoning", _("Zoning zones")
