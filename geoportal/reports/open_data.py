"""The public reports as an open data set: the public fields only, never the reporter's."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import geopandas as gpd
import shapely
from django.utils import timezone

from geoportal.municipalities.models import Municipality
from geoportal.reports.models import Report
from geoportal.reports.states import OPEN311_STATUS, State
from layers.exporting import write_frame

COLUMNS = ["id", "municipality", "category", "title", "state", "status", "department",
           "created_at", "answer_due_at", "answered_at", "support_count", "url"]  # fmt: skip


def _when(moment: Any) -> str | None:
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else None


def reports_frame(municipality: Municipality | None = None) -> gpd.GeoDataFrame:
    reports = Report.objects.public().select_related("municipality", "category", "department")
    if municipality is not None:
        reports = reports.filter(municipality=municipality)
    records, geometries = [], []
    for report in reports.order_by("pk"):
        geometries.append(shapely.Point(report.point.x, report.point.y))
        records.append({
            "id": report.pk, "municipality": report.municipality.slug,
            "category": report.category.code, "title": report.title, "state": report.state,
            "status": OPEN311_STATUS[State(report.state)],
            "department": report.department.code if report.department else "",
            "created_at": _when(report.created_at), "answer_due_at": _when(report.answer_due_at),
            "answered_at": _when(report.answered_at), "support_count": report.support_count,
            "url": report.public_url,
        })  # fmt: skip
    return gpd.GeoDataFrame(records, columns=COLUMNS, geometry=geometries, crs="EPSG:4326")


def export_reports(path: Path, fmt: str, municipality: Municipality | None = None) -> int:
    frame = reports_frame(municipality)
    write_frame(frame, "reports", path, fmt)
    return len(frame)
