"""The append-only history of a report: every transition and comment."""

from __future__ import annotations

import re

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from geoportal.procedure.events import AppendOnly
from geoportal.reports import timebase
from geoportal.reports.states import ACTION_DONE, Action, State

HIDDEN_PHOTO = re.compile(r"^photo (\d+)$")  # the text lifecycle.hide_photo writes


class ReportEvent(AppendOnly):
    report = models.ForeignKey(
        "reports.Report", on_delete=models.CASCADE, related_name="events", verbose_name=_("report")
    )
    action = models.CharField(_("action"), max_length=24, choices=Action.choices)
    from_state = models.CharField(_("from"), max_length=24, choices=State.choices, blank=True)
    to_state = models.CharField(_("to"), max_length=24, choices=State.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    by_reporter = models.BooleanField(_("by the reporter"), default=False)
    text = models.TextField(_("text"), blank=True)
    is_public = models.BooleanField(_("public"), default=True)
    created_at = models.DateTimeField(_("time"), default=timebase.now)

    class Meta:
        verbose_name = _("report event")
        verbose_name_plural = _("report events")
        ordering = ["created_at", "pk"]
        indexes = [
            # Serves a report's timeline, oldest first.
            models.Index(fields=["report", "created_at"], name="reportevent_timeline"),
        ]

    def __str__(self) -> str:
        return f"{self.report_id}: {self.action} {self.from_state}→{self.to_state}"

    @property
    def done_label(self) -> str:
        """The action as the history tells it, in the past ("Approved", "Resolved")."""
        return str(ACTION_DONE[Action(self.action)])

    @property
    def shown_text(self) -> str:
        """The event's text in the page's language where it is the system's own words: the
        department a report was routed to (its name is kept as it read when routing) and
        the photo a moderator hid."""
        if self.action == Action.APPROVE and self.text:
            department = (
                self.report.municipality.departments.filter(
                    Q(name_uk=self.text) | Q(name_en=self.text)
                )
                .order_by("pk")
                .first()
            )
            return department.name if department else self.text
        hidden = HIDDEN_PHOTO.match(self.text) if self.action == Action.HIDE_PHOTO else None
        if hidden:
            return gettext("Photo %(number)s") % {"number": hidden.group(1)}
        return self.text
