"""Every import of a layer file, as a record: who, when, which file (name and SHA-256),
with what options, what it counted and its whole report; and the undoing of a whole run."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.gis.db import models
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from layers.kinds import LayerKind

RUN_REASON = "import run {pk}"  # the change reason of every history row a run writes
REVERT_REASON = "revert of import run {pk}"


class ImportRun(models.Model):
    class Status(models.TextChoices):
        CHECKED = "checked", _("Checked (nothing written)")
        REFUSED = "refused", _("Refused")
        WRITTEN = "written", _("Written")
        REVERTED = "reverted", _("Reverted")

    class Entry(models.TextChoices):
        COMMAND = "command", _("import_layer command")
        PAGE = "page", _("upload page")
        DEMO = "demo", _("demo data")

    municipality = models.ForeignKey(
        "municipalities.Municipality", verbose_name=_("hromada"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    layer = models.CharField(_("layer"), max_length=16, choices=LayerKind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    entry = models.CharField(_("through"), max_length=8, choices=Entry.choices)
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    file_name = models.CharField(_("file"), max_length=255)
    file_sha256 = models.CharField(_("SHA-256 of the file"), max_length=64)
    file_size = models.BigIntegerField(_("bytes"))
    options = models.JSONField(_("options"), default=dict)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices)
    total = models.PositiveIntegerField(_("rows"), default=0)
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    skipped = models.PositiveIntegerField(_("skipped"), default=0)
    error_count = models.PositiveIntegerField(_("problems"), default=0)
    warning_count = models.PositiveIntegerField(_("warnings"), default=0)
    # {"columns": {field: column}, "kept": [...], "rows": [[severity, row, field, reason]]}
    report = models.JSONField(_("report"), default=dict)
    reverted_at = models.DateTimeField(_("reverted"), null=True, blank=True)
    reverted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reverted by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip

    class Meta:
        verbose_name = _("import run")
        verbose_name_plural = _("import runs")
        ordering = ["-started_at"]
        indexes = [
            # Serves the admin's list of a hromada's runs, newest first.
            models.Index(fields=["municipality", "-started_at"], name="importrun_by_hromada"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.file_name} ({self.get_layer_display()})"

    @property
    def change_reason(self) -> str:
        return RUN_REASON.format(pk=self.pk)

    def model(self) -> Any:
        from layers.registry import get_layer

        return get_layer(self.layer).model

    def written_records(self) -> Any:
        """The history rows this run wrote: one per feature it created or changed."""
        return self.model().history.filter(history_change_reason=self.change_reason)

    def revert(self, by: Any) -> RevertResult:
        """Undo the whole run: delete what it created, put back what it changed.

        Refused, with nothing changed, when any of its features was changed again after
        it (a later edit would be lost) or the run wrote nothing. The feature rows are
        locked for the check, so no edit slips in between the check and the undoing.
        """
        model = self.model()
        with transaction.atomic():
            run = ImportRun.objects.select_for_update().get(pk=self.pk)
            if run.status != ImportRun.Status.WRITTEN:
                raise ValidationError(
                    {"status": gettext("Only a run that wrote rows can be reverted.")}
                )
            records = list(run.written_records().order_by("history_date"))
            ids = [r.id for r in records]
            features = {f.pk: f for f in model._default_manager.select_for_update().filter(
                pk__in=ids)}  # fmt: skip
            # Later runs that were themselves undone left the features as this one did.
            undone = ImportRun.objects.filter(
                layer=run.layer, status=ImportRun.Status.REVERTED, started_at__gt=run.started_at
            ).values_list("pk", flat=True)
            settled = {run.change_reason}
            for pk in undone:
                settled |= {RUN_REASON.format(pk=pk), REVERT_REASON.format(pk=pk)}
            later = model.history.filter(id__in=ids, history_date__gt=run.started_at).exclude(
                history_change_reason__in=settled
            )
            changed = ", ".join(sorted({str(r.instance) for r in later})[:20])
            if changed:
                message = gettext(
                    "Changed again after this run: %(features)s. Revert those edits first, or "
                    "edit the features by hand."
                )
                raise ValidationError({"status": message % {"features": changed}})
            reason = REVERT_REASON.format(pk=run.pk)
            # The fields history keeps (not the timestamps, which it leaves out).
            excluded = set(getattr(model.history, "excluded_fields", None) or ())
            tracked = [f for f in model._meta.concrete_fields
                       if not f.primary_key and f.name not in excluded
                       and f.name not in {"created_at", "updated_at"}]  # fmt: skip
            deleted = restored = 0
            for record in records:
                feature = features.get(record.id)
                if feature is None:
                    continue
                feature._change_reason = reason
                feature._history_user = by
                if record.history_type == "+":
                    feature.delete()
                    deleted += 1
                    continue
                before = record.prev_record
                if before is None:
                    continue
                for field in tracked:
                    setattr(feature, field.attname, getattr(before, field.attname))
                feature.save()
                restored += 1
            run.status = ImportRun.Status.REVERTED
            run.reverted_at, run.reverted_by = timezone.now(), by
            run.save(update_fields=["status", "reverted_at", "reverted_by"])
            from layers.models.passport import LayerPassport

            LayerPassport.touch(run.municipality_id, run.layer)
        return RevertResult(deleted=deleted, restored=restored)


@dataclass(frozen=True)
class RevertResult:
    deleted: int
    restored: int
