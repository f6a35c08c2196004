"""Admin page: the planning department's conflict report (to be built)."""

from django.http import HttpRequest, HttpResponse


def conflicts_view(request: HttpRequest) -> HttpResponse:
    return HttpResponse(status=501)
