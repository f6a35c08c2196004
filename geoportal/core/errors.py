"""Unreadable requests, not found and server errors: JSON for API clients (Open311 in its
own error format), the site's pages for people."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from django.views.defaults import bad_request as bad_request_page
from django.views.defaults import page_not_found, server_error

MACHINE_PATHS = ("/api/", "/ogc/", "/tiles/")
OPEN311_PATH = "/open311/"


def _unreadable(exception: Exception) -> tuple[int, str]:
    """The status and the reason of a request Django refused to read."""
    if isinstance(exception, RequestDataTooBig):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE / 1024 / 1024
        return 413, _(
            "The request is larger than %(size).1f MB, files apart; send shorter text."
        ) % {"size": limit}
    if isinstance(exception, TooManyFieldsSent):
        return 400, _("The request has too many fields.")
    if isinstance(exception, TooManyFilesSent):
        return 400, _("The request has too many files.")
    if isinstance(exception, MultiPartParserError):
        return 400, _("The multipart/form-data body cannot be read: %(reason)s") % {
            "reason": exception
        }
    return 400, _("The request cannot be read.")


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Django's answer to a body it will not read (too big, too many fields, broken
    multipart): the reason for machines, 413 when it is the size."""
    status, reason = _unreadable(exception)
    if request.path.startswith(MACHINE_PATHS):
        return JsonResponse({"detail": reason}, status=status)
    if request.path.startswith(OPEN311_PATH):
        from geoportal.open311.formats import errors

        return errors("xml" if request.path.endswith(".xml") else "json", status, [reason])
    response = bad_request_page(request, exception)
    response.status_code = status
    return response


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if request.path.startswith(MACHINE_PATHS):
        return JsonResponse(
            {"detail": _("Nothing at %(path)s.") % {"path": request.path}}, status=404
        )
    return page_not_found(request, exception)


def failed(request: HttpRequest) -> HttpResponse:
    if request.path.startswith(MACHINE_PATHS):
        return JsonResponse({"detail": _("A server error; it was logged.")}, status=500)
    return server_error(request)
