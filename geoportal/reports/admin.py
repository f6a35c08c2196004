"""Reports in the admin: read-only views for staff (actions go through the model methods,
from the API and the consoles), limited to each person's scope."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.gis.admin import GISModelAdmin
from django.db.models import Q, QuerySet
from django.http import HttpRequest

from geoportal.reports.models import Notification, Report, ReportEvent, ReportPhoto


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class EventInline(ReadOnlyInline):
    model = ReportEvent
    fields = ("created_at", "action", "from_state", "to_state", "actor", "by_reporter", "text",
              "is_public")  # fmt: skip
    readonly_fields = fields


class PhotoInline(ReadOnlyInline):
    model = ReportPhoto
    fields = ("image", "thumbnail", "event", "is_hidden")
    readonly_fields = fields


@admin.register(Report)
class ReportAdmin(GISModelAdmin):
    list_display = ("pk", "title", "municipality", "category", "state", "department", "due_at",
                    "created_at")  # fmt: skip
    list_filter = ("municipality", "state", "category", "department", "was_overdue")
    search_fields = ("title", "description", "address")
    date_hierarchy = "created_at"
    inlines = [EventInline, PhotoInline]
    exclude = ("idempotency_key", "idempotency_owner", "idempotency_fingerprint")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Report]:
        reports = super().get_queryset(request)
        return reports.staff_scope(request.user)  # type: ignore[attr-defined]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [f.name for f in Report._meta.fields if f.name not in self.exclude]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("created_at", "kind", "to_email", "subject", "sent_at", "attempts")
    list_filter = ("kind", "sent_at")
    readonly_fields = ("kind", "report", "event", "to_email", "language", "subject", "body",
                       "created_at", "sent_at", "attempts", "last_error")  # fmt: skip

    def get_queryset(self, request: HttpRequest) -> QuerySet[Notification]:
        """The e-mails about reports in the person's scope, and their own digests: the
        addresses and tracking links of another hromada's reporters are not theirs to read."""
        notifications = super().get_queryset(request)
        user: Any = request.user
        if user.is_superuser:
            return notifications
        own = Q(report__in=Report.objects.staff_scope(user))
        if user.email:
            own |= Q(report__isnull=True, to_email__iexact=user.email)
        return notifications.filter(own)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
