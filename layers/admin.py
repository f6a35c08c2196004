"""Editing the layers in the Django admin: Leaflet map widgets, history with revert."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib import admin, messages
from django.contrib.gis.db import models
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from leaflet.admin import LeafletGeoAdminMixin
from simple_history.admin import SimpleHistoryAdmin

from geoportal.municipalities.admin import OwnHromadaAdmin
from layers.admin_fields import CheckedPhotoField, LeafletMapWidget
from layers.models import (
    AdvertisingStructure,
    LandPlot,
    LayerPassport,
    TemporaryStructure,
    ZoningZone,
)
from layers.models.base import PermitState


class PermitStateFilter(admin.SimpleListFilter):
    title = _("permit state")
    parameter_name = "permit_state"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return list(PermitState.choices)

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value():
            return queryset.in_permit_state(self.value())  # type: ignore[attr-defined]
        return queryset


class LayerAdmin(OwnHromadaAdmin, LeafletGeoAdminMixin, SimpleHistoryAdmin):
    """Map widget, history per feature (with revert) and a warning when the layer is stale;
    a planner edits their own hromada's features only."""

    layer: str = ""
    list_filter: ClassVar[tuple[Any, ...]] = ("municipality", "is_demo")
    readonly_fields = ("created_at", "updated_at")
    widget = LeafletMapWidget
    formfield_overrides = {models.ImageField: {"form_class": CheckedPhotoField}}

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        overdue = [
            passport for passport in self._passports(request) if passport.is_update_overdue()
        ]
        for passport in overdue:
            messages.warning(
                request,
                _("%(layer)s of %(city)s: update overdue (regulation: %(freq)s).")
                % {
                    "layer": passport.name,
                    "city": passport.municipality.name,
                    "freq": passport.get_update_frequency_display(),
                },
            )
        return super().changelist_view(request, extra_context)

    def _passports(self, request: HttpRequest) -> QuerySet[LayerPassport]:
        passports = LayerPassport.objects.filter(layer=self.layer).select_related("municipality")
        user: Any = request.user
        return (
            passports if user.is_superuser else passports.filter(municipality=user.municipality_id)
        )


class PermittedLayerAdmin(LayerAdmin):
    @admin.display(description=_("permit state"))
    def permit_state_display(self, obj: Any) -> str:
        return str(obj.permit_state().label)


@admin.register(TemporaryStructure)
class TemporaryStructureAdmin(PermittedLayerAdmin):
    layer = "maf"
    list_display = (
        "passport_number", "address", "kind", "status", "permit_valid_to", "permit_state_display",
        "municipality",
    )  # fmt: skip
    list_filter = (PermitStateFilter, "status", "kind", "purpose", "municipality", "is_demo")
    search_fields = ("passport_number", "address", "owner_name")


@admin.register(AdvertisingStructure)
class AdvertisingStructureAdmin(PermittedLayerAdmin):
    layer = "advertising"
    list_display = (
        "permit_number", "address", "kind", "status", "permit_valid_to", "permit_state_display",
        "municipality",
    )  # fmt: skip
    list_filter = (PermitStateFilter, "status", "kind", "illuminated", "municipality", "is_demo")
    search_fields = ("permit_number", "address", "distributor_name")


@admin.register(LandPlot)
class LandPlotAdmin(LayerAdmin):
    layer = "land"
    list_display = (
        "cadastral_number", "purpose_code", "ownership", "area_ha", "investor_status",
        "municipality",
    )  # fmt: skip
    list_filter = ("ownership", "category", "investor_status", "municipality", "is_demo")
    search_fields = ("cadastral_number", "purpose_text")


@admin.register(ZoningZone)
class ZoningZoneAdmin(LayerAdmin):
    layer = "zoning"
    list_display = ("code", "name", "allows_temporary_structures", "allows_advertising")
    list_filter = ("municipality", "allows_temporary_structures", "allows_advertising")
    search_fields = ("code", "name")


@admin.register(LayerPassport)
class LayerPassportAdmin(OwnHromadaAdmin):
    """Also hosts the planning department's tools: file import and the conflict report."""

    def get_urls(self) -> list[Any]:
        from django.urls import path

        from layers.admin_pages.conflicts_page import conflicts_view
        from layers.admin_pages.import_page import import_view

        own = [
            path("import/", self.admin_site.admin_view(import_view), name="layers-import"),
            path("conflicts/", self.admin_site.admin_view(conflicts_view), name="layers-conflicts"),
        ]
        return own + super().get_urls()

    list_display = (
        "name_uk", "municipality", "layer", "department", "update_frequency", "last_updated_at",
        "overdue",
    )  # fmt: skip
    list_filter = ("municipality", "layer", "update_frequency")
    readonly_fields = ("last_updated_at",)

    @admin.display(boolean=True, description=_("update overdue"))
    def overdue(self, obj: LayerPassport) -> bool:
        return obj.is_update_overdue()
