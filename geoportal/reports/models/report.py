"""A resident's report of a problem, pinned on the map (PROCEDURE.md)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.gis.db import models
from django.contrib.postgres.indexes import GistIndex
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from geoportal.reports.lifecycle import ReportLifecycle
from geoportal.reports.queries import DEPARTMENT_OPEN, MODERATION_QUEUE, ReportQuerySet
from geoportal.reports.states import NEVER_PUBLIC_GROUNDS, PUBLIC_STATES, State


class Report(ReportLifecycle):
    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-created_at"]
        indexes = [
            # Serves the map's bbox queries and the duplicate search within 50 m.
            GistIndex(fields=["point"], name="report_point_gist"),
            # Serves the public list and map by hromada and state.
            models.Index(fields=["municipality", "state", "due_at"], name="report_queue"),
            # Serves a department's queue (ReportQuerySet.open_for): its open reports by due time.
            models.Index(
                fields=["department", "due_at"],
                condition=Q(state__in=DEPARTMENT_OPEN),
                name="report_department_open",
            ),
            # Serves the moderation queue (ReportQuerySet.moderation_queue) and its count.
            models.Index(
                fields=["municipality", "due_at"],
                condition=MODERATION_QUEUE,
                name="report_moderation_queue",
            ),
            # Serves the map's clusters: public reports of a hromada by Web Mercator pixel.
            models.Index(
                fields=["municipality", "map_x", "map_y", "state"],
                condition=Q(state__in=PUBLIC_STATES),
                name="report_map_grid",
            ),
            # Serves the statistics: a hromada's reports by month received.
            models.Index(fields=["municipality", "created_at"], name="report_received"),
            # Serves the public list of every hromada, newest first (created_at, pk): without
            # it a million reports were read and sorted for each page (8 s).
            models.Index(fields=["created_at", "id"], name="report_newest"),
            # Serves the clocks' sweep for missed deadlines not yet escalated.
            models.Index(
                fields=["due_at"],
                condition=~Q(clock="") & Q(escalated_at__isnull=True),
                name="report_clock_unescalated",
            ),
            # Serves the clocks' sweep for reminders not yet sent.
            models.Index(
                fields=["remind_at"],
                condition=~Q(clock="") & Q(reminded_at__isnull=True),
                name="report_clock_unreminded",
            ),
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
            models.CheckConstraint(
                name="report_clock_has_due_time",
                condition=Q(clock="") | Q(due_at__isnull=False),
            ),
            # One report per client and key; serves Report.objects.filed_with_key.
            models.UniqueConstraint(
                fields=["idempotency_owner", "idempotency_key"],
                condition=Q(idempotency_key__isnull=False),
                name="report_idempotency_key_per_owner",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("frontend:report-detail", kwargs={"pk": self.pk})

    @property
    def public_url(self) -> str:
        return settings.SITE_URL + self.get_absolute_url()

    @property
    def tracking_url(self) -> str:
        path = reverse("frontend:report-track", kwargs={"code": self.tracking_code})
        return settings.SITE_URL + path

    @property
    def is_publicly_visible(self) -> bool:
        """The rule of Report.objects.publicly_visible(), for a report already loaded."""
        if not self.municipality.is_active:
            return False
        if self.state == State.REJECTED:
            return self.rejection_ground not in NEVER_PUBLIC_GROUNDS
        return self.state in PUBLIC_STATES or self.state == State.DUPLICATE

    @property
    def public_name(self) -> str:
        """The reporter's name when they chose to show it, else nothing."""
        return self.reporter_name if self.show_name else ""
