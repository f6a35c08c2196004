"""A resident's forms: the e-mail to sign in with, a new area alert."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.gis.geos import Point
from django.utils.translation import gettext_lazy as _

from geoportal.municipalities.models import Category, Municipality
from geoportal.residents.areas import RADIUS_MAX_M, RADIUS_MIN_M, AreaError, parse_polygon
from geoportal.residents.models import AlertArea, AlertFrequency


class EmailForm(forms.Form):
    email = forms.EmailField(
        label=_("Your e-mail"),
        max_length=254,
        error_messages={
            "required": _("Give the e-mail you file reports with."),
            "invalid": _("Give an e-mail address such as name@example.org."),
            "max_length": _("An e-mail address has at most 254 characters."),
        },
    )


class AlertForm(forms.Form):
    """A new area alert: the hromada, its area (the whole of it, a radius around a point or
    a polygon drawn on the map, each checked against the hromada), categories, how often."""

    municipality = forms.ModelChoiceField(
        label=_("Hromada"),
        queryset=Municipality.objects.none(),
        to_field_name="slug",
        empty_label=None,
        error_messages={"invalid_choice": _("Choose a hromada from the list.")},
    )
    area = forms.ChoiceField(
        label=_("Area"), choices=AlertArea.choices, widget=forms.RadioSelect, initial="hromada"
    )
    lat = forms.FloatField(label=_("Latitude"), required=False, min_value=-90, max_value=90)
    lon = forms.FloatField(label=_("Longitude"), required=False, min_value=-180, max_value=180)
    radius_m = forms.IntegerField(
        label=_("Radius, metres"),
        required=False,
        min_value=RADIUS_MIN_M,
        max_value=RADIUS_MAX_M,
        initial=500,
        error_messages={
            "min_value": _("The radius is from 50 m to 5 km."),
            "max_value": _("The radius is from 50 m to 5 km."),
        },
    )
    polygon = forms.CharField(
        label=_("Corners of the area (latitude, longitude — one corner a line)"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    categories = forms.ModelMultipleChoiceField(
        label=_("Categories (none chosen: all)"),
        queryset=Category.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choose categories from the list.")},
    )
    frequency = forms.ChoiceField(
        label=_("How often"),
        choices=AlertFrequency.choices,
        widget=forms.RadioSelect,
        initial="immediate",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        hromadas = Municipality.objects.active().order_by("name_uk")
        self.fields["municipality"].queryset = hromadas  # type: ignore[attr-defined]
        self.fields["categories"].queryset = (  # type: ignore[attr-defined]
            Category.objects.active()
            .filter(municipality__in=hromadas)
            .select_related("municipality")
            .order_by("municipality__name_uk", "name_uk")
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        hromada: Municipality | None = data.get("municipality")
        if hromada is None:
            return data
        for category in data.get("categories") or ():
            if category.municipality_id != hromada.pk:
                self.add_error("categories", _("Choose categories of the chosen hromada."))
                break
        area = data.get("area")
        if area == AlertArea.RADIUS:
            self._clean_radius(data, hromada)
        elif area == AlertArea.POLYGON:
            try:
                data["polygon_geometry"] = parse_polygon(data.get("polygon") or "", hromada)
            except AreaError as exc:
                self.add_error("polygon", str(exc))
        return data

    def _clean_radius(self, data: dict[str, Any], hromada: Municipality) -> None:
        lat, lon, radius = data.get("lat"), data.get("lon"), data.get("radius_m")
        if "radius_m" in self.errors or "lat" in self.errors or "lon" in self.errors:
            return
        if lat is None or lon is None:
            self.add_error("lat", _("Give the point: tap the map or type its coordinates."))
            return
        if radius is None:
            self.add_error("radius_m", _("The radius is from 50 m to 5 km."))
            return
        point = Point(lon, lat, srid=4326)
        if not hromada.boundary.intersects(point):
            self.add_error("lat", _("The point lies outside the hromada."))
            return
        data["center"] = point
