"""Filters of the report list, declared once so OpenAPI describes them."""

from __future__ import annotations

from django_filters import rest_framework as filters

from geoportal.reports.models import Report
from geoportal.reports.states import State


class CodesFilter(filters.BaseInFilter, filters.CharFilter):
    """Comma-separated codes."""


class StatesFilter(filters.BaseInFilter, filters.ChoiceFilter):
    """Comma-separated states, each one of the procedure's."""


class ReportFilter(filters.FilterSet):
    municipality = filters.CharFilter(
        field_name="municipality__slug", help_text="Slug of the hromada, e.g. pokrovsk."
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

    class Meta:
        model = Report
        fields = ("municipality", "category", "state", "department", "created_after",
                  "created_before")  # fmt: skip
