"""A hromada's numbers for one kind of permit: its deadlines, terms and limits.

Each row starts from data/permits/defaults.json, where every default names its legal
source (order No. 244 of 21.10.2011 as amended by No. 284 of 2020; resolution No. 2067 of
29.12.2003; Kyiv's published terms); the sources are kept on the row as `sources`.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from geoportal.permits.states import Kind

DEFAULTS_FILE = Path(settings.BASE_DIR) / "data" / "permits" / "defaults.json"
# The settings each default sets (the file names the same fields per kind).
SETTING_FIELDS = (
    "registration_working_days",
    "check_working_days",
    "issue_working_days",
    "term_months",
    "priority_months",
    "min_distance_m",
    "max_area_m2",
    "reissue_working_days",
    "annulment_working_days",
    "expiry_notice_days",
    "installation_report_days",
)
# The department that issues the permits unless the hromada chooses another.
DEFAULT_DEPARTMENT_CODE = "arch"


@cache
def reference() -> dict[str, Any]:
    """The defaults file, read once."""
    data: dict[str, Any] = json.loads(DEFAULTS_FILE.read_text(encoding="utf-8"))
    return data


def defaults_for(kind: str) -> tuple[dict[str, Any], dict[str, str]]:
    """The default of each setting for `kind`, and the legal source of each (its text)."""
    data = reference()
    values: dict[str, Any] = {}
    sources: dict[str, str] = {}
    for field, entry in data["defaults"][Kind(kind).value].items():
        values[field] = entry["value"]
        sources[field] = data["sources"][entry["source"]]
    return values, sources


class PermitSettings(models.Model):
    municipality = models.ForeignKey(
        "municipalities.Municipality",
        on_delete=models.CASCADE,
        related_name="permit_settings",
        verbose_name=_("municipality"),
    )
    kind = models.CharField(_("kind of permit"), max_length=16, choices=Kind.choices)
    department = models.ForeignKey(
        "municipalities.Department",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="permit_settings",
        verbose_name=_("permit department"),
        help_text=_("Its members and head review the applications of this kind."),
    )
    registration_working_days = models.PositiveSmallIntegerField(
        _("registration, working days"), default=1
    )
    check_working_days = models.PositiveSmallIntegerField(_("check, working days"), default=10)
    issue_working_days = models.PositiveSmallIntegerField(
        _("decision after the check, working days"), default=10
    )
    term_months = models.PositiveSmallIntegerField(
        _("term of the permit, months"),
        default=36,
        help_text=_("0: the term is the season the applicant asks for (terraces)."),
    )
    priority_months = models.PositiveSmallIntegerField(
        _("priority on the site, months"),
        default=0,
        help_text=_("Advertising: how long a registered application holds the site."),
    )
    min_distance_m = models.PositiveIntegerField(
        _("minimum distance to a structure of the same kind, m"), default=0
    )
    max_area_m2 = models.DecimalField(
        _("maximum area, m²"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    reissue_working_days = models.PositiveSmallIntegerField(_("re-issue, working days"), default=2)
    annulment_working_days = models.PositiveSmallIntegerField(
        _("annulment, working days"), default=10
    )
    expiry_notice_days = models.PositiveSmallIntegerField(
        _("expiry notice, days before"), default=30
    )
    installation_report_days = models.PositiveSmallIntegerField(
        _("installation photo due, days after the installation"), default=0
    )
    # {setting: the legal source of its default}, from the defaults file.
    sources = models.JSONField(_("legal sources of the defaults"), default=dict, blank=True)

    class Meta:
        verbose_name = _("permit settings")
        verbose_name_plural = _("permit settings")
        ordering = ["municipality", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "kind"], name="permit_settings_once_per_kind"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.municipality} · {self.get_kind_display()}"

    @classmethod
    def for_(cls, municipality: Any, kind: str) -> PermitSettings:
        """The hromada's settings of `kind`, created from the defaults when missing."""
        existing = cls.objects.filter(municipality=municipality, kind=kind).first()
        if existing is not None:
            return existing
        values, sources = defaults_for(kind)
        from geoportal.municipalities.models import Department

        department = Department.objects.filter(
            municipality=municipality, code=DEFAULT_DEPARTMENT_CODE, is_active=True
        ).first()
        row, _created = cls.objects.get_or_create(
            municipality=municipality,
            kind=kind,
            defaults={**values, "sources": sources, "department": department},
        )
        return row
