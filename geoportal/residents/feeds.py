"""Atom feeds of public reports: a hromada's, a category's and an area's (`bbox`).

The reports are the public map's (Report.objects.public(): never new, rejected or
duplicates, nor of a hromada switched off), newest first; each entry carries public fields
only (no reporter's name, e-mail or phone, even when the name is shown on the page) and its
point as GeoRSS.
"""

from __future__ import annotations

import math
from typing import Any

from django.contrib.gis.feeds import Feed, GeoAtom1Feed
from django.contrib.gis.geos import Point, Polygon
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _

from geoportal.municipalities.models import Category, Municipality
from geoportal.reports.models import Report

ENTRIES = 50


class ReportFeed(Feed):
    feed_type = GeoAtom1Feed

    def reports(self, obj: Any) -> Any:
        """The public reports of the feed's hromada, category or area."""
        raise NotImplementedError

    def items(self, obj: Any) -> list[Report]:
        reports = self.reports(obj).select_related("category", "municipality")
        return list(reports.order_by("-created_at", "-pk")[:ENTRIES])

    def item_title(self, item: Report) -> str:
        return f"#{item.pk} {item.title}"

    def item_description(self, item: Report) -> str:
        lines = [f"{item.category.name} · {item.get_state_display()}"]
        if item.address:
            lines.append(item.address)
        lines.append(item.description)
        if item.public_answer:
            lines.append(_("Answer: %(answer)s") % {"answer": item.public_answer})
        return "\n\n".join(lines)

    def item_link(self, item: Report) -> str:
        return item.get_absolute_url()

    def item_pubdate(self, item: Report) -> Any:
        return item.created_at

    def item_updateddate(self, item: Report) -> Any:
        return item.updated_at

    def item_categories(self, item: Report) -> list[str]:
        return [item.category.name]

    def item_geometry(self, item: Report) -> Point:
        return item.point


class HromadaFeed(ReportFeed):
    def get_object(self, request: HttpRequest, slug: str) -> Municipality:
        return get_object_or_404(Municipality, slug=slug, is_active=True)

    def reports(self, obj: Municipality) -> Any:
        return Report.objects.public().filter(municipality=obj)

    def title(self, obj: Municipality) -> str:
        return _("New reports: %(hromada)s") % {"hromada": obj.name}

    def link(self, obj: Municipality) -> str:
        return reverse("frontend:map-detail", kwargs={"slug": obj.slug})

    def subtitle(self, obj: Municipality) -> str:
        return _("Public reports of residents on the city map.")


class CategoryFeed(ReportFeed):
    def get_object(self, request: HttpRequest, slug: str, code: str) -> Category:
        return get_object_or_404(
            Category.objects.select_related("municipality"),
            municipality__slug=slug,
            municipality__is_active=True,
            code=code,
        )

    def reports(self, obj: Category) -> Any:
        return Report.objects.public().filter(category=obj)

    def title(self, obj: Category) -> str:
        return _("New reports: %(hromada)s, %(category)s") % {
            "hromada": obj.municipality.name,
            "category": obj.name,
        }

    def link(self, obj: Category) -> str:
        return reverse("frontend:map-detail", kwargs={"slug": obj.municipality.slug})

    def subtitle(self, obj: Category) -> str:
        return _("Public reports of residents on the city map.")


class BoxError(ValueError):
    pass


def parse_bbox(raw: str | None) -> Polygon:
    """west,south,east,north in degrees (WGS 84); BoxError with the reason otherwise."""
    if not raw:
        raise BoxError(_("bbox: give the area as west,south,east,north in degrees."))
    try:
        numbers = [float(part) for part in raw.split(",")]
    except ValueError:
        numbers = []
    if len(numbers) != 4 or not all(math.isfinite(n) for n in numbers):
        raise BoxError(_("bbox: give four finite numbers: west,south,east,north."))
    west, south, east, north = numbers
    if not (-180 <= west < east <= 180 and -90 <= south < north <= 90):
        raise BoxError(
            _(
                "bbox: must be west < east within ±180 and south < north within ±90 "
                "(degrees, WGS 84)."
            )
        )
    return Polygon.from_bbox((west, south, east, north))


class AreaFeed(ReportFeed):
    def __call__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            parse_bbox(request.GET.get("bbox"))
        except BoxError as exc:
            return HttpResponse(
                str(exc) + "\n", status=400, content_type="text/plain; charset=utf-8"
            )
        return super().__call__(request, *args, **kwargs)

    def get_object(self, request: HttpRequest) -> Polygon:
        box = parse_bbox(request.GET.get("bbox"))
        box.srid = 4326
        return box

    def reports(self, obj: Polygon) -> Any:
        return Report.objects.public().filter(point__within=obj)

    def title(self, obj: Polygon) -> str:
        return _("New reports in the chosen area")

    def link(self, obj: Polygon) -> str:
        return reverse("frontend:home")

    def feed_url(self, obj: Polygon) -> str:
        west, south, east, north = obj.extent
        return reverse("residents:feed-area") + f"?bbox={west},{south},{east},{north}"

    def subtitle(self, obj: Polygon) -> str:
        return _("Public reports of residents on the city map.")
