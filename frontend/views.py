"""Public pages: the city map and the investor list of free municipal plots."""

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from frontend.labels import layer_labels, permit_labels
from geoportal.core.devices import gives_device
from geoportal.municipalities.models import Municipality
from geoportal.reports.states import CLOSED_STATES, PUBLIC_STATES, State
from layers.models import LandPlot


def _default_municipality() -> Municipality:
    municipalities = Municipality.objects.active()
    municipality = (
        municipalities.filter(slug=settings.DEFAULT_MUNICIPALITY).first() or municipalities.first()
    )
    if municipality is None:
        raise Http404("No municipality is loaded yet: run `make run` or load_reference.")
    return municipality


def home(request: HttpRequest) -> HttpResponse:
    """The map of the default municipality (DEFAULT_MUNICIPALITY), or of the first one."""
    return _render_map(request, _default_municipality())


def municipality_map(request: HttpRequest, slug: str) -> HttpResponse:
    municipality = get_object_or_404(Municipality.objects.active(), slug=slug)
    return _render_map(request, municipality)


def investors(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    """Free and for-auction municipal plots (TI Ukraine's transparency recommendation)."""
    if slug is None:
        municipality = _default_municipality()
    else:
        municipality = get_object_or_404(Municipality.objects.active(), slug=slug)
    plots = LandPlot.objects.for_investors().filter(municipality=municipality)
    context = {
        "municipality": municipality,
        "municipalities": Municipality.objects.active(),
        "plots": plots.order_by("investor_status", "cadastral_number"),
        "download_url": reverse("api:layer-export", kwargs={"layer": "land", "fmt": "geojson"})
        + f"?municipality={municipality.slug}",
        "plots_url": reverse("api:layer-land")
        + f"?for_investors=true&municipality={municipality.slug}&page_size=1000",
    }
    return render(request, "frontend/investors.html", context)


@gives_device  # filing and a photo's position are rate-limited per device
def report_new(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    """The resident's journey: place the pin, check nearby reports, describe, send."""
    if slug is None:
        municipality = _default_municipality()
    else:
        municipality = get_object_or_404(Municipality.objects.active(), slug=slug)
    context = {
        "municipality": municipality,
        "categories": municipality.categories.active().order_by("sort_order", "name_uk"),
        "boundary_url": reverse("api:municipality-detail", kwargs={"slug": municipality.slug}),
        "max_photos": settings.REPORT_PHOTOS_MAX,
        "max_photo_mb": settings.REPORT_PHOTO_MAX_BYTES // (1024 * 1024),
        "photo_max_side": settings.REPORT_PHOTO_UPLOAD_MAX_SIDE,
        "photo_quality": settings.REPORT_PHOTO_UPLOAD_QUALITY,
    }
    return render(request, "frontend/report_new.html", context)


def _language() -> str:
    from django.utils.translation import get_language

    return "en" if (get_language() or "uk").startswith("en") else "uk"


def _render_map(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    context = {
        "municipality": municipality,
        "municipalities": Municipality.objects.active(),
        "boundary_url": reverse("api:municipality-detail", kwargs={"slug": municipality.slug}),
        "layer_labels": layer_labels(),
        "permit_labels": permit_labels(),
        "categories": municipality.categories.active().order_by("sort_order", "name_uk"),
        "departments": municipality.departments.active().order_by("name_uk"),
        "states": [(value, label) for value, label in State.choices if value in PUBLIC_STATES],
        "report_labels": {
            "states": {value: str(label) for value, label in State.choices},
            # The list of reports in view asks for what the map shows, open ones or all.
            "map_states": sorted(PUBLIC_STATES),
            "open_map_states": sorted(PUBLIC_STATES - CLOSED_STATES),
            "categories": dict(
                municipality.categories.active().values_list("code", "name_" + _language())
            ),
        },
    }
    return render(request, "frontend/map.html", context)
