"""What the conflict report lists: the kinds of conflict and one found conflict."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class ConflictKind(models.TextChoices):
    EXPIRED_PERMIT = "expired_permit", _("Permit expired")
    UNAUTHORISED = "unauthorised", _("Unauthorised structure")
    NO_PLOT = "no_plot", _("Stands on no registered land plot")
    WRONG_PURPOSE = "wrong_purpose", _("Stands on a plot not meant for trade or services")
    TOO_CLOSE = "too_close", _("Too close to another advertising structure")
    ZONE_FORBIDS = "zone_forbids", _("Not allowed in its zoning zone")
    # The land quality checks (layers/conflicts/land.py), each about one plot or a pair.
    PLOT_OVERLAP = "plot_overlap", _("Land plots overlap")
    DUPLICATE_GEOMETRY = "duplicate_geometry", _("Land plots with the same boundary")
    AREA_MISMATCH = "area_mismatch", _("Registered area differs from the measured area")
    OUTSIDE_HROMADA = "outside_hromada", _("Land plot outside the hromada")
    PURPOSE_CATEGORY = "purpose_category", _("Purpose code does not fit the land category")

    @classmethod
    def land(cls) -> tuple[ConflictKind, ...]:
        return (
            cls.PLOT_OVERLAP,
            cls.DUPLICATE_GEOMETRY,
            cls.AREA_MISMATCH,
            cls.OUTSIDE_HROMADA,
            cls.PURPOSE_CATEGORY,
        )


@dataclass(frozen=True)
class Conflict:
    layer: str  # maf, advertising or land
    feature_id: int
    key: str
    address: str
    kind: ConflictKind
    detail: str
    # Land plots: the cadastral quarter (KOATUU:zone:quarter), the other plot of a pair,
    # and the measures behind the finding, for the CSV.
    quarter: str = ""
    other_key: str = ""
    other_quarter: str = ""
    area_m2: float | None = None
    registered_ha: float | None = None
    measured_ha: float | None = None

    def quarters(self) -> tuple[str, ...]:
        """The quarters the finding belongs to: a pair across two quarters is in both."""
        found = [q for q in (self.quarter, self.other_quarter) if q]
        return tuple(dict.fromkeys(found))
