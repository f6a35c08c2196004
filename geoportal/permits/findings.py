"""The pre-check's findings: a code, a level and the figures behind it, stored as JSON on the
application. The text is made from the code when it is shown, in the reader's language; the
text stored at submission is only a fallback for a code this version no longer knows."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from geoportal.permits.states import PrecheckLevel

RANK = {PrecheckLevel.PASS: 0, PrecheckLevel.WARNING: 1, PrecheckLevel.BLOCKER: 2}

MESSAGES: dict[str, Promise] = {
    "inside_hromada": _("The site is inside the hromada."),
    "outside_hromada": _("The site is outside the hromada: apply to the hromada it lies in."),
    "no_plot": _("No registered land plot under the site: the land-use basis is to be settled."),
    "plot_trade": _("Plot %(cadastral)s, purpose %(purpose)s: trade and services are allowed."),
    "plot_other_purpose": _(
        "Plot %(cadastral)s has the purpose %(purpose)s, not trade or services: the officer "
        "checks the land-use basis."
    ),
    "plot_purpose_unknown": _(
        "Plot %(cadastral)s: the registry gives no purpose code; the officer checks it."
    ),
    "plot_any": _("Plot %(cadastral)s: the site owner's approval is requested."),
    "no_zone": _("No zoning zone is recorded under the site."),
    "zone_allows": _("Zone %(zone)s allows this structure."),
    "zone_forbids": _("Zone %(zone)s does not allow this structure."),
    "overlap": _("The site overlaps an existing structure (%(number)s, %(address)s)."),
    "too_close": _(
        "The nearest structure of the same kind (%(number)s) is %(distance)s m away; the "
        "minimum is %(minimum)s m."
    ),
    "distance_ok": _("No structure of the same kind within %(minimum)s m."),
    "area_over": _("The area %(area)s m² is over the maximum of %(maximum)s m²."),
    "area_ok": _("The area %(area)s m² is within the maximum of %(maximum)s m²."),
    "priority_of_another": _(
        "Another applicant holds the priority on this site (%(application)s)."
    ),
    "permit_on_site": _("A permit in force already covers this site (%(number)s)."),
}


@dataclass(frozen=True)
class Finding:
    code: str
    level: PrecheckLevel
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def message(self) -> str:
        return describe({"code": self.code, "details": self.details})

    def as_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "level": str(self.level),
            "message": self.message,
            "details": self.details,
        }


def describe(finding: dict[str, Any]) -> str:
    """The finding's text in the active language (the stored text for an unknown code)."""
    template = MESSAGES.get(str(finding.get("code", "")))
    if template is not None:
        try:
            return str(template) % (finding.get("details") or {})
        except (KeyError, TypeError, ValueError):
            pass
    return str(finding.get("message", ""))


def worst(findings: list[Finding]) -> PrecheckLevel:
    """The level of the whole list: its worst finding's (pass when there is none)."""
    return max((f.level for f in findings), key=RANK.__getitem__, default=PrecheckLevel.PASS)
