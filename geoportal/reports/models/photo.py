"""Photos of a report and of an answer: re-encoded, without EXIF, with a thumbnail."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from geoportal.reports import timebase


class ReportPhoto(models.Model):
    report = models.ForeignKey("reports.Report", on_delete=models.CASCADE, related_name="photos")
    # Set for an answer's "after" photo: the event that carried it.
    event = models.ForeignKey(
        "reports.ReportEvent",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="photos",
    )
    image = models.FileField(_("photo"), upload_to="reports/photos/", max_length=200)
    thumbnail = models.FileField(_("thumbnail"), upload_to="reports/thumbs/", max_length=200)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    position = models.PositiveSmallIntegerField(default=0)
    # Hidden by a moderator (personal data, faces...): staff still see it.
    is_hidden = models.BooleanField(_("hidden"), default=False)
    created_at = models.DateTimeField(default=timebase.now)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["report", "event", "position", "pk"]

    def __str__(self) -> str:
        return str(self.image.name)
