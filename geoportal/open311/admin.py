"""API keys are issued and revoked in the admin; the key is shown once, when issued. Each
key's hourly filing limit is set here too (empty: RATE_OPEN311)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _

from geoportal.open311.models import ApiKey


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "prefix",
        "contact",
        "is_active",
        "hourly_limit",
        "created_at",
        "revoked_at",
    )
    fields = ("name", "contact", "is_active", "hourly_limit", "prefix", "created_at", "revoked_at")
    readonly_fields = ("prefix", "created_at", "revoked_at")
    actions = ["revoke"]

    def save_model(self, request: HttpRequest, obj: ApiKey, form: Any, change: bool) -> None:
        if not change:
            key = obj.issue()
            messages.warning(
                request,
                _("The key of %(name)s is %(key)s — copy it now: it is not shown again.")
                % {"name": obj.name, "key": key},
            )
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Revoke the selected keys"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiKey]) -> None:
        for key in queryset:
            key.revoke()
        messages.success(request, _("Revoked: %(count)s.") % {"count": queryset.count()})
