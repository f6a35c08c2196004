"""Form fields of the layer admin that refuse bad input instead of failing on it."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.contrib.gis.gdal import GDALException
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from leaflet.admin import LeafletAdminWidget

from geoportal.reports.photos import check_and_reencode


class LeafletMapWidget(LeafletAdminWidget):
    """The admin's map; a refused value that GDAL cannot parse (GeoJSON with no coordinates,
    say) is shown as an empty map, not a server error while the form is shown again."""

    def deserialize(self, value: Any) -> Any:
        try:
            return super().deserialize(value)
        except GDALException:
            return None


class CheckedPhotoField(forms.FileField):
    """A photo of a feature, checked and re-encoded as the residents' photos are: the real
    type, the size and pixel limits; what is stored is a new JPEG under a random name, so
    nothing else an upload carries (EXIF, a script or an archive appended) is kept."""

    def to_python(self, data: Any) -> Any:
        upload = super().to_python(data)
        if upload is None:
            return None
        try:
            photo = check_and_reencode(upload, upload.name or "photo", field="photo")
        except ValidationError as exc:
            raise forms.ValidationError(exc.message_dict["photo"]) from None
        return SimpleUploadedFile(f"{uuid.uuid4().hex}.jpg", photo.data, "image/jpeg")
