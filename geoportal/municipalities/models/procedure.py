"""Per-municipality settings of the Open City procedure, defaulting to PROCEDURE.md."""

from __future__ import annotations

from datetime import time

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class ProcedureSettings(models.Model):
    """The numbers of PROCEDURE.md ("Deadlines"), which each hromada may change."""

    moderation_working_days = models.PositiveSmallIntegerField(
        _("moderation deadline, working days"), default=1
    )
    acknowledgement_working_days = models.PositiveSmallIntegerField(
        _("acknowledgement deadline (accept or return), working days"), default=2
    )
    rerouting_working_days = models.PositiveSmallIntegerField(
        _("re-routing of a returned report, working days"), default=1
    )
    answer_calendar_days = models.PositiveSmallIntegerField(
        _("answer deadline, calendar days"), default=15
    )
    answer_study_calendar_days = models.PositiveSmallIntegerField(
        _("answer deadline when study is needed, calendar days"), default=30
    )
    extension_ceiling_calendar_days = models.PositiveSmallIntegerField(
        _("extension ceiling from first routing, calendar days"), default=45
    )
    dispute_window_calendar_days = models.PositiveSmallIntegerField(
        _("dispute window after an answer, calendar days"), default=14
    )
    dispute_review_working_days = models.PositiveSmallIntegerField(
        _("review of a dispute by the moderator, working days"), default=1
    )
    reminder_working_days_before = models.PositiveSmallIntegerField(
        _("reminder before a deadline, working days"), default=1
    )
    working_day_deadline_time = models.TimeField(
        _("a working-day deadline ends at (local time)"), default=time(18, 0)
    )
    calendar_day_deadline_time = models.TimeField(
        _("a calendar-day deadline ends at (local time)"), default=time(23, 59)
    )

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                name="%(class)s_procedure_days_positive",
                condition=Q(moderation_working_days__gte=1)
                & Q(acknowledgement_working_days__gte=1)
                & Q(rerouting_working_days__gte=1)
                & Q(answer_calendar_days__gte=1)
                & Q(dispute_window_calendar_days__gte=1)
                & Q(dispute_review_working_days__gte=1),
            ),
            models.CheckConstraint(
                name="%(class)s_answer_deadlines_ordered",
                condition=Q(answer_study_calendar_days__gte=F("answer_calendar_days"))
                & Q(extension_ceiling_calendar_days__gte=F("answer_study_calendar_days")),
                violation_error_message=_(
                    "The deadlines must grow: answer ≤ answer with study ≤ extension ceiling."
                ),
            ),
        ]
