"""Photos: the real type checked, limits kept, EXIF (GPS included) gone from stored files."""

from __future__ import annotations

import os
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from PIL import Image

from geoportal.reports.models import Report, ReportPhoto
from geoportal.reports.photos import check_and_reencode
from tests.reports.conftest import file_report, jpeg, stored_files

GPS = (48.27835, 37.18012)


def png(size: tuple[int, int], mode: str = "1", noise: bool = False) -> bytes:
    if noise:
        image = Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3))
    else:
        image = Image.new(mode, size)
    out = BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def test_gps_is_read_then_absent_from_every_stored_file(pokrovsk, media):
    report = file_report(photos=[jpeg(gps=GPS, size=(1200, 900))])
    photo = report.photos.get()
    files = stored_files(media)
    assert {p.name for p in files} == {
        str(photo.image.name).split("/")[-1], str(photo.thumbnail.name).split("/")[-1],
    }  # fmt: skip
    for path in files:
        data = path.read_bytes()
        with Image.open(BytesIO(data)) as stored:
            assert stored.format == "JPEG"
            assert dict(stored.getexif()) == {}  # no tag at all: no GPS, no camera
        assert b"Exif" not in data and b"TestPhone" not in data
    # The upload itself carried them (so the check above means something).
    original = jpeg(gps=GPS).read()
    assert b"Exif" in original and b"TestPhone" in original
    assert (photo.width, photo.height) == (1200, 900)


def test_the_gps_position_is_offered_from_the_upload():
    photo = check_and_reencode(jpeg(gps=GPS), "phone.jpg")
    assert photo.gps == pytest.approx(GPS, abs=1e-5)
    assert check_and_reencode(jpeg(), "no-gps.jpg").gps is None


@pytest.mark.parametrize(
    ("upload", "reason"),
    [
        (ContentFile(b"%PDF-1.7 not a photo at all", name="scan.jpg"), "not an image"),
        (ContentFile(b"GIF89a" + bytes(200), name="anim.jpg"), "not an image"),
        (ContentFile(b"", name="empty.jpg"), "empty"),
        (ContentFile(jpeg().read()[:300], name="cut.jpg"), "damaged"),
    ],
)
def test_a_non_image_named_jpg_is_refused_and_leaves_nothing(pokrovsk, media, upload, reason):
    with pytest.raises(ValidationError) as caught:
        file_report(photos=[jpeg(name="good.jpg"), upload])
    message = caught.value.message_dict["photos"][0]
    assert message.startswith(f"{upload.name}:") and reason in message
    assert not Report.objects.exists() and not ReportPhoto.objects.exists()
    assert stored_files(media) == []


def test_a_photo_over_10_mb_is_refused(pokrovsk, media):
    big = png((2100, 1800), noise=True)  # random pixels do not compress: ~11 MB
    assert len(big) > 10 * 1024 * 1024
    with pytest.raises(ValidationError) as caught:
        file_report(photos=[ContentFile(big, name="huge.png")])
    assert "larger than 10.0 MB" in caught.value.message_dict["photos"][0]
    assert stored_files(media) == [] and not Report.objects.exists()


@pytest.mark.parametrize(
    ("size", "reason"),
    [
        ((8000, 6000), "48 megapixels; the limit is 40"),  # small file, too many pixels
        ((30000, 30000), "too many pixels"),  # a decompression bomb of a few hundred KB
    ],
)
def test_too_many_pixels_and_decompression_bombs_are_refused(pokrovsk, media, size, reason):
    bomb = png(size)
    assert len(bomb) < 2 * 1024 * 1024
    with pytest.raises(ValidationError) as caught:
        file_report(photos=[ContentFile(bomb, name="bomb.png")])
    assert reason in caught.value.message_dict["photos"][0]
    assert stored_files(media) == [] and not Report.objects.exists()


def test_at_most_five_photos(pokrovsk, media):
    with pytest.raises(ValidationError, match="At most 5 photos; 6 were sent"):
        file_report(photos=[jpeg() for _ in range(6)])
    assert stored_files(media) == []


def test_png_with_transparency_is_stored_as_jpeg_with_a_thumbnail(pokrovsk):
    image = Image.new("RGBA", (3000, 1000), (255, 0, 0, 0))
    out = BytesIO()
    image.save(out, "PNG")
    report = file_report(photos=[ContentFile(out.getvalue(), name="sign.png")])
    photo = report.photos.get()
    assert (photo.width, photo.height) == (2560, 853)  # long side capped at 2560 px
    with Image.open(photo.thumbnail.path) as thumb:
        assert thumb.format == "JPEG" and max(thumb.size) == 480


def test_a_failed_save_removes_the_files_it_wrote(pokrovsk, media, monkeypatch):
    from geoportal.reports import intake

    def broken(report, event):
        raise RuntimeError("mail queue unavailable")

    monkeypatch.setattr(intake, "notify_event", broken)
    with pytest.raises(RuntimeError):
        file_report(photos=[jpeg(), jpeg()])
    assert stored_files(media) == [] and not Report.objects.exists()


def test_an_answer_refused_keeps_none_of_its_photos(pokrovsk, media, moderator, worker_zhkg,
                                                    worker_arch):  # fmt: skip
    from geoportal.reports.errors import NotAllowedError
    from geoportal.reports.photos import check_all

    report = file_report()
    report.approve(moderator)
    report.accept(worker_zhkg)
    before = stored_files(media)
    with pytest.raises(NotAllowedError):
        report.resolve(worker_arch, "Не наш звіт", check_all([jpeg(), jpeg()]))
    assert stored_files(media) == before
    report.resolve(worker_zhkg, "Готово", check_all([jpeg(gps=GPS)]))
    after = report.events.get(action="resolve").photos.get()
    assert b"Exif" not in after.image.read()
    assert len(stored_files(media)) == len(before) + 2
