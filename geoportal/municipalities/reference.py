"""Loading a hromada's reference data (data/reference/<slug>.json), idempotently.

Re-running updates names and settings in place and never replaces a boundary
that was loaded from an official file with the approximate demo one.

`municipality.boundary_file` is resolved against the parent of the folder that holds
the reference file (see boundary_path), so data/reference/pokrovsk.json's
"boundaries/pokrovsk-approximate.geojson" is data/boundaries/pokrovsk-approximate.geojson,
wherever the command runs from.
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
from layers.kinds import LayerKind
from layers.models import LayerPassport, UpdateFrequency


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
            for kind in ("departments", "categories", "routing rules", "layer passports")
        ]
        return f"{self.municipality}: " + "; ".join(parts)


def boundary_path(reference_file: Path, boundary_file: str) -> Path:
    """Where a reference file's `boundary_file` is: relative to the parent of the folder
    holding the reference file (data/ for data/reference/<slug>.json), not to the
    working directory; an absolute path is taken as it is."""
    return reference_file.parent.parent / boundary_file


def load_reference_file(path: Path, log: Callable[[str], object] = print) -> LoadSummary:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        muni_data: dict[str, Any] = data["municipality"]
        boundary_file = boundary_path(path, muni_data["boundary_file"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ReferenceDataError(f"{path}: cannot read reference data ({exc}).") from exc
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
        for kind, department, entry in _layer_departments(path, data, municipality, departments):
            summary.count("layer passports", _keep_passport(municipality, kind, department, entry))
    return summary


def _layer_departments(
    path: Path, data: dict[str, Any], municipality: Municipality, departments: dict[str, Department]
) -> list[tuple[LayerKind, Department, dict[str, Any]]]:
    """The department responsible for each of the four layers: the one `layer_passports`
    names, else the one its linked category is routed to; a layer with neither is an error,
    so that no passport is left without a responsible department."""
    named: dict[str, dict[str, Any]] = {}
    for number, entry in enumerate(data.get("layer_passports", []), start=1):
        entry = entry if isinstance(entry, dict) else {}
        layer, code = entry.get("layer"), entry.get("department")
        if layer not in LayerKind.values or code not in departments:
            raise ReferenceDataError(
                f"{path}: layer passport {number} names an unknown layer {layer!r} "
                f"or department {code!r}."
            )
        frequency = entry.get("update_frequency")  # none given: DOMAIN.md's regulation
        if frequency is not None and frequency not in UpdateFrequency.values:
            raise ReferenceDataError(
                f"{path}: layer passport {number} has an unknown update_frequency "
                f"{frequency!r} (one of {', '.join(UpdateFrequency.values)})."
            )
        named[layer] = entry
    found = []
    for kind in LayerKind:
        entry = named.get(kind.value, {})
        department = (
            departments[entry["department"]]
            if entry
            else Department.objects.responsible_for_layer(municipality.pk, kind.value)
        )
        if department is None:
            raise ReferenceDataError(
                f"{path}: no department is responsible for the layer {kind.value!r}; "
                "name one under layer_passports."
            )
        found.append((kind, department, entry))
    return found


def _keep_passport(
    municipality: Municipality, kind: LayerKind, department: Department, entry: dict[str, Any]
) -> bool:
    """Create the layer's passport, or give the responsible department to one that has none.
    A department chosen later in the admin is kept: the file only fills the gap."""
    created = not LayerPassport.objects.filter(municipality=municipality, layer=kind.value).exists()
    defaults: dict[str, object] = {"department": department}
    if "update_frequency" in entry:
        defaults["update_frequency"] = entry["update_frequency"]
    passport = LayerPassport.for_layer(municipality.pk, kind.value, **defaults)
    if passport.department_id is None:
        passport.department = department
        passport.save(update_fields=["department"])
    return created


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
        municipality.boundary_source = data.get("boundary_source") or (
            f"data/{boundary_file.parent.name}/{boundary_file.name}"
        )
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
