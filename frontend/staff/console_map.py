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


def _feature(geometry: Any, **properties: Any) -> dict[str, Any]:
    return {"type": "Feature", "geometry": json.loads(geometry.geojson), "properties": properties}


def console_features(report: Report, duplicates: list[Report]) -> dict[str, Any]:
    features = [_feature(report.point, role="report", label=f"#{report.pk} {report.title}")]
    if report.context_plot is not None:
        plot = report.context_plot
        features.append(_feature(plot.geometry, role="plot", label=plot.cadastral_number or ""))
    if report.context_zone is not None:
        zone = report.context_zone
        features.append(_feature(zone.geometry, role="zone", label=f"{zone.code} {zone.name}"))
    kinds: list[tuple[str, Any, str]] = [
        ("maf", TemporaryStructure, "passport_number"),
        ("advertising", AdvertisingStructure, "permit_number"),
    ]
    for role, model, number in kinds:
        nearby = model.objects.filter(municipality_id=report.municipality_id).with_permit_state()
        for structure in within(nearby, "geometry", report.point, NEARBY_M)[:50]:
            label = ", ".join(filter(None, [getattr(structure, number), structure.address]))
            features.append(
                _feature(
                    structure.geometry,
                    role=role,
                    state=structure.permit_state,
                    label=label,
                    metres=round(structure.distance.m),
                )
            )
    for other in duplicates:
        features.append(
            _feature(
                other.point,
                role="duplicate",
                label=f"#{other.pk} {other.title}",
                url=reverse("frontend:staff-report", args=[other.pk]),
            )
        )
    return {"type": "FeatureCollection", "features": features}
