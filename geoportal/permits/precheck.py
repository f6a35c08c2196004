"""The automatic pre-check of a permit application, from the layers already in the platform:
the hromada's boundary, the plot under the site and its purpose, the zoning zone, overlap with
existing structures, the distance to the nearest one of the same kind, the pavilion's area,
and for advertising another applicant's priority or a permit in force on the same site.

The applicant sees it before sending (POST /api/v1/permits/precheck/) and the officer in the
console: the same list, stored with the application at submission."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib.gis.geos import GEOSGeometry
from django.db.models import Q

from geoportal.permits.findings import Finding, worst
from geoportal.permits.lifecycle import local_today
from geoportal.permits.states import IN_FORCE, IN_REVIEW, Kind, PrecheckLevel, State
from geoportal.procedure import timebase
from layers.models import AdvertisingStructure, LandPlot, TemporaryStructure, ZoningZone
from layers.models.base import StructureStatus
from layers.nearby import nearest, within

# Another advertising application or permit this close is on "the same site".
SAME_SITE_M = 10.0
# Structures no longer standing.
GONE = (StructureStatus.CANCELLED, StructureStatus.DISMANTLED)
PASS, WARNING, BLOCKER = PrecheckLevel.PASS, PrecheckLevel.WARNING, PrecheckLevel.BLOCKER


@dataclass(frozen=True)
class Precheck:
    findings: list[Finding]

    @property
    def level(self) -> PrecheckLevel:
        return worst(self.findings)

    def as_json(self) -> dict[str, Any]:
        return {"level": str(self.level), "findings": [f.as_json() for f in self.findings]}


def run_precheck(
    kind: str,
    site: GEOSGeometry,
    municipality: Any,
    *,
    area_m2: Decimal | float | None = None,
    structure_type: str = "",
    settings: Any = None,
    exclude: int | None = None,
    today: date | None = None,
) -> Precheck:
    """The findings for a site of `kind` in the hromada (settings: its PermitSettings of the
    kind; `exclude`: the application itself, when it is already stored)."""
    if settings is None:
        from geoportal.permits.models import PermitSettings

        settings = PermitSettings.for_(municipality, kind)
    point = site if site.geom_type == "Point" else site.point_on_surface
    if not municipality.boundary.covers(site):
        return Precheck([Finding("outside_hromada", BLOCKER)])
    findings = [Finding("inside_hromada", PASS)]
    here = {"municipality": municipality}
    findings.append(_plot(kind, point, here))
    findings.append(_zone(kind, point, here))
    findings += _structures(kind, site, point, here, settings)
    if kind != Kind.ADVERTISING and settings.max_area_m2 and area_m2 is not None:
        figures = {"area": _number(area_m2), "maximum": _number(settings.max_area_m2)}
        over = Decimal(str(area_m2)) > Decimal(str(settings.max_area_m2))
        findings.append(Finding("area_over" if over else "area_ok", BLOCKER if over else PASS,
                                figures))  # fmt: skip
    if kind == Kind.ADVERTISING:
        findings += _priority(point, here, exclude, today or local_today(timebase.now()))
    return Precheck(findings)


def _plot(kind: str, point: Any, here: dict[str, Any]) -> Finding:
    plot = LandPlot.objects.filter(geometry__covers=point, **here).first()
    if plot is None:
        return Finding("no_plot", WARNING)
    figures = {"cadastral": plot.cadastral_number, "purpose": plot.purpose_code or "—"}
    if kind == Kind.ADVERTISING:
        return Finding("plot_any", PASS, figures)
    if not plot.purpose_code:
        return Finding("plot_purpose_unknown", WARNING, figures)
    if plot.allows_trade():
        return Finding("plot_trade", PASS, figures)
    return Finding("plot_other_purpose", WARNING, figures)


def _zone(kind: str, point: Any, here: dict[str, Any]) -> Finding:
    zone = ZoningZone.objects.filter(geometry__covers=point, **here).first()
    if zone is None:
        return Finding("no_zone", WARNING)
    allows = (
        zone.allows_advertising if kind == Kind.ADVERTISING else zone.allows_temporary_structures
    )
    figures = {"zone": f"{zone.code} {zone.name}".strip()}
    return Finding(
        "zone_allows" if allows else "zone_forbids", PASS if allows else BLOCKER, figures
    )


def _structures(
    kind: str, site: GEOSGeometry, point: Any, here: dict[str, Any], settings: Any
) -> list[Finding]:
    """Overlap with any standing structure of the layer; the nearest one within the
    minimum distance (a warning: the officer weighs it)."""
    if kind == Kind.ADVERTISING:
        model: Any = AdvertisingStructure
        key = "permit_number"
    else:
        model, key = TemporaryStructure, "passport_number"
    standing = model.objects.filter(**here).exclude(status__in=GONE)
    found = []
    overlapping = within(standing, "geometry", point, 1.0).first() if site.geom_type == "Point" \
        else standing.filter(geometry__intersects=site).first()  # fmt: skip
    if overlapping is not None:
        found.append(Finding("overlap", BLOCKER, {
            "number": getattr(overlapping, key) or "—", "address": overlapping.address or "—",
        }))  # fmt: skip
        standing = standing.exclude(pk=overlapping.pk)
    minimum = float(settings.min_distance_m or 0)
    if minimum > 0:
        near = nearest(standing, "geometry", point, minimum)
        if near is None:
            found.append(Finding("distance_ok", PASS, {"minimum": _number(minimum)}))
        else:
            found.append(Finding("too_close", WARNING, {
                "number": getattr(near, key) or "—",
                "distance": _number(near.distance_m),
                "minimum": _number(minimum),
            }))  # fmt: skip
    return found


def _priority(point: Any, here: dict[str, Any], exclude: int | None, today: date) -> list[Finding]:
    """Resolution No. 2067: a registered application holds its site for the priority period;
    an application sent earlier and not yet registered comes first too."""
    from geoportal.permits.models import Application

    others = Application.objects.filter(kind=Kind.ADVERTISING, **here)
    if exclude is not None:
        others = others.exclude(pk=exclude)
    in_review = others.filter(state__in=IN_REVIEW).filter(
        Q(state=State.SUBMITTED) | Q(priority_until__gte=today)
    )
    found = []
    holder = within(in_review, "site", point, SAME_SITE_M).first()
    if holder is not None:
        found.append(Finding("priority_of_another", BLOCKER, {"application": holder.number}))
    permit = within(others.filter(state__in=IN_FORCE), "site", point, SAME_SITE_M).first()
    if permit is not None:
        found.append(
            Finding("permit_on_site", BLOCKER, {"number": permit.permit_number or permit.number})
        )
    return found


def _number(value: Any) -> str:
    """A figure as people write it: 12.5, 30 (no trailing zeros)."""
    text = f"{float(value):.1f}"
    return text[:-2] if text.endswith(".0") else text
