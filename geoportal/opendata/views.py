"""The open-data catalogue: a page for people and DCAT-style JSON for harvesters."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from geoportal.opendata.catalog import datasets, dcat


def catalog_page(request: HttpRequest) -> HttpResponse:
    return render(request, "opendata/catalog.html", {"datasets": datasets()})


def catalog_json(request: HttpRequest) -> JsonResponse:
    return JsonResponse(dcat(datasets()), json_dumps_params={"ensure_ascii": False})
