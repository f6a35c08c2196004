"""The public register of permit applications: every registered application of the
hromadas with its public fields (geoportal.permits.register), filtered by hromada, kind
and state, newest registered first, a page at a time. A bad filter value is shown next to
its field and the register is then shown unfiltered (as the officers' queue does)."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_GET
from django_filters import FilterSet, filters

from geoportal.municipalities.models import Municipality
from geoportal.permits.models import Application
from geoportal.permits.register import OGC_COLLECTION, Entry, registered
from geoportal.permits.states import PUBLIC_STATES, Kind, State

PAGE_SIZE = 25
# Django's own message repeats the value sent, which may be anything (a code in Latin letters
# on a Ukrainian page, or a stranger's text): this one does not.
NOT_LISTED = {"invalid_choice": _("Choose a value from the list.")}


class RegisterFilter(FilterSet):
    municipality = filters.ModelChoiceFilter(
        queryset=Municipality.objects.active().order_by("name_uk"),
        to_field_name="slug",
        label=_("Hromada"),
        empty_label=_("All hromadas"),
        error_messages=NOT_LISTED,
    )
    kind = filters.ChoiceFilter(
        choices=Kind.choices,
        label=pgettext_lazy("permit console", "Kind of permit"),
        empty_label=_("All kinds"),
        error_messages=NOT_LISTED,
    )
    state = filters.ChoiceFilter(
        choices=[(value, label) for value, label in State.choices if value in PUBLIC_STATES],
        label=pgettext_lazy("state of a permit application", "State"),
        empty_label=_("All states"),
        error_messages=NOT_LISTED,
    )

    class Meta:
        model = Application
        fields: list[str] = []


def _downloads(municipality: Municipality | None) -> list[tuple[str, str]]:
    """The register's open-data files (of the hromada chosen, else of all of them)."""
    query = f"?municipality={municipality.slug}" if municipality else ""
    return [
        (label, reverse("api:permit-export", kwargs={"fmt": fmt}) + query)
        for fmt, label in (("csv", "CSV"), ("geojson", "GeoJSON"), ("gpkg", "GeoPackage"))
    ]


@require_GET
def permit_register(request: HttpRequest) -> HttpResponse:
    applications: QuerySet[Application] = registered()
    found = RegisterFilter(request.GET or None, applications)
    valid = found.is_bound and found.is_valid()
    listed = found.qs if valid else applications
    chosen: Any = found.form.cleaned_data.get("municipality") if valid else None
    page = Paginator(listed.order_by("-registered_at", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "frontend/permits/register.html", {
        "filters": found.form,
        "page": page,
        "entries": [Entry.of(application) for application in page],
        "municipality": chosen,
        "downloads": _downloads(chosen),
        "ogc_collection": OGC_COLLECTION,
    })  # fmt: skip
