"""Admin page: upload a GIS file into a layer and see the same report as import_layer."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from geoportal.municipalities.models import Municipality
from layers.importing import ImportOptions, ImportReport, import_file
from layers.importing.formats import UPLOAD_SUFFIXES
from layers.kinds import LayerKind
from layers.registry import get_layer

# The upload's own name is never used as a path: only its suffix picks GDAL's driver.
ALLOWED_SUFFIXES = UPLOAD_SUFFIXES
MAX_UPLOAD_BYTES = 200 * 1024 * 1024


class ImportForm(forms.Form):
    layer = forms.ChoiceField(label=gettext_lazy("Layer"), choices=LayerKind.choices)
    municipality = forms.ModelChoiceField(
        label=gettext_lazy("Hromada"), queryset=Municipality.objects.active()
    )
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy(
            "GeoPackage, GeoJSON, KML, CSV (WKT or lon/lat columns), FlatGeobuf or a zipped "
            "Shapefile. The file must hold its data itself: references to other files or "
            "addresses (a GDAL VRT, a KML NetworkLink, a GeoJSON crs link) are refused."
        ),
    )
    srid = forms.IntegerField(
        label=gettext_lazy("EPSG code of the coordinates"),
        required=False,
        help_text=gettext_lazy("Only when the file declares none or a wrong one, e.g. 6385."),
    )
    update_existing = forms.BooleanField(label=gettext_lazy("Update existing"), required=False)
    make_valid = forms.BooleanField(label=gettext_lazy("Repair invalid geometry"), required=False)
    skip_bad_rows = forms.BooleanField(label=gettext_lazy("Skip bad rows"), required=False)
    dry_run = forms.BooleanField(
        label=gettext_lazy("Only check, write nothing"), required=False, initial=True
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only the hromadas the person works for: another one's id is "not a valid choice".
        field = self.fields["municipality"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Municipality.objects.active().staffed_by(user)
        if field.queryset.count() == 1:
            field.initial = field.queryset.get()

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        suffix = Path(upload.name or "").suffix.lower()
        if suffix not in ALLOWED_SUFFIXES:
            raise forms.ValidationError(
                _("Files of type %(suffix)s cannot be imported; use one of %(allowed)s.")
                % {"suffix": suffix or "?", "allowed": ", ".join(ALLOWED_SUFFIXES)}
            )
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 200 MB."))
        return upload


def _may_import(request: HttpRequest, layer: str | None = None) -> bool:
    layers = [layer] if layer else [kind.value for kind in LayerKind]
    return any(
        request.user.has_perm(f"layers.add_{get_layer(name).model._meta.model_name}")
        for name in layers
    )


def import_view(request: HttpRequest) -> HttpResponse:
    if not _may_import(request):
        raise PermissionDenied
    report: ImportReport | None = None
    form = ImportForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if not _may_import(request, data["layer"]):
            raise PermissionDenied
        upload = data["file"]
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / f"upload{Path(upload.name).suffix.lower()}"
            with path.open("wb") as target:
                for chunk in upload.chunks():
                    target.write(chunk)
            report = import_file(
                path,
                ImportOptions(
                    layer=data["layer"],
                    municipality=data["municipality"],
                    srid=data["srid"],
                    update_existing=data["update_existing"],
                    make_valid=data["make_valid"],
                    skip_bad_rows=data["skip_bad_rows"],
                    dry_run=data["dry_run"],
                    user=request.user,
                    file_name=Path(upload.name).name,
                ),
            )
    context = {
        **admin.site.each_context(request),
        "title": _("Import a layer file"),
        "form": form,
        "report": report,
    }
    # A refused upload (a bad field, or a file of which nothing was written) is a 400.
    refused = form.is_bound and (
        not form.is_valid() or (report is not None and bool(report.errors) and not report.written)
    )
    return render(request, "admin/layers/import.html", context, status=400 if refused else 200)
