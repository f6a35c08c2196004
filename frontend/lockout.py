"""The staff sign-in page: Django's form, with the address's rate limit on attempts
(django-axes' lockout and its page come from geoportal.accounts.signin)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse

from geoportal.accounts.signin import too_many
from geoportal.core.ratelimit import retry_after


class LoginView(auth_views.LoginView):
    """Django's sign-in form, with the address's rate limit on attempts."""

    template_name = "frontend/login.html"

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        wait = retry_after(request, "login")
        if wait is not None:
            return too_many(request, wait)
        return super().post(request, *args, **kwargs)
