"""Django's admin without a sign-in form of its own: its login page sends people to the
site's sign-in, so the two-factor code step (and the rate limit) cannot be bypassed."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse


class AdminSite(admin.AdminSite):
    def login(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> Any:
        """To the site's sign-in page, coming back where the admin was asked for."""
        # Imported here: this module is loaded with the app registry, before the models.
        from django.contrib.auth.views import redirect_to_login

        index = reverse("admin:index", current_app=self.name)
        if request.method == "GET" and self.has_permission(request):
            return HttpResponseRedirect(index)
        response: HttpResponse = redirect_to_login(request.GET.get(REDIRECT_FIELD_NAME) or index)
        return response


class AdminConfig(DjangoAdminConfig):
    """INSTALLED_APPS' entry for the admin, with the site above as `admin.site`."""

    default_site = "geoportal.accounts.admin_site.AdminSite"
