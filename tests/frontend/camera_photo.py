"""A phone camera's photo for the upload tests and the benchmark: 4000×3000 JPEG, about
5 MB (a picture with fine-grained noise, as a real scene compresses), EXIF orientation 6
(the phone was held upright: shown 3000×4000) and a GPS position."""

from __future__ import annotations

import random
from io import BytesIO

from PIL import ExifTags, Image, ImageDraw

SIZE = (4000, 3000)


def _dms(value: float) -> tuple[float, float, float]:
    degrees = int(value)
    minutes = int((value - degrees) * 60)
    seconds = round(((value - degrees) * 60 - minutes) * 60, 4)
    return (float(degrees), float(minutes), seconds)


def camera_photo(gps: tuple[float, float] | None, orientation: int = 6, seed: int = 17) -> bytes:
    """The JPEG's bytes (Pillow's own EXIF writing: no other library)."""
    rng = random.Random(seed)  # noqa: S311 (a picture, not a secret)
    width, height = SIZE
    # Coloured blocks (the scene) under noise (the sensor): compresses like a real photo.
    scene = Image.new("RGB", (width // 50, height // 50))
    scene.putdata(
        [(rng.randrange(256), rng.randrange(256), rng.randrange(256)) for _ in range(80 * 60)]
    )
    image = scene.resize(SIZE, Image.Resampling.BILINEAR)
    noise = Image.effect_noise(SIZE, 40).convert("RGB")
    image = Image.blend(image, noise, 0.22)
    # A mark in the top-left corner of the sensor: where it ends up shows the orientation.
    ImageDraw.Draw(image).rectangle((0, 0, 600, 400), fill="#d01010")
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "TestPhone"
    exif[ExifTags.Base.Model] = "Camera 12"
    exif[ExifTags.Base.Orientation] = orientation
    if gps is not None:
        lat, lon = gps
        exif[ExifTags.IFD.GPSInfo] = {
            ExifTags.GPS.GPSLatitudeRef: "N" if lat >= 0 else "S",
            ExifTags.GPS.GPSLatitude: _dms(abs(lat)),
            ExifTags.GPS.GPSLongitudeRef: "E" if lon >= 0 else "W",
            ExifTags.GPS.GPSLongitude: _dms(abs(lon)),
        }
    out = BytesIO()
    image.save(out, "JPEG", exif=exif, quality=92)
    return out.getvalue()
