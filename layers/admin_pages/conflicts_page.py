"""Admin page: the planning department's conflict report, grouped by kind, with CSV."""

from __future__ import annotations

from collections import defaultdict

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from geoportal.municipalities.models import Municipality
from layers.conflicts import DEFAULT_MIN_SPACING_M, ConflictKind, conflicts_csv, find_conflicts

ADMIN_NAMES = {"maf": "temporarystructure", "advertising": "advertisingstructure"}


def conflicts_view(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not (
        user.has_perm("layers.view_temporarystructure")
        and user.has_perm("layers.view_advertisingstructure")
    ):
        raise PermissionDenied
    municipalities = Municipality.objects.active()
    # The chosen hromada, else the staff member's own, else all of them.
    slug = request.GET.get("municipality")
    own = getattr(user, "municipality", None)
    if slug is None and own is not None:
        slug = own.slug
    municipality = municipalities.filter(slug=slug).first() if slug else None
    try:
        spacing = float(request.GET.get("min_spacing", DEFAULT_MIN_SPACING_M))
    except ValueError:
        spacing = DEFAULT_MIN_SPACING_M
    spacing = spacing if spacing > 0 else DEFAULT_MIN_SPACING_M
    conflicts = find_conflicts(municipality, spacing)

    if request.GET.get("format") == "csv":
        response = HttpResponse(conflicts_csv(conflicts), content_type="text/csv; charset=utf-8")
        name = f"conflicts-{municipality.slug if municipality else 'all'}.csv"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response

    groups: dict[ConflictKind, list[dict[str, object]]] = defaultdict(list)
    for c in conflicts:
        url = reverse(f"admin:layers_{ADMIN_NAMES[c.layer]}_change", args=[c.feature_id])
        groups[c.kind].append({"conflict": c, "url": url})
    context = {
        **admin.site.each_context(request),
        "title": _("Conflict report"),
        "groups": [(kind, groups[kind]) for kind in ConflictKind if groups.get(kind)],
        "total": len(conflicts),
        "municipalities": municipalities,
        "municipality": municipality,
        "min_spacing": spacing,
    }
    return render(request, "admin/layers/conflicts.html", context)
