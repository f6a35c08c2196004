"""Search, filters, order and pages of the permits queue (as the reports' queue_filters).

The scope (this person's hromada and kinds) decides which applications may be listed; the
filters only narrow it. Without a state chosen the queue shows the applications still
being worked on: in review, in force, and expired or annulled ones whose removal is
pending. A bad value is shown next to its field and the queue is then shown unfiltered.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.paginator import Page, Paginator
from django.db.models import F, Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_filters import FilterSet, filters

from geoportal.permits.models import Application
from geoportal.permits.states import Kind, State
from geoportal.procedure import timebase
from geoportal.procedure.clock import running_overdue

PAGE_SIZE = 50
ALL_STATES = "all"
# Closed for good: nothing is left to do on them (REMOVED, REFUSED, WITHDRAWN).
FINISHED = (State.REFUSED, State.WITHDRAWN, State.REMOVED)


class PermitQueueFilter(FilterSet):
    q = filters.CharFilter(method="search", label=_("Number, organisation or address"))
    kind = filters.ChoiceFilter(
        choices=Kind.choices, label=pgettext_lazy("permit console", "Kind of permit")
    )
    state = filters.ChoiceFilter(
        choices=[(ALL_STATES, pgettext_lazy("permit console", "All states")), *State.choices],
        method="in_state",
        label=pgettext_lazy("state of a permit application", "State"),
        empty_label=_("Being worked on"),
    )
    overdue = filters.BooleanFilter(
        method="only_overdue", label=_("Overdue only"), widget=forms.CheckboxInput
    )

    class Meta:
        model = Application
        fields: list[str] = []

    def __init__(self, data: Any, queryset: QuerySet[Any], *, kinds: list[str]) -> None:
        super().__init__(data, queryset)
        self.filters["kind"].extra["choices"] = [c for c in Kind.choices if c[0] in kinds]

    def search(self, qs: QuerySet[Any], _name: str, value: str) -> QuerySet[Any]:
        words = Q()
        for word in value.split()[:8]:
            words &= (
                Q(number__icontains=word)
                | Q(permit_number__icontains=word)
                | Q(organisation_name__icontains=word)
                | Q(edrpou=word)
                | Q(address__icontains=word)
            )
        return qs.filter(words)

    def in_state(self, qs: QuerySet[Any], _name: str, value: str) -> QuerySet[Any]:
        return qs if value == ALL_STATES else qs.filter(state=value)

    def only_overdue(self, qs: QuerySet[Any], _name: str, value: bool | None) -> QuerySet[Any]:
        return running_overdue(qs, timebase.now()) if value else qs


def queue_page(
    request: HttpRequest, applications: QuerySet[Any], kinds: list[str]
) -> tuple[PermitQueueFilter, Page[Any]]:
    """The applications narrowed by the request's filters, soonest due first, one page."""
    found = PermitQueueFilter(request.GET or None, applications, kinds=kinds)
    listed = found.qs if found.is_bound and found.is_valid() else applications
    chosen = found.form.cleaned_data.get("state") if found.is_bound and found.is_valid() else ""
    if not chosen:
        listed = listed.exclude(state__in=FINISHED)
    listed = listed.select_related("municipality").order_by(
        F("due_at").asc(nulls_last=True), "created_at", "pk"
    )
    page = Paginator(listed, PAGE_SIZE).get_page(request.GET.get("page"))
    now = timebase.now()
    for application in page:
        application.is_overdue = bool(
            application.clock and application.due_at and application.due_at < now
        )
    return found, page
