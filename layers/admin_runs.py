"""Import runs in the admin: what each import read and wrote, its whole report (also as
CSV), and the undoing of a whole run by those who may edit the layer."""

from __future__ import annotations

import re
from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from geoportal.core.spreadsheet import csv_text
from geoportal.municipalities.admin import OwnHromadaAdmin
from layers.models import ImportRun

RUN_IN_REASON = re.compile(r"(?:revert of )?import run (\d+)")


def run_link(reason: str | None) -> str:
    """A history row's change reason, as a link to the import run that wrote it."""
    match = RUN_IN_REASON.fullmatch(reason or "")
    if match is None:
        return reason or ""
    url = reverse("admin:layers_importrun_change", args=[match.group(1)])
    return format_html('<a href="{}">{}</a>', url, reason)


@admin.register(ImportRun)
class ImportRunAdmin(OwnHromadaAdmin):
    list_display = (
        "started_at", "layer", "file_name", "user", "entry", "status", "total", "created",
        "updated", "unchanged", "error_count", "warning_count", "municipality",
    )  # fmt: skip
    list_filter = ("layer", "status", "entry", "municipality")
    search_fields = ("file_name", "file_sha256")
    date_hierarchy = "started_at"
    fields = (
        "municipality", "layer", "user", "entry", "started_at", "finished_at", "file_name",
        "file_sha256", "file_size", "options", "status", "total", "created", "updated",
        "unchanged", "skipped", "error_count", "warning_count", "columns", "kept",
        "problems", "reverted_at", "reverted_by",
    )  # fmt: skip
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description=gettext_lazy("columns used"))
    def columns(self, run: ImportRun) -> str:
        used = run.report.get("columns", {})
        return ", ".join(f"{field} ← {column}" for field, column in used.items())

    @admin.display(description=gettext_lazy("kept in attributes"))
    def kept(self, run: ImportRun) -> str:
        return ", ".join(run.report.get("kept", []))

    @admin.display(description=gettext_lazy("problems and warnings"))
    def problems(self, run: ImportRun) -> str:
        rows = run.report.get("rows", [])
        if not rows:
            return "—"
        url = reverse("admin:layers_importrun_report", args=[run.pk])
        table = format_html_join("", "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                                 rows[:500])  # fmt: skip
        more = _("%(count)s in all; the CSV has every one.") % {"count": len(rows)}
        return format_html('<p><a href="{}">{}</a> {}</p><table>{}</table>', url,
                           _("Download as CSV"), more, table)  # fmt: skip

    def get_urls(self) -> list[Any]:
        own = [
            path("<int:pk>/revert/", self.admin_site.admin_view(self.revert_view),
                 name="layers_importrun_revert"),
            path("<int:pk>/report.csv", self.admin_site.admin_view(self.report_view),
                 name="layers_importrun_report"),
        ]  # fmt: skip
        return own + super().get_urls()

    def _run(self, request: HttpRequest, pk: int) -> ImportRun | None:
        """The run, if the person may see it (their hromada's); None otherwise."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        return self.get_queryset(request).filter(pk=pk).first()

    def _missing(self, request: HttpRequest, pk: int) -> HttpResponse:
        """As the admin answers for an object the person may not see: it does not exist."""
        messages.warning(request, _("There is no import run %(run)s.") % {"run": pk})
        return HttpResponseRedirect(reverse("admin:index"))

    def report_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        run = self._run(request, pk)
        if run is None:
            return self._missing(request, pk)
        rows: list[list[Any]] = [["severity", "row", "field", "reason"], *run.report["rows"]]
        response = HttpResponse(csv_text(rows), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="import-run-{run.pk}.csv"'
        return response

    def revert_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """Confirm (GET), then undo the whole run (POST): only for those who may add,
        change and delete the layer's features."""
        run = self._run(request, pk)
        if run is None:
            return self._missing(request, pk)
        model = run.model()._meta.model_name
        if not all(request.user.has_perm(f"layers.{a}_{model}") for a in
                   ("add", "change", "delete")):  # fmt: skip
            raise PermissionDenied
        if request.method == "POST":
            try:
                result = run.revert(request.user)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, _(
                    "Import run %(run)s reverted: %(deleted)s features deleted, %(restored)s "
                    "put back as they were.") % {"run": run.pk, "deleted": result.deleted,
                                                 "restored": result.restored})  # fmt: skip
            return HttpResponseRedirect(reverse("admin:layers_importrun_change", args=[run.pk]))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Revert import run %(run)s") % {"run": run.pk},
            "run": run,
            "opts": self.opts,
        }
        return render(request, "admin/layers/importrun_revert.html", context)
