"""The staff sign-in page: Django's form, with sign-in's rate limit on attempts (per device
and, more generously, per address; django-axes' lockout and its page come from
geoportal.accounts.signin). For a user with two-factor sign-in on, the right password
leads to the code step (frontend/two_factor.py)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect

from geoportal.accounts import two_factor
from geoportal.accounts.signin import too_many
from geoportal.core.devices import remember_device
from geoportal.core.ratelimit import check


class LoginView(auth_views.LoginView):
    """Django's sign-in form, with sign-in's rate limit on attempts."""

    template_name = "frontend/login.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        response = super().dispatch(request, *args, **kwargs)
        remember_device(request, response)  # attempts are counted per device
        return response

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        refusal = check(request, "login")
        if refusal is not None:
            return too_many(request, refusal)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        user = form.get_user()
        if two_factor.has_device(user):
            # Not signed in yet: only who it is and where to go wait for the code.
            two_factor.hold(self.request, user, self.get_success_url())
            return redirect("frontend:login-code")
        return super().form_valid(form)
