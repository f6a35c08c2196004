"""Extra non-working dates a hromada enters (PROCEDURE.md, "Deadlines")."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class NonWorkingDay(models.Model):
    municipality = models.ForeignKey(
        "municipalities.Municipality",
        on_delete=models.CASCADE,
        related_name="non_working_days",
        verbose_name=_("municipality"),
    )
    date = models.DateField(_("date"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("non-working day")
        verbose_name_plural = _("non-working days")
        ordering = ["municipality", "date"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "date"], name="nonworkingday_unique_per_municipality"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%d.%m.%Y} {self.reason}".strip()
