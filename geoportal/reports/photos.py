"""Photos of reports and answers: the real type checked, re-encoded without EXIF.

An upload is refused, with its name and the reason, when it is over the size or pixel
limit, not really a JPEG, PNG or WebP (whatever its name says), or damaged. An accepted
one is decoded and encoded again as JPEG, which drops every EXIF tag (GPS included);
its GPS position is read first, so that it can be offered as the report's location.
Nothing is written to storage here: `store` does it once the report is being saved.
"""

from __future__ import annotations

import uuid
import warnings
from dataclasses import dataclass
from io import BytesIO
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _
from PIL import ExifTags, Image, ImageOps, UnidentifiedImageError

ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP"}
LONG_SIDE = 2560  # stored photos are at most this wide or high
THUMB_SIDE = 480
JPEG_QUALITY = 85


@dataclass(frozen=True)
class Photo:
    """A checked, re-encoded photo, still in memory."""

    name: str
    data: bytes
    thumbnail: bytes
    width: int
    height: int
    gps: tuple[float, float] | None  # (lat, lon) found in the upload's EXIF


def _refuse(field: str, name: str, reason: str) -> ValidationError:
    return ValidationError({field: f"{name}: {reason}"})


def _megabytes(size: int) -> str:
    return _("%(size).1f MB") % {"size": size / 1024 / 1024}


def read_gps(exif: Image.Exif) -> tuple[float, float] | None:
    """(lat, lon) from the EXIF GPS tags, or None when absent or nonsense."""
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    try:
        lat = _degrees(gps[ExifTags.GPS.GPSLatitude], gps.get(ExifTags.GPS.GPSLatitudeRef, "N"))
        lon = _degrees(gps[ExifTags.GPS.GPSLongitude], gps.get(ExifTags.GPS.GPSLongitudeRef, "E"))
    except (KeyError, TypeError, ValueError, ZeroDivisionError):
        return None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180) or (lat, lon) == (0, 0):
        return None
    return round(lat, 7), round(lon, 7)


def _degrees(parts: Any, ref: Any) -> float:
    degrees, minutes, seconds = (float(p) for p in parts)
    value = degrees + minutes / 60 + seconds / 3600
    ref = ref.decode() if isinstance(ref, bytes) else str(ref)
    return -value if ref.strip().upper() in {"S", "W"} else value


def _opened(
    upload: IO[bytes], name: str, field: str
) -> tuple[Image.Image, tuple[float, float] | None]:
    """The upload opened and checked, its pixels not decoded yet, and its GPS position: a
    ValidationError names the file and the reason (size, type, pixels, damage)."""
    limit = settings.REPORT_PHOTO_MAX_BYTES
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise _refuse(
            field, name, _("the file is larger than %(size)s.") % {"size": _megabytes(limit)}
        )
    if not data:
        raise _refuse(field, name, _("the file is empty."))
    max_pixels = settings.REPORT_PHOTO_MAX_PIXELS
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(BytesIO(data))
            if image.format not in ACCEPTED_FORMATS:
                raise _refuse(field, name, _("send a JPEG, PNG or WebP photo."))
            width, height = image.size
            if width * height > max_pixels:
                raise _refuse(
                    field, name,
                    _("the image has %(found).0f megapixels; the limit is %(limit).0f.")
                    % {"found": width * height / 1e6, "limit": max_pixels / 1e6},
                )  # fmt: skip
            return image, read_gps(image.getexif())
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _refuse(
            field,
            name,
            _("the image has too many pixels; the limit is %(limit).0f megapixels.")
            % {"limit": max_pixels / 1e6},
        ) from None
    except UnidentifiedImageError:
        raise _refuse(field, name, _("this is not an image (JPEG, PNG or WebP).")) from None
    except (OSError, SyntaxError, ValueError, EOFError):
        raise _refuse(field, name, _("the image is damaged and cannot be read.")) from None


