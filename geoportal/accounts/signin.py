"""Sign-in refused: locked out by django-axes after too many wrong passwords, or over the
address's rate limit. The page says so in the visitor's language; the API answers JSON.
The token endpoint lives here too, so both ways of signing in are guarded alike."""

from __future__ import annotations

from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.request import Request

from geoportal.core.ratelimit import DatabaseRateThrottle


def _refusal(request: HttpRequest, message: str, wait: int) -> HttpResponse:
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse({"detail": message}, status=429)
    else:
        response = render(request, "frontend/login_refused.html", {"message": message},
                          status=429)  # fmt: skip
    response["Retry-After"] = str(wait)
    return response


def locked_out(request: HttpRequest, credentials: Any = None, *args: Any, **kwargs: Any) -> Any:
    """django-axes' AXES_LOCKOUT_CALLABLE."""
    hours = int(settings.AXES_COOLOFF_TIME.total_seconds() // 3600)
    message = _(
        "Too many wrong passwords for this user name from your address: sign-in is "
        "paused for %(hours)s h. Ask the administrator if you need to sign in sooner."
    ) % {"hours": hours}
    return _refusal(request, message, int(settings.AXES_COOLOFF_TIME.total_seconds()))


def too_many(request: HttpRequest, wait: int) -> HttpResponse:
    minutes = max(1, wait // 60)
    message = _("Too many sign-in attempts from your address; try again in %(minutes)s min.") % {
        "minutes": minutes
    }
    return _refusal(request, message, wait)


class TokenView(ObtainAuthToken):
    """A token for a user name and password: sign-in's rate limit (RATE_LOGIN) and
    django-axes' lockout apply as on the sign-in page."""

    throttle_classes = [DatabaseRateThrottle]
    throttle_scope = "login"

    def post(self, request: Request, *args: Any, **kwargs: Any) -> Any:
        # django-axes marks a lockout on the HttpRequest, which DRF wraps: ask it first.
        given = request.data if isinstance(request.data, dict) else {}
        credentials = {"username": str(given.get("username", ""))}
        if not AxesProxyHandler.is_allowed(request._request, credentials):
            return locked_out(request._request, credentials)
        return super().post(request, *args, **kwargs)
