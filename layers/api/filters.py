"""Filters of the layer lists, declared once per layer so OpenAPI describes them."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django_filters import rest_framework as filters

from geoportal.core.filters import StrictBooleanFilter
from layers.cadastre import quarter_validator
from layers.models import AdvertisingStructure, LandPlot, TemporaryStructure, ZoningZone
from layers.models.base import PermitState


class LayerFilter(filters.FilterSet):
    municipality = filters.CharFilter(
        field_name="municipality__slug", help_text="Slug of the hromada, e.g. pokrovsk."
    )
    q = filters.CharFilter(
        method="search", help_text="Key (cadastral, permit, passport number, zone code) or address."
    )
    key_field = ""
    text_fields: tuple[str, ...] = ()

    def search(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        value = value.strip()
        if not value:
            return queryset
        condition = Q(**{f"{self.key_field}__istartswith": value})
        for field in self.text_fields:
            condition |= Q(**{f"{field}__icontains": value})
        return queryset.filter(condition)


class PermitStateFilterMixin(filters.FilterSet):
    permit_state = filters.ChoiceFilter(
        choices=PermitState.choices, help_text="State of the permit on today's date."
    )


class TemporaryStructureFilter(PermitStateFilterMixin, LayerFilter):
    key_field = "passport_number"
    text_fields = ("address",)

    class Meta:
        model = TemporaryStructure
        fields = ("municipality", "status", "kind", "purpose", "permit_state", "q")


class AdvertisingStructureFilter(PermitStateFilterMixin, LayerFilter):
    key_field = "permit_number"
    text_fields = ("address",)

    class Meta:
        model = AdvertisingStructure
        fields = ("municipality", "status", "kind", "permit_state", "q")


class LandPlotFilter(LayerFilter):
    key_field = "cadastral_number"
    for_investors = StrictBooleanFilter(
        method="investors", help_text="Only free or for-auction communal plots."
    )
    quarter = filters.CharFilter(
        method="in_quarter",
        max_length=17,
        validators=[quarter_validator],
        help_text="Only the plots of this cadastral quarter, KOATUU:zone:quarter "
        "(e.g. 1412600000:01:001).",
    )

    class Meta:
        model = LandPlot
        fields = ("municipality", "investor_status", "ownership", "purpose_code", "quarter", "q")

    def investors(self, queryset: QuerySet[Any], name: str, value: bool) -> QuerySet[Any]:
        return queryset.for_investors() if value else queryset  # type: ignore[attr-defined]

    def in_quarter(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        # The prefix is served by the cadastral number's pattern index (…_like).
        return queryset.filter(cadastral_number__startswith=f"{value}:") if value else queryset


class ZoningZoneFilter(LayerFilter):
    key_field = "code"
    text_fields = ("name",)

    class Meta:
        model = ZoningZone
        fields = ("municipality", "code", "q")
