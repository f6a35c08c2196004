"""Not found and server errors: JSON for API clients, the site's pages for people."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.defaults import page_not_found, server_error

MACHINE_PATHS = ("/api/", "/ogc/", "/tiles/")


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if request.path.startswith(MACHINE_PATHS):
        return JsonResponse({"detail": f"Nothing at {request.path}."}, status=404)
    return page_not_found(request, exception)


def failed(request: HttpRequest) -> HttpResponse:
    if request.path.startswith(MACHINE_PATHS):
        return JsonResponse({"detail": "A server error; it was logged."}, status=500)
    return server_error(request)
