"""Filters of the report list, declared once so OpenAPI describes them."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django_filters import rest_framework as filters

from geoportal.municipalities.models import Municipality
from geoportal.reports.models import Report
from geoportal.reports.states import State


class CodesFilter(filters.BaseInFilter, filters.CharFilter):
    """Comma-separated codes."""


class StatesFilter(filters.BaseInFilter, filters.ChoiceFilter):
    """Comma-separated states, each one of the procedure's."""


class ReportFilter(filters.FilterSet):
    municipality = filters.CharFilter(
        method="in_municipality", help_text="Slug of the hromada, e.g. pokrovsk."
    )
    category = CodesFilter(
        field_name="category__code", help_text="Category codes, comma-separated."
    )
    state = StatesFilter(
        choices=State.choices,
        help_text="States, comma-separated. Without it the public sees the states shown on the "
        "map; rejected reports only when asked for.",
    )
    department = CodesFilter(
        field_name="department__code", help_text="Department codes, comma-separated."
    )
    created_after = filters.DateFilter(
        field_name="created_at__date", lookup_expr="gte", help_text="Submitted on or after (Kyiv)."
    )
    created_before = filters.DateFilter(
        field_name="created_at__date", lookup_expr="lte", help_text="Submitted on or before."
    )

    def in_municipality(
        self, queryset: QuerySet[Report], name: str, value: Any
    ) -> QuerySet[Report]:
        """The hromada's reports by its id, looked up first. Joined by the slug, PostgreSQL
        cannot tell how many reports one hromada holds: at a million it guessed 13,000,
        read them all and sorted them (10 s) instead of reading the newest 100 from the
        report_received index (municipality, created_at)."""
        found = Municipality.objects.filter(slug=value).values_list("pk", flat=True).first()
        return queryset.none() if found is None else queryset.filter(municipality_id=found)

    class Meta:
        model = Report
        fields = ("municipality", "category", "state", "department", "created_after",
                  "created_before")  # fmt: skip
