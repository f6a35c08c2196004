"""Public pages."""

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from geoportal.municipalities.models import Municipality


def home(request: HttpRequest) -> HttpResponse:
    """The map of the default municipality (DEFAULT_MUNICIPALITY), or of the first one."""
    municipalities = Municipality.objects.active()
    municipality = (
        municipalities.filter(slug=settings.DEFAULT_MUNICIPALITY).first() or municipalities.first()
    )
    if municipality is None:
        raise Http404("No municipality is loaded yet: run `make run` or load_reference.")
    return _render_map(request, municipality)


def municipality_map(request: HttpRequest, slug: str) -> HttpResponse:
    municipality = get_object_or_404(Municipality.objects.active(), slug=slug)
    return _render_map(request, municipality)


def _render_map(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    context = {
        "municipality": municipality,
        "municipalities": Municipality.objects.active(),
        "boundary_url": reverse("api:municipality-detail", kwargs={"slug": municipality.slug}),
    }
    return render(request, "frontend/map.html", context)
