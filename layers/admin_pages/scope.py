"""What the conflict report's pages share: the hromada a person may see, and the options of
the report read from the query string."""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from geoportal.municipalities.models import Municipality
from layers.cadastre import quarter_validator
from layers.conflicts import (
    DEFAULT_AREA_TOLERANCE_PERCENT,
    DEFAULT_MIN_OVERLAP_M2,
    DEFAULT_MIN_SPACING_M,
    LandChecks,
)


def chosen_hromada(
    request: HttpRequest,
) -> tuple[QuerySet[Municipality], Municipality | None] | HttpResponse:
    """The hromadas the person works for and the one asked (else their own); all of them
    together (None) only for the superuser. Another hromada's report is not theirs: the
    answer is the admin's "does not exist" redirect to its index."""
    user = request.user
    municipalities = Municipality.objects.active().staffed_by(user)
    slug = request.GET.get("municipality")
    own = getattr(user, "municipality", None)
    if slug is None and own is not None:
        slug = own.slug
    municipality = municipalities.filter(slug=slug).first() if slug else None
    if (slug and municipality is None) or (municipality is None and not user.is_superuser):
        messages.warning(request, _("There is no hromada %(slug)s.") % {"slug": slug or "—"})
        return HttpResponseRedirect(reverse("admin:index"))
    return municipalities, municipality


class ReportOptions(forms.Form):
    """The report's thresholds and its quarter; a value left out takes its default."""

    quarter = forms.CharField(
        label=gettext_lazy("Cadastral quarter"),
        required=False,
        max_length=17,
        validators=[quarter_validator],
        help_text=gettext_lazy("KOATUU:zone:quarter, e.g. 1412600000:01:001; empty: all."),
    )
    min_overlap = forms.FloatField(
        label=gettext_lazy("Smallest overlap of plots listed, m²"),
        required=False,
        min_value=0,
    )
    area_tolerance = forms.FloatField(
        label=gettext_lazy("Tolerance of the registered area, %"),
        required=False,
        min_value=0,
        max_value=99,
    )
    min_spacing = forms.FloatField(
        label=gettext_lazy("Minimum spacing of advertising structures, m"),
        required=False,
        min_value=1,
    )

    DEFAULTS = {
        "quarter": "",
        "min_overlap": DEFAULT_MIN_OVERLAP_M2,
        "area_tolerance": DEFAULT_AREA_TOLERANCE_PERCENT,
        "min_spacing": DEFAULT_MIN_SPACING_M,
    }

    def __init__(self, request: HttpRequest) -> None:
        given = {name: request.GET[name] for name in self.DEFAULTS if name in request.GET}
        super().__init__(given)
        self.is_valid()  # fills cleaned_data and errors at once

    def value(self, name: str) -> str | float:
        """The cleaned value, or the default where the field was left out or refused."""
        found = self.cleaned_data.get(name) if hasattr(self, "cleaned_data") else None
        return found if found not in (None, "") else self.DEFAULTS[name]  # type: ignore[return-value]

    def land(self) -> LandChecks:
        quarter = str(self.value("quarter")) or None
        return LandChecks(float(self.value("min_overlap")), float(self.value("area_tolerance")),
                          quarter)  # fmt: skip

    def query(self, municipality: Municipality | None, quarter: str | None = None) -> str:
        """The hromada and the options as a query string (another quarter if given), for
        the CSV and the other page."""
        land = self.land()
        return urlencode({
            "municipality": municipality.slug if municipality else "",
            "quarter": quarter or land.quarter or "",
            "min_overlap": f"{land.min_overlap_m2:g}",
            "area_tolerance": f"{land.area_tolerance_percent:g}",
            "min_spacing": f"{float(self.value('min_spacing')):g}",
        })  # fmt: skip

    def refusal(self) -> HttpResponse | None:
        """A 400 naming each refused field and the reason, for a download."""
        if not self.errors:
            return None
        lines = [f"{name}: {' '.join(map(str, errors))}" for name, errors in self.errors.items()]
        return HttpResponse("\n".join(lines), status=400, content_type="text/plain; charset=utf-8")
