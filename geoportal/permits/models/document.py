"""The documents of an application: site scheme, façade sketch, photos, mock-ups.

Private: stored under media/permits/ (which nginx never serves) and handed out only by a
checked view to the applicant and the hromada's staff, as an attachment, never inline.
Only PDF, JPEG and PNG are taken, by their real type (intake.check_document)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from geoportal.procedure import timebase


class DocumentKind(models.TextChoices):
    SITE_SCHEME = "site_scheme", _("Site scheme")
    FACADE_SKETCH = "facade_sketch", _("Façade sketch")
    SITE_PHOTO = "site_photo", _("Photo of the site")
    MOCKUP = "mockup", _("Mock-up")
    INSTALLATION_PHOTO = "installation_photo", _("Photo of the installed structure")
    OTHER = "other", _("Other document")


class DocumentType(models.TextChoices):
    PDF = "application/pdf", "PDF"
    JPEG = "image/jpeg", "JPEG"
    PNG = "image/png", "PNG"


class ApplicationDocument(models.Model):
    application = models.ForeignKey(
        "permits.Application",
        on_delete=models.CASCADE,
        related_name="documents",
        verbose_name=_("application"),
    )
    kind = models.CharField(_("kind"), max_length=24, choices=DocumentKind.choices)
    file = models.FileField(_("file"), upload_to="permits/documents/", max_length=200)
    content_type = models.CharField(_("type"), max_length=32, choices=DocumentType.choices)
    size = models.PositiveIntegerField(_("size, bytes"))
    original_name = models.CharField(_("file name as sent"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("uploaded"), default=timebase.now)

    class Meta:
        verbose_name = _("application document")
        verbose_name_plural = _("application documents")
        ordering = ["application", "created_at", "pk"]

    def __str__(self) -> str:
        return self.original_name or str(self.file.name)

    @property
    def download_name(self) -> str:
        """The name an attachment is offered under: the application's number and the kind,
        with the extension of its real type."""
        extension = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}
        return (
            f"{self.application.number}-{self.kind}-{self.pk}.{extension[str(self.content_type)]}"
        )
