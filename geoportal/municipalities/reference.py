"""Loading a hromada's reference data (data/reference/<slug>.json), idempotently.

Re-running updates names and settings in place and never replaces a boundary
that was loaded from an official file with the approximate demo one.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.contrib.gis.geos import Point
from django.db import transaction
from django.utils import timezone

from geoportal.municipalities.boundaries import read_boundary
from geoportal.municipalities.models import Category, Department, Municipality, RoutingRule


class ReferenceDataError(ValueError):
    """The reference file is malformed; the message names the file and the entry."""


@dataclass
class LoadSummary:
    municipality: str
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)

    def count(self, kind: str, created: bool) -> None:
        target = self.created if created else self.updated
        target[kind] = target.get(kind, 0) + 1

    def __str__(self) -> str:
        parts = [
            f"{kind}: {self.created.get(kind, 0)} new, {self.updated.get(kind, 0)} updated"
            for kind in ("departments", "categories", "routing rules")
        ]
        return f"{self.municipality}: " + "; ".join(parts)


def load_reference_file(path: Path, log: Callable[[str], object] = print) -> LoadSummary:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        muni_data: dict[str, Any] = data["municipality"]
    except (OSError, ValueError, KeyError) as exc:
        raise ReferenceDataError(f"{path}: cannot read reference data ({exc}).") from exc

    boundary_file = path.parent.parent / muni_data["boundary_file"]
    boundary = read_boundary(boundary_file)

    with transaction.atomic():
        municipality, created = _upsert_municipality(muni_data, boundary.geometry, boundary_file)
        summary = LoadSummary(municipality=municipality.slug)
        if created:
            log(f"Created municipality {municipality.slug}")
        departments = {}
        for entry in data.get("departments", []):
            dept, created = Department.objects.update_or_create(
                municipality=municipality,
                code=entry["code"],
                defaults={
                    "name_uk": entry["name_uk"],
                    "name_en": entry.get("name_en", ""),
                    "email": entry.get("email", ""),
                    "is_demo": entry.get("is_demo", False),
                },
            )
            departments[dept.code] = dept
            summary.count("departments", created)
        categories = {}
        for entry in data.get("categories", []):
            category, created = Category.objects.update_or_create(
                municipality=municipality,
                code=entry["code"],
                defaults={
                    "name_uk": entry["name_uk"],
                    "name_en": entry.get("name_en", ""),
                    "icon": entry.get("icon", ""),
                    "linked_layer": entry.get("linked_layer", ""),
                    "sort_order": entry.get("sort_order", 0),
                },
            )
            categories[category.code] = category
            summary.count("categories", created)
        for number, entry in enumerate(data.get("routing_rules", []), start=1):
            try:
                category = categories[entry["category"]]
                department = departments[entry["department"]]
            except KeyError as exc:
                raise ReferenceDataError(
                    f"{path}: routing rule {number} names an unknown category or department {exc}."
                ) from None
            # A general rule is identified by its category, department and priority.
            _rule, created = RoutingRule.objects.update_or_create(
                category=category,
                department=department,
                area__isnull=True,
                priority=entry.get("priority", 0),
                defaults={"note": entry.get("note", ""), "is_active": True},
            )
            summary.count("routing rules", created)
    return summary


def _upsert_municipality(
    data: dict[str, Any], boundary: Any, boundary_file: Path
) -> tuple[Municipality, bool]:
    centre = Point(data["centre"]["lon"], data["centre"]["lat"], srid=4326)
    fields = {
        "name_uk": data["name_uk"],
        "name_en": data.get("name_en", ""),
        "oblast_uk": data["oblast_uk"],
        "oblast_en": data.get("oblast_en", ""),
        "katotth": data["katotth"],
        "katotth_hromada": data.get("katotth_hromada", ""),
        "centre": centre,
    }
    municipality = Municipality.objects.select_for_update().filter(slug=data["slug"]).first()
    if municipality is None:
        municipality = Municipality(slug=data["slug"], **fields)
        municipality.boundary = boundary
        municipality.boundary_is_approximate = data.get("boundary_is_approximate", False)
        municipality.boundary_source = f"data/{boundary_file.parent.name}/{boundary_file.name}"
        municipality.boundary_updated_at = timezone.now()
        municipality.full_clean()
        municipality.save()
        return municipality, True
    for name, value in fields.items():
        setattr(municipality, name, value)
    if municipality.boundary_is_approximate:
        # Still the demo boundary: keep it in step with the shipped file.
        municipality.boundary = boundary
    municipality.full_clean()
    municipality.save()
    return municipality, False