def read_location(upload: IO[bytes], name: str, field: str = "photo") -> tuple[float, float] | None:
    """The GPS position in a photo's EXIF, checked like any upload but never decoded: the
    header and EXIF are read (well under a millisecond for a 40-megapixel JPEG, whose
    decoding takes seconds)."""
    return _opened(upload, name, field)[1]


def check_and_reencode(upload: IO[bytes], name: str, field: str = "photos") -> Photo:
    """Check one upload and re-encode it; a ValidationError names the file and the reason."""
    image, gps = _opened(upload, name, field)
    # A JPEG is decoded at the smallest scale (1/2, 1/4, 1/8) still at least LONG_SIDE on
    # each side: a 40-megapixel photo costs a quarter of the work, and is stored no larger.
    image.draft("RGB", (LONG_SIDE, LONG_SIDE))
    try:
        image.load()
    except (OSError, SyntaxError, ValueError, EOFError):
        raise _refuse(field, name, _("the image is damaged and cannot be read.")) from None
    picture = _flatten(ImageOps.exif_transpose(image))
    picture.thumbnail((LONG_SIDE, LONG_SIDE))
    return Photo(
        name=name,
        data=_jpeg(picture, JPEG_QUALITY),
        thumbnail=_jpeg(_thumb(picture), 80),
        width=picture.width,
        height=picture.height,
        gps=gps,
    )


def _flatten(image: Image.Image) -> Image.Image:
    """RGB on white: transparency and palettes do not survive JPEG."""
    if image.mode in {"RGBA", "LA", "P"}:
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, "white")
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image if image.mode == "RGB" else image.convert("RGB")


def _thumb(image: Image.Image) -> Image.Image:
    copy = image.copy()
    # Halved by a box filter first, then bicubic: a third of the default's time, and at
    # 480 pixels no eye tells them apart.
    copy.thumbnail((THUMB_SIDE, THUMB_SIDE), Image.Resampling.BICUBIC, reducing_gap=1.0)
    return copy


def _jpeg(image: Image.Image, quality: int) -> bytes:
    out = BytesIO()
    # No `exif=` argument: the encoded file carries no EXIF at all. No `optimize=True`: it
    # saves ~5 % of the bytes for a second Huffman pass, half again the encoding time.
    image.save(out, "JPEG", quality=quality)
    return out.getvalue()


def check_all(uploads: list[Any], field: str = "photos") -> list[Photo]:
    """Check every upload before anything is stored: all are accepted, or none."""
    if len(uploads) > settings.REPORT_PHOTOS_MAX:
        raise ValidationError(
            {
                field: _("At most %(limit)s photos; %(sent)s were sent.")
                % {"limit": settings.REPORT_PHOTOS_MAX, "sent": len(uploads)}
            }
        )
    return [
        check_and_reencode(upload, getattr(upload, "name", "") or f"{i + 1}", field)
        for i, upload in enumerate(uploads)
    ]


class StoredFiles:
    """Names written to storage by one save, removed again if the save fails."""

    def __init__(self) -> None:
        self.names: list[str] = []

    def write(self, folder: str, data: bytes) -> str:
        name = default_storage.save(f"{folder}/{uuid.uuid4().hex}.jpg", ContentFile(data))
        self.names.append(name)
        return name

    def remove(self) -> None:
        for name in self.names:
            default_storage.delete(name)
        self.names.clear()


def store(
    photos: list[Photo], report: Any, files: StoredFiles, event: Any = None, first: int = 0
) -> list[Any]:
    """Write the photos and their rows (inside the caller's transaction)."""
    from geoportal.reports.models import ReportPhoto

    rows = []
    for position, photo in enumerate(photos, start=first):
        rows.append(
            ReportPhoto.objects.create(
                report=report,
                event=event,
                image=files.write("reports/photos", photo.data),
                thumbnail=files.write("reports/thumbs", photo.thumbnail),
                width=photo.width,
                height=photo.height,
                position=position,
            )
        )
    return rows
