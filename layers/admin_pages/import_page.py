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
from pyproj.exceptions import CRSError

from geoportal.municipalities.models import Municipality
from layers.importing import ImportOptions, ImportReport, import_file
from layers.importing.formats import UPLOAD_SUFFIXES
from layers.importing.reader import coordinate_system
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
    srid = forms.CharField(
        label=gettext_lazy("Coordinate system of the coordinates"),
        required=False,
        max_length=4000,
        help_text=gettext_lazy(
            "Only when the file declares none, a wrong one or one without a datum shift: an "
            "EPSG code (6385), a WKT or a PROJ string (+towgs84=... for SK-63)."
        ),
    )
    mapping = forms.CharField(
        label=gettext_lazy("Columns"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 50}),
        help_text=gettext_lazy(
            "field=COLUMN, one per line, where the guess is wrong. After a check the mapping "
            "it used is shown here to correct; choose the file again to import with it."
        ),
    )
    update_existing = forms.BooleanField(label=gettext_lazy("Update existing"), required=False)
    confirm_moves = forms.BooleanField(
        label=gettext_lazy("Confirm moves"),
        required=False,
        help_text=gettext_lazy(
            "Write updates that move a stored feature by more than the tolerance "
            "(LAYER_IMPORT_MOVE_TOLERANCE_CM); otherwise each is an error."
        ),
    )
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

    def clean_srid(self) -> str | None:
        text = self.cleaned_data["srid"].strip()
        if not text:
            return None
        try:
            coordinate_system(text)
        except CRSError:
            raise forms.ValidationError(
                _("PROJ does not know this coordinate system; give an EPSG code, a WKT or a "
                  "PROJ string.")
            ) from None  # fmt: skip
        return text

    def clean_mapping(self) -> dict[str, str]:
        found: dict[str, str] = {}
        for number, line in enumerate(self.cleaned_data["mapping"].splitlines(), 1):
            if not line.strip():
                continue
            field, sep, column = (part.strip() for part in line.partition("="))
            if not sep or not field or not column:
                raise forms.ValidationError(
                    _("Line %(number)s: write it as field=COLUMN.") % {"number": number}
                )
            found[field] = column
        return found

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
                    mapping=data["mapping"],
                    update_existing=data["update_existing"],
                    confirm_moves=data["confirm_moves"],
                    make_valid=data["make_valid"],
                    skip_bad_rows=data["skip_bad_rows"],
                    dry_run=data["dry_run"],
                    user=request.user,
                    file_name=Path(upload.name).name,
                    entry="page",
                ),
            )
    # A refused upload (a bad field, or a file of which nothing was written) is a 400.
    refused = form.is_bound and (
        not form.is_valid() or (report is not None and bool(report.errors) and not report.written)
    )
    if report is not None and report.columns:
        # The same choices again, with the mapping the import used to correct: the person
        # chooses the file again and sends it with the mapping they confirmed.
        used = "\n".join(f"{name}={column}" for name, column in report.columns.items())
        initial = {k: v for k, v in form.cleaned_data.items() if k not in {"file", "mapping"}}
        form = ImportForm(initial={**initial, "mapping": used}, user=request.user)
    context = {
        **admin.site.each_context(request),
        "title": _("Import a layer file"),
        "form": form,
        "report": report,
    }
    return render(request, "admin/layers/import.html", context, status=400 if refused else 200)
