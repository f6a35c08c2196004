"""An application console's map: the site (point or footprint), the land plot and zoning
zone under it, the structures within 100 m with their permit state (console_map), and the
other applications in review nearby (a priority on the site), each a link to its console."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from frontend.staff.console_map import NEARBY_M, feature, structures_near
from geoportal.permits.models import Application
from geoportal.permits.states import IN_REVIEW
from layers.models import LandPlot, ZoningZone
from layers.nearby import within


def site_point(application: Application) -> Any:
    """A point of the site to measure from (a footprint's point on its surface)."""
    site = application.site
    return site if site.geom_type == "Point" else site.point_on_surface


def site_context(application: Application) -> dict[str, Any]:
    """The plot and the zoning zone under the site (None where there is none)."""
    here = {"municipality_id": application.municipality_id}
    point = site_point(application)
    return {
        "plot": LandPlot.objects.filter(geometry__covers=point, **here).first(),
        "zone": ZoningZone.objects.filter(geometry__covers=point, **here).first(),
    }


def nearby_applications(application: Application) -> list[Application]:
    """Other applications of the same kind in review within NEARBY_M, nearest first."""
    others = Application.objects.filter(
        municipality_id=application.municipality_id, kind=application.kind, state__in=IN_REVIEW
    ).exclude(pk=application.pk)
    return list(within(others, "site", site_point(application), NEARBY_M)[:20])


def site_features(
    application: Application, context: dict[str, Any], others: list[Application]
) -> dict[str, Any]:
    label = " ".join(filter(None, [application.number, application.address]))
    features = [feature(application.site, role="report", label=label)]
    if context["plot"] is not None:
        plot = context["plot"]
        features.append(feature(plot.geometry, role="plot", label=plot.cadastral_number or ""))
    if context["zone"] is not None:
        zone = context["zone"]
        features.append(feature(zone.geometry, role="zone", label=f"{zone.code} {zone.name}"))
    own = {"maf": application.maf_id, "advertising": application.advertising_id}
    features += structures_near(application.municipality_id, site_point(application), exclude=own)
    for other in others:
        features.append(
            feature(
                other.site,
                role="duplicate",
                label=f"{other.number} {other.get_state_display()}",
                url=reverse("frontend:staff-permit", args=[other.pk]),
            )
        )
    return {"type": "FeatureCollection", "features": features}
