"""Approvals an advertising permit (or another application) needs from other bodies: the
site's owner, the road and police authorities near roads, the heritage body in protection
zones (resolution No. 2067), tracked as tasks with a due date."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from geoportal.procedure import timebase


class ApprovalBody(models.TextChoices):
    SITE_OWNER = "site_owner", _("Owner of the site")
    ROAD_AUTHORITY = "road_authority", _("Road authority")
    POLICE = "police", _("National police (road safety)")
    HERITAGE = "heritage", _("Heritage protection body")
    OTHER = "other", _("Other body")


class ApprovalResult(models.TextChoices):
    PENDING = "pending", _("Awaiting the answer")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


class ApprovalTask(models.Model):
    application = models.ForeignKey(
        "permits.Application",
        on_delete=models.CASCADE,
        related_name="approvals",
        verbose_name=_("application"),
    )
    body = models.CharField(_("body"), max_length=24, choices=ApprovalBody.choices)
    body_name = models.CharField(_("name of the body"), max_length=300, blank=True)
    requested_at = models.DateTimeField(_("requested"), default=timebase.now)
    due_at = models.DateTimeField(_("answer due"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    result = models.CharField(
        _("result"), max_length=16, choices=ApprovalResult.choices, default=ApprovalResult.PENDING
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("approval task")
        verbose_name_plural = _("approval tasks")
        ordering = ["application", "requested_at", "pk"]
        constraints = [
            models.CheckConstraint(
                name="approval_answered_has_time",
                condition=models.Q(result="pending") | models.Q(answered_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_body_display()}: {self.get_result_display()}"

    @property
    def is_pending(self) -> bool:
        return self.result == ApprovalResult.PENDING
