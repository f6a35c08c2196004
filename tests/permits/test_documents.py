"""An application's documents are taken by their real type (PDF, JPEG, PNG), images are
re-encoded without EXIF, PDFs are size-limited; a refusal names the file and stores nothing."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from PIL import Image

from geoportal.permits.models import Application, ApplicationDocument
from tests.permits.conftest import apply, jpeg, pdf, png

PDF_LIMIT = 64 * 1024

CASES = [
    # (upload, accepted type or the refusal's words)
    ("a PDF", lambda: pdf(), "application/pdf"),
    ("a JPEG", lambda: jpeg(), "image/jpeg"),
    ("a PNG with EXIF", lambda: png(with_exif=True), "image/jpeg"),
    ("a PDF renamed .jpg", lambda: pdf(name="scheme.jpg"), "named as JPEG but is really PDF"),
    ("a PNG renamed .pdf", lambda: png(name="scheme.pdf"), "named as PDF but is really PNG"),
    ("an HTML file", lambda: ContentFile(b"<html><script>alert(1)</script></html>", name="a.pdf"),
     "send a PDF, JPEG or PNG file"),
    ("an HTML file named .html", lambda: ContentFile(b"<!doctype html><p>x", name="a.html"),
     "send a PDF, JPEG or PNG file"),
    ("a huge PDF", lambda: pdf(size=PDF_LIMIT + 1), "larger than"),
    ("a truncated PDF", lambda: ContentFile(b"%PDF-1.4\n1 0 obj", name="cut.pdf"),
     "incomplete or damaged"),
    ("a PDF with JavaScript", lambda: pdf(body=b"<< /S /JavaScript /JS (app.alert(1)) >>\n"),
     "scripts"),
    ("a GIF", lambda: ContentFile(b"GIF89a\x01\x00\x01\x00", name="a.gif"), "send a PDF"),
]  # fmt: skip


@pytest.mark.parametrize(("label", "upload", "outcome"), CASES, ids=[c[0] for c in CASES])
def test_documents_by_their_real_type(pokrovsk, settings, media, label, upload, outcome):
    settings.PERMIT_PDF_MAX_BYTES = PDF_LIMIT
    file = upload()
    if "/" in outcome:
        application = apply(pokrovsk, documents=[("site_scheme", file)])
        document = application.documents.get()
        assert document.content_type == outcome and document.original_name == file.name
        stored = document.file.read()
        assert document.size == len(stored)
        if outcome.startswith("image/"):
            image = Image.open(BytesIO(stored))
            assert image.format == "JPEG" and not image.getexif()  # no EXIF, no GPS
            assert b"TestPhone" not in stored
        assert document.download_name.endswith(".pdf" if "pdf" in outcome else ".jpg")
        return
    with pytest.raises(ValidationError) as refused:
        apply(pokrovsk, documents=[("site_scheme", file)])
    message = " ".join(refused.value.message_dict["documents"])
    assert outcome in message and file.name in message
    assert Application.objects.count() == 0 and ApplicationDocument.objects.count() == 0
    assert not any(p.is_file() for p in media.rglob("*"))


def test_one_bad_document_stores_none(pokrovsk, media):
    with pytest.raises(ValidationError):
        apply(
            pokrovsk,
            documents=[("site_scheme", pdf()), ("site_photo", ContentFile(b"x", name="x.png"))],
        )
    assert not any(p.is_file() for p in media.rglob("*"))


def test_an_installation_photo_must_be_an_image(pokrovsk):
    application = apply(pokrovsk)
    with pytest.raises(ValidationError, match="JPEG or PNG photo"):
        application.report_installation(application.tracking_code, pdf())
