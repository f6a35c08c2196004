"""Admin page: the land checks per cadastral zone and quarter, each count leading to the
quarter's conflict report; with CSV."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from layers.admin_pages.scope import ReportOptions, chosen_hromada
from layers.conflicts import ConflictKind, Tally, quarter_report, quarters_csv


def quarters_view(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("layers.view_landplot"):
        raise PermissionDenied
    scope = chosen_hromada(request)
    if isinstance(scope, HttpResponse):
        return scope
    municipalities, municipality = scope
    options = ReportOptions(request)
    wants_csv = request.GET.get("format") == "csv"
    if wants_csv and (refused := options.refusal()):
        return refused
    zones = quarter_report(municipality, options.land())
    if wants_csv:
        response = HttpResponse(quarters_csv(zones), content_type="text/csv; charset=utf-8")
        name = f"land-quarters-{municipality.slug if municipality else 'all'}.csv"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    report = reverse("admin:layers-conflicts")

    def row(tally: Tally, is_zone: bool) -> dict[str, Any]:
        # A zone's counts lead to the whole report, a quarter's to that quarter's.
        link = f"{report}?{options.query(municipality, None if is_zone else tally.name)}"
        cells = [(n, f"{link}#{kind.value}") for n, kind in zip(tally.cells(), kinds, strict=True)]
        return {"tally": tally, "is_zone": is_zone, "cells": cells, "link": link}

    kinds = ConflictKind.land()
    rows = [row(t, t is zone) for zone in zones for t in (zone, *zone.quarters)]
    context = {
        **admin.site.each_context(request),
        "title": _("Land checks by cadastral quarter"),
        "rows": rows,
        "plots": sum(zone.plots for zone in zones),
        "quarters": sum(len(zone.quarters) for zone in zones),
        "kinds": kinds,
        "municipalities": municipalities,
        "municipality": municipality,
        "options": options,
        "land": options.land(),
        "query": options.query(municipality),
    }
    return render(request, "admin/layers/quarters.html", context)
