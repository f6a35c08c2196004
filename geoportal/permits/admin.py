"""E-permits in the admin: each hromada's settings are edited here; applications are read
only (every action is a model method, taken from the officers' console), within the
person's hromada."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.gis.admin import GISModelAdmin
from django.db.models import QuerySet
from django.http import HttpRequest

from geoportal.permits.models import (
    Application,
    ApplicationDocument,
    ApplicationEvent,
    ApprovalTask,
    PermitCounter,
    PermitSettings,
)


def _own_hromada(request: HttpRequest, rows: QuerySet[Any], path: str) -> QuerySet[Any]:
    user: Any = request.user
    if user.is_superuser:
        return rows
    return rows.filter(**{path: user.municipality_id})


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class EventInline(ReadOnlyInline):
    model = ApplicationEvent
    fields = ("created_at", "action", "from_state", "to_state", "actor", "by_applicant", "text",
              "is_public")  # fmt: skip
    readonly_fields = fields


class DocumentInline(ReadOnlyInline):
    model = ApplicationDocument
    fields = ("kind", "original_name", "content_type", "size", "created_at")
    readonly_fields = fields


class ApprovalInline(ReadOnlyInline):
    model = ApprovalTask
    fields = ("body", "body_name", "requested_at", "due_at", "answered_at", "result", "note")
    readonly_fields = fields


@admin.register(PermitSettings)
class PermitSettingsAdmin(admin.ModelAdmin):
    list_display = ("municipality", "kind", "department", "check_working_days",
                    "issue_working_days", "term_months")  # fmt: skip
    list_filter = ("municipality", "kind")
    readonly_fields = ("sources",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[PermitSettings]:
        return _own_hromada(request, super().get_queryset(request), "municipality_id")


@admin.register(Application)
class ApplicationAdmin(GISModelAdmin):
    list_display = ("number", "municipality", "kind", "state", "permit_number", "due_at",
                    "created_at")  # fmt: skip
    list_filter = ("municipality", "kind", "state", "was_overdue")
    search_fields = ("number", "permit_number", "address", "organisation_name")
    date_hierarchy = "created_at"
    inlines = [EventInline, ApprovalInline, DocumentInline]
    exclude = ("tracking_code",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Application]:
        return _own_hromada(request, super().get_queryset(request), "municipality_id")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [f.name for f in Application._meta.fields if f.name not in self.exclude]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(PermitCounter)
class PermitCounterAdmin(admin.ModelAdmin):
    list_display = ("municipality", "kind", "year", "last")
    readonly_fields = ("municipality", "kind", "year", "last")

    def get_queryset(self, request: HttpRequest) -> QuerySet[PermitCounter]:
        return _own_hromada(request, super().get_queryset(request), "municipality_id")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
