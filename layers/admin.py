"""Editing the layers in the Django admin: Leaflet map widgets, history with revert."""

from __future__ import annotations

import dataclasses
from typing import Any, ClassVar

from django.contrib import admin, messages
from django.contrib.gis.db import models
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.db.models.constants import LOOKUP_SEP
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from leaflet.admin import LeafletGeoAdminMixin
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

from geoportal.municipalities.admin import OwnHromadaAdmin
from geoportal.municipalities.models import Municipality
from layers.admin_fields import CheckedPhotoField, LeafletMapWidget
from layers.admin_runs import run_link
from layers.models import (
    AdvertisingStructure,
    LandPlot,
    LayerPassport,
    TemporaryStructure,
    ZoningZone,
)
from layers.models.base import PermitState
from layers.public_fields import BUSINESS_CODE_FIELDS, PUBLIC_FIELDS

# Shown to everyone who may open a feature at all, besides the layer's public fields.
ALWAYS_SHOWN = {"municipality", "geometry", "is_demo", "photo", "created_at", "updated_at"}


class _VisibleChanges(HistoricalRecordContextHelper):
    """A history entry's changes without the fields the reader may not see."""

    def __init__(self, model: Any, record: Any, hidden: set[str]) -> None:
        super().__init__(model, record)
        self.hidden = hidden

    def context_for_delta_changes(self, delta: Any) -> list[dict[str, Any]]:
        shown = [change for change in delta.changes if change.field not in self.hidden]
        return super().context_for_delta_changes(dataclasses.replace(delta, changes=shown))


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
    history_list_display = ["import_run"]
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

    @admin.display(description=_("import run"))
    def import_run(self, record: Any) -> str:
        """The history row's change reason, linked to the import run that wrote it."""
        return run_link(record.history_change_reason)

    # --- what a reader who may not edit the layer sees -----------------------------------

    def private_fields(self, request: HttpRequest, obj: Any = None) -> set[str]:
        """Fields only those who edit the layer see: a plot's user or lessee, a
        distributor's phone, an owner's code (a person's tax number, layers/public_fields.py).
        Staff who only read the layer (moderators, workers) see the public fields, in the
        form and in the history alike."""
        if self.has_change_permission(request, obj):
            return set()
        public = (set(PUBLIC_FIELDS[self.layer]) - set(BUSINESS_CODE_FIELDS)) | ALWAYS_SHOWN
        return {f.name for f in self.model._meta.concrete_fields if f.name not in public} - {
            "id"}  # fmt: skip

    def lookup_allowed(self, lookup: str, value: str, request: HttpRequest) -> bool:
        """A change list filtered by a field the person may not see would spell it out
        letter by letter (?user_name__startswith=…): such a lookup is refused (400)."""
        if lookup.split(LOOKUP_SEP)[0] in self.private_fields(request):
            return False
        return super().lookup_allowed(lookup, value, request)

    def get_exclude(self, request: HttpRequest, obj: Any = None) -> Any:
        return [*(super().get_exclude(request, obj) or ()), *self.private_fields(request, obj)]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        hidden = self.private_fields(request, obj)
        return [f for f in super().get_readonly_fields(request, obj) if f not in hidden]

    # --- history: the person's own hromada only --------------------------------------

    def history_view(
        self, request: HttpRequest, object_id: str, extra_context: Any = None
    ) -> HttpResponse:
        if not self._history_is_theirs(request, object_id):
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(
        self, request: HttpRequest, object_id: str, version_id: str, extra_context: Any = None
    ) -> HttpResponse:
        """One version, and its revert: only of a feature of the person's hromada, and only
        a version recorded in it."""
        if not self._history_is_theirs(request, object_id, version_id):
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if request.method == "POST" and not self.has_change_permission(request):
            # simple_history saves a posted version for anyone who may read the history.
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def get_history_queryset(
        self, request: HttpRequest, history_manager: Any, pk_name: str, object_id: Any
    ) -> Any:
        records = super().get_history_queryset(request, history_manager, pk_name, object_id)
        if request.user.is_superuser:
            return records
        return records.filter(municipality__in=Municipality.objects.staffed_by(request.user))

    def get_historical_record_context_helper(
        self, request: HttpRequest, historical_record: Any
    ) -> HistoricalRecordContextHelper:
        return _VisibleChanges(self.model, historical_record, self.private_fields(request))

    def _history_is_theirs(
        self, request: HttpRequest, object_id: str, version_id: str | None = None
    ) -> bool:
        """The feature (or, deleted, its last version) and the version asked for lie in a
        hromada the person works for."""
        if request.user.is_superuser:
            return True
        theirs = set(Municipality.objects.staffed_by(request.user).values_list("pk", flat=True))
        history = self.model.history
        try:
            current = (
                self.model._default_manager.filter(pk=object_id)
                .values_list("municipality_id", flat=True)
                .first()
            )
            records = history.filter(id=object_id)
            if current is None:
                current = (
                    records.order_by("-history_date")
                    .values_list("municipality_id", flat=True)
                    .first()
                )
            if current not in theirs:
                return False
            if version_id is None:
                return True
            version = records.filter(history_id=version_id).values_list(
                "municipality_id", flat=True
            )
            return version.first() in theirs
        except (ValueError, TypeError):  # not a number: no such feature
            return False

    def _passports(self, request: HttpRequest) -> QuerySet[LayerPassport]:
        passports = LayerPassport.objects.filter(layer=self.layer).select_related("municipality")
        user: Any = request.user
        return (
            passports if user.is_superuser else passports.filter(municipality=user.municipality_id)
        )


class PermittedLayerAdmin(LayerAdmin):
    @admin.display(description=_("permit state"))
    def permit_state_display(self, obj: Any) -> str:
        # The permit-state filter annotates the rows (with_permit_state): then permit_state
        # is the code itself, not the model's method.
        state = obj.permit_state if isinstance(obj.permit_state, str) else obj.permit_state()
        return str(PermitState(state).label)


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
    """Also hosts the planning department's tools: file import, the conflict report and its
    land checks per cadastral quarter."""

    def get_urls(self) -> list[Any]:
        from django.urls import path

        from layers.admin_pages.conflicts_page import conflicts_view
        from layers.admin_pages.import_page import import_view
        from layers.admin_pages.quarters_page import quarters_view

        own = [
            path("import/", self.admin_site.admin_view(import_view), name="layers-import"),
            path("conflicts/", self.admin_site.admin_view(conflicts_view), name="layers-conflicts"),
            path("quarters/", self.admin_site.admin_view(quarters_view), name="layers-quarters"),
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
