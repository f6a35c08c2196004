"""Admin page: the planning department's conflict report, grouped by kind, with CSV."""

from __future__ import annotations

from collections import defaultdict

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
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
    # The hromadas the person works for: the chosen one, else their own; all of them
    # together only for the superuser. Another hromada's report is not theirs (404).
    municipalities = Municipality.objects.active().staffed_by(user)
    slug = request.GET.get("municipality")
    own = getattr(user, "municipality", None)
    if slug is None and own is not None:
        slug = own.slug
    municipality = municipalities.filter(slug=slug).first() if slug else None
    if (slug and municipality is None) or (municipality is None and not user.is_superuser):
        # As the admin answers for an object the person may not see: it does not exist.
        messages.warning(request, _("There is no hromada %(slug)s.") % {"slug": slug or "—"})
        return HttpResponseRedirect(reverse("admin:index"))
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
