"""Search, filters, order and pages of the staff queues (moderation, department, My tasks).

One FilterSet over the queue's own queryset: the queue decides which reports may be listed,
the filters only narrow it. A bad value is a form error shown next to its field, and the
queue is then shown unfiltered rather than empty, so nothing looks lost."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.contrib.gis.geos import Polygon
from django.core.paginator import Page, Paginator
from django.db.models import F, Prefetch, Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django_filters import FilterSet, filters

from geoportal.reports import timebase
from geoportal.reports.models import Report, ReportPhoto
from geoportal.reports.states import State

PAGE_SIZE = 50
NUMBER = re.compile(r"^\s*(?:#|№)?\s*(\d{1,9})\s*$")
# The orders a queue may be sorted by; the first is each queue's own (disputes first).
ORDERS = {
    "due": _("Due soonest"),
    "newest": _("Newest first"),
    "oldest": _("Oldest first"),
    "supported": _("Most supported"),
}


class BboxField(forms.Field):
    """west,south,east,north in degrees (WGS 84), as the API's bbox."""

    def to_python(self, value: Any) -> Polygon | None:
        text = str(value or "").strip()
        if not text:
            return None
        try:
            west, south, east, north = (float(part) for part in text.split(","))
        except ValueError:
            raise forms.ValidationError(_("Give four numbers: west, south, east, north.")) from None
        inside = -180 <= west < east <= 180 and -90 <= south < north <= 90
        if not inside:
            raise forms.ValidationError(_("The box must run west to east and south to north."))
        return Polygon.from_bbox((west, south, east, north))


class BboxFilter(filters.Filter):
    field_class = BboxField

    def filter(self, qs: QuerySet[Any], value: Polygon | None) -> QuerySet[Any]:
        if value is None:
            return qs
        value.srid = 4326
        return qs.filter(point__intersects=value)


class QueueFilter(FilterSet):
    q = filters.CharFilter(method="search", label=_("Number or words"))
    category = filters.ChoiceFilter(field_name="category__code", label=_("Category"))
    state = filters.ChoiceFilter(choices=State.choices, label=_("State"))
    overdue = filters.BooleanFilter(
        method="only_overdue", label=_("Overdue only"), widget=forms.CheckboxInput
    )
    created_after = filters.DateFilter(
        field_name="created_at__date", lookup_expr="gte", label=_("Submitted from"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )  # fmt: skip
    created_before = filters.DateFilter(
        field_name="created_at__date", lookup_expr="lte", label=_("Submitted until"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )  # fmt: skip
    bbox = BboxFilter(label=_("Area (west,south,east,north)"))
    order = filters.ChoiceFilter(
        choices=list(ORDERS.items()), method="ordered", label=_("Order"), empty_label=None
    )

    class Meta:
        model = Report
        fields: list[str] = []

    def __init__(self, data: Any, queryset: QuerySet[Any], *, categories: Any) -> None:
        super().__init__(data, queryset)
        self.filters["category"].extra["choices"] = [(c.code, c.name) for c in categories]

    def search(self, qs: QuerySet[Any], _name: str, value: str) -> QuerySet[Any]:
        number = NUMBER.match(value)
        if number:
            return qs.filter(pk=int(number.group(1)))
        words = Q()
        for word in value.split()[:8]:
            words &= (
                Q(title__icontains=word)
                | Q(description__icontains=word)
                | Q(address__icontains=word)
            )
        return qs.filter(words)

    def only_overdue(self, qs: QuerySet[Any], _name: str, value: bool | None) -> QuerySet[Any]:
        return (
            qs.filter(pk__in=Report.objects.overdue(timebase.now()).values("pk")) if value else qs
        )

    def ordered(self, qs: QuerySet[Any], _name: str, value: str) -> QuerySet[Any]:
        by = {
            "newest": ("-created_at", "-pk"),
            "oldest": ("created_at", "pk"),
            "supported": ("-support_count", F("due_at").asc(nulls_last=True), "pk"),
        }.get(value)
        return qs.order_by(*by) if by else qs


def first_photos() -> Prefetch[Any]:
    """Each row's first photo the public may see (for the thumbnail)."""
    return Prefetch(
        "photos",
        queryset=ReportPhoto.objects.filter(is_hidden=False, event__isnull=True).order_by("pk"),
        to_attr="shown_photos",
    )


def filtered_page(
    request: HttpRequest, reports: QuerySet[Any], categories: Any
) -> tuple[QueueFilter, Page[Any]]:
    """The queue narrowed by the request's filters, one page of it, with the filter form."""
    found = QueueFilter(request.GET or None, reports, categories=categories)
    listed = found.qs if found.is_bound and found.is_valid() else reports
    listed = listed.select_related(
        "category", "department", "suggested_department", "assignee"
    ).prefetch_related(first_photos())
    page = Paginator(listed, PAGE_SIZE).get_page(request.GET.get("page"))
    now = timebase.now()
    for report in page:
        report.is_overdue = bool(report.clock and report.due_at and report.due_at < now)
        report.thumbnail = report.shown_photos[0] if report.shown_photos else None
    return found, page
