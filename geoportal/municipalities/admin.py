from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import ForeignKey, QuerySet
from django.forms import ModelChoiceField
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from leaflet.admin import LeafletGeoAdmin

from geoportal.accounts.roles import Role
from geoportal.municipalities.models import (
    Category,
    Department,
    DepartmentMembership,
    Municipality,
    NonWorkingDay,
    ResponseTemplate,
    RoutingRule,
)


class NonWorkingDayInline(admin.TabularInline):
    model = NonWorkingDay
    extra = 0


@admin.register(Municipality)
class MunicipalityAdmin(LeafletGeoAdmin):
    inlines = [NonWorkingDayInline]
    list_display = ("name_uk", "name_en", "slug", "katotth", "boundary_is_approximate", "is_active")
    search_fields = ("name_uk", "name_en", "slug", "katotth")
    readonly_fields = ("boundary_updated_at",)
    fieldsets = (
        (None, {"fields": ("name_uk", "name_en", "slug", "oblast_uk", "oblast_en", "is_active")}),
        (_("Codes"), {"fields": ("katotth", "katotth_hromada")}),
        (
            _("Geography"),
            {
                "fields": (
                    "centre",
                    "boundary",
                    "boundary_is_approximate",
                    "boundary_source",
                    "boundary_updated_at",
                )
            },
        ),
        (_("GIS layers"), {"fields": ("permit_expiring_days", "layer_boundary_tolerance_m")}),
        (
            _("Procedure deadlines"),
            {
                "fields": (
                    "moderation_working_days",
                    "acknowledgement_working_days",
                    "rerouting_working_days",
                    "answer_calendar_days",
                    "answer_study_calendar_days",
                    "extension_ceiling_calendar_days",
                    "dispute_window_calendar_days",
                    "dispute_review_working_days",
                    "reminder_working_days_before",
                    "working_day_deadline_time",
                    "calendar_day_deadline_time",
                )
            },
        ),
    )


class OwnHromadaAdmin(admin.ModelAdmin):
    """Staff see and edit their own hromada's rows only (the superuser every hromada's):
    a coordinator who could edit another hromada's departments could join one and read its
    reporters' contacts."""

    hromada_field = "municipality"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        rows = super().get_queryset(request)
        user: Any = request.user
        if user.is_superuser:
            return rows
        return rows.filter(**{f"{self.hromada_field}_id": user.municipality_id})

    def formfield_for_foreignkey(
        self, db_field: ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> ModelChoiceField[Any] | None:
        user: Any = request.user
        related = db_field.related_model
        if not user.is_superuser:
            if related is Municipality:
                kwargs["queryset"] = Municipality.objects.filter(pk=user.municipality_id)
            elif related in (Department, Category):
                kwargs["queryset"] = related.objects.filter(municipality_id=user.municipality_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class MembershipInline(admin.TabularInline):
    model = DepartmentMembership
    extra = 0
    autocomplete_fields = ("user",)


@admin.register(Department)
class DepartmentAdmin(OwnHromadaAdmin):
    list_display = ("name_uk", "code", "municipality", "email", "is_active")
    list_filter = ("municipality", "is_active")
    search_fields = ("name_uk", "name_en", "code")
    inlines = [MembershipInline]


@admin.register(Category)
class CategoryAdmin(OwnHromadaAdmin):
    list_display = ("name_uk", "code", "municipality", "linked_layer", "is_active", "sort_order")
    list_filter = ("municipality", "is_active", "linked_layer")
    search_fields = ("name_uk", "name_en", "code")


@admin.register(RoutingRule)
class RoutingRuleAdmin(OwnHromadaAdmin, LeafletGeoAdmin):
    hromada_field = "category__municipality"
    list_display = ("category", "department", "priority", "is_active", "note")
    list_filter = ("category__municipality", "is_active", "department")


@admin.register(ResponseTemplate)
class ResponseTemplateAdmin(OwnHromadaAdmin):
    """The coordinator keeps the hromada's templates; a department head those of the
    departments they head (hromada-wide ones, with no department, are the coordinator's)."""

    list_display = ("title_uk", "purpose", "department", "municipality", "is_active", "sort_order")
    list_filter = ("municipality", "purpose", "department", "is_active")
    search_fields = ("title_uk", "title_en", "text_uk", "text_en")

    @staticmethod
    def _headed(user: Any) -> QuerySet[Department] | None:
        """The departments a head (not a coordinator) may keep templates for; None: all."""
        if user.is_superuser or user.has_role(Role.COORDINATOR):
            return None
        return Department.objects.filter(
            memberships__user=user, memberships__role=DepartmentMembership.Role.HEAD
        )

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        rows = super().get_queryset(request)
        headed = self._headed(request.user)
        return rows if headed is None else rows.filter(department__in=headed)

    def formfield_for_foreignkey(
        self, db_field: ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> ModelChoiceField[Any] | None:
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        headed = self._headed(request.user)
        if field is not None and db_field.name == "department" and headed is not None:
            field.queryset = headed
            field.required = True
        return field
