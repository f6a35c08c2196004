"""The report console's map: the report's point, the plot and zoning zone under it, the
structures nearby with their permit state, and the open reports of the same kind nearby
(possible duplicates), as one GeoJSON collection the console's script draws."""

from __future__ import annotations

import json
from typing import Any

from django.urls import reverse

from geoportal.reports.models import Report
from layers.models import AdvertisingStructure, TemporaryStructure
from layers.nearby import within

NEARBY_M = 100  # structures drawn around the report


def feature(geometry: Any, **properties: Any) -> dict[str, Any]:
    return {"type": "Feature", "geometry": json.loads(geometry.geojson), "properties": properties}


def structures_near(
    municipality_id: int, point: Any, *, exclude: dict[str, int | None] | None = None
) -> list[dict[str, Any]]:
    """The МАФ and advertising structures within NEARBY_M of the point, with their permit
    state and distance; `exclude` leaves out a feature by role ({"maf": pk}), e.g. the one
    an application's own permit wrote."""
    kinds: list[tuple[str, Any, str]] = [
        ("maf", TemporaryStructure, "passport_number"),
        ("advertising", AdvertisingStructure, "permit_number"),
    ]
    features = []
    for role, model, number in kinds:
        nearby = model.objects.filter(municipality_id=municipality_id).with_permit_state()
        left_out = (exclude or {}).get(role)
        if left_out:
            nearby = nearby.exclude(pk=left_out)
        for structure in within(nearby, "geometry", point, NEARBY_M)[:50]:
            label = ", ".join(filter(None, [getattr(structure, number), structure.address]))
            features.append(
                feature(
                    structure.geometry,
                    role=role,
                    state=structure.permit_state,
                    label=label,
                    metres=round(structure.distance.m),
                )
            )
    return features


def console_features(report: Report, duplicates: list[Report]) -> dict[str, Any]:
    features = [feature(report.point, role="report", label=f"#{report.pk} {report.title}")]
    if report.context_plot is not None:
        plot = report.context_plot
        features.append(feature(plot.geometry, role="plot", label=plot.cadastral_number or ""))
    if report.context_zone is not None:
        zone = report.context_zone
        features.append(feature(zone.geometry, role="zone", label=f"{zone.code} {zone.name}"))
    features += structures_near(report.municipality_id, report.point)
    for other in duplicates:
        features.append(
            feature(
                other.point,
                role="duplicate",
                label=f"#{other.pk} {other.title}",
                url=reverse("frontend:staff-report", args=[other.pk]),
            )
        )
    return {"type": "FeatureCollection", "features": features}
