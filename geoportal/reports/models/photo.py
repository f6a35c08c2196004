"""Photos of a report and of an answer: re-encoded, without EXIF, with a thumbnail.

A photo is public while its report is (Report.objects.publicly_visible), it is not hidden
and, for an answer's photo, its event is public. Its files are never served straight from
the storage: every URL of a photo (`photo.image.url`, `photo.thumbnail.url`) is the
checked view of geoportal/reports/photo_serving, which answers 404 to whoever may not see
it at the moment of the request.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q
from django.db.models.fields.files import FieldFile
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from geoportal.reports import timebase

# The two files of a photo, as the checked view's URLs name them.
KINDS = ("image", "thumbnail")


class CheckedFieldFile(FieldFile):
    """A photo's file whose URL is the checked view, never the storage's own address: no
    page, API field or export can hand out a direct link by using `.url`."""

    @property
    def url(self) -> str:
        self._require_file()  # type: ignore[attr-defined]
        photo: ReportPhoto = self.instance  # type: ignore[assignment]
        return photo.url_of(self.field.name)


class CheckedFileField(models.FileField):
    attr_class = CheckedFieldFile


class ReportPhotoQuerySet(models.QuerySet["ReportPhoto"]):
    def public(self) -> ReportPhotoQuerySet:
        """Photos anyone may see now (the rule of `ReportPhoto.is_public`, in SQL)."""
        from geoportal.reports.models import Report

        return self.filter(
            Q(event__isnull=True) | Q(event__is_public=True),
            is_hidden=False,
            report__in=Report.objects.publicly_visible(),
        )

    def for_staff(self, user: Any) -> ReportPhotoQuerySet:
        """Every photo, hidden ones included, of the reports this person works on."""
        from geoportal.reports.models import Report

        return self.filter(report__in=Report.objects.staff_scope(user))


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
    # Set for a photo of a resident's update: hidden until a moderator publishes the update.
    update = models.ForeignKey(
        "reports.ReportUpdate",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="photos",
    )
    image = CheckedFileField(_("photo"), upload_to="reports/photos/", max_length=200)
    thumbnail = CheckedFileField(_("thumbnail"), upload_to="reports/thumbs/", max_length=200)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    position = models.PositiveSmallIntegerField(default=0)
    # Hidden by a moderator (personal data, faces...): staff still see it.
    is_hidden = models.BooleanField(_("hidden"), default=False)
    created_at = models.DateTimeField(default=timebase.now)

    objects = ReportPhotoQuerySet.as_manager()

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["report", "event", "position", "pk"]

    def __str__(self) -> str:
        return str(self.image.name)

    @property
    def is_public(self) -> bool:
        """Anyone may see it now: not hidden, its report publicly visible and, for an
        answer's photo, the answer public (ReportPhotoQuerySet.public says it in SQL)."""
        if self.is_hidden or not self.report.is_publicly_visible:
            return False
        return self.event is None or self.event.is_public

    @property
    def url_of_thumbnail(self) -> str:
        return self.url_of("thumbnail")

    def url_of(self, kind: str) -> str:
        """The checked view's path of the photo (`image`) or of its thumbnail."""
        if kind not in KINDS:
            raise ValueError(f"a photo has no file {kind!r}")
        return reverse(f"photos:photo-{kind}", kwargs={"pk": self.pk})
