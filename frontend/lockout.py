"""Sign-in refused: locked out by django-axes after too many wrong passwords, or over the
address's rate limit. The page says so in the visitor's language; the API answers JSON."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from geoportal.core.ratelimit import retry_after


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


class LoginView(auth_views.LoginView):
    """Django's sign-in form, with the address's rate limit on attempts."""

    template_name = "frontend/login.html"

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        wait = retry_after(request, "login")
        if wait is not None:
            return too_many(request, wait)
        return super().post(request, *args, **kwargs)
