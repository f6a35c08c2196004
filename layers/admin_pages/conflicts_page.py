"""Admin page: the planning department's conflict report, grouped by kind, with CSV."""

from __future__ import annotations

from collections import defaultdict

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from layers.admin_pages.scope import ReportOptions, chosen_hromada
from layers.conflicts import ConflictKind, conflicts_csv, find_conflicts
from layers.conflicts.structures import structure_conflicts

ADMIN_NAMES = {
    "maf": "temporarystructure",
    "advertising": "advertisingstructure",
    "land": "landplot",
}


def conflicts_view(request: HttpRequest) -> HttpResponse:
    user = request.user
    sees_structures = user.has_perm("layers.view_temporarystructure") and user.has_perm(
        "layers.view_advertisingstructure"
    )
    sees_land = user.has_perm("layers.view_landplot")
    if not sees_structures:
        raise PermissionDenied
    scope = chosen_hromada(request)
    if isinstance(scope, HttpResponse):
        return scope
    municipalities, municipality = scope
    options = ReportOptions(request)
    wants_csv = request.GET.get("format") == "csv"
    if wants_csv and (refused := options.refusal()):
        return refused
    land = options.land()
    spacing = float(options.value("min_spacing"))
    if sees_land:
        conflicts = find_conflicts(municipality, spacing, land=land)
    else:  # the land checks name plots, which this person may not read
        conflicts = structure_conflicts(municipality, spacing)

    if wants_csv:
        response = HttpResponse(conflicts_csv(conflicts), content_type="text/csv; charset=utf-8")
        name = f"conflicts-{municipality.slug if municipality else 'all'}.csv"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response

    groups: dict[ConflictKind, list[dict[str, object]]] = defaultdict(list)
    for c in conflicts:
        url = reverse(f"admin:layers_{ADMIN_NAMES[c.layer]}_change", args=[c.feature_id])
        groups[c.kind].append({"conflict": c, "url": url})
    land_kinds = set(ConflictKind.land())
    context = {
        **admin.site.each_context(request),
        "title": _("Conflict report"),
        "groups": [
            (kind, kind in land_kinds, groups[kind]) for kind in ConflictKind if groups.get(kind)
        ],
        "total": len(conflicts),
        "municipalities": municipalities,
        "municipality": municipality,
        "options": options,
        "land": land,
        "min_spacing": spacing,
        "sees_land": sees_land,
        "query": options.query(municipality),
    }
    return render(request, "admin/layers/conflicts.html", context)
