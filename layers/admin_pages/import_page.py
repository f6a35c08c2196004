"""Admin page: upload a file into a layer and see the import report (to be built)."""

from django.http import HttpRequest, HttpResponse


def import_view(request: HttpRequest) -> HttpResponse:
    return HttpResponse(status=501)
