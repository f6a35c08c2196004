"""A resident's report of a problem, pinned on the map (PROCEDURE.md)."""

from __future__ import annotations

from django.contrib.gis.db import models
from django.contrib.postgres.indexes import GistIndex
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from geoportal.reports.lifecycle import ReportLifecycle
from geoportal.reports.states import State


class Report(ReportLifecycle):
    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-created_at"]
        indexes = [
            # Serves the map's bbox queries and the duplicate search within 50 m.
            GistIndex(fields=["point"], name="report_point_gist"),
            # Serves the staff queues: by hromada and state, soonest due first.
            models.Index(fields=["municipality", "state", "due_at"], name="report_queue"),
            # Serves a department's queue.
            models.Index(fields=["department", "state", "due_at"], name="report_department_queue"),
        ]
        constraints = [
            models.CheckConstraint(
                name="report_rejected_has_ground",
                condition=~Q(state=State.REJECTED) | ~Q(rejection_ground=""),
            ),
            models.CheckConstraint(
                name="report_duplicate_has_original",
                condition=~Q(state=State.DUPLICATE) | Q(duplicate_of__isnull=False),
            ),
            models.CheckConstraint(
                name="report_routed_has_department",
                condition=~Q(state__in=[State.ROUTED, State.IN_PROGRESS, State.PLANNED])
                | Q(department__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.title}"
