"""Residents' support of a report and the people following it."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from geoportal.reports import timebase


def new_token() -> str:
    return secrets.token_urlsafe(24)


class Support(models.Model):
    """One person's "me too": a signed-in user, else an e-mail, else a browser session."""

    report = models.ForeignKey("reports.Report", on_delete=models.CASCADE, related_name="supports")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    email = models.EmailField(blank=True)
    session_key = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timebase.now)

    class Meta:
        verbose_name = _("support")
        verbose_name_plural = _("supports")
        constraints = [
            models.UniqueConstraint(
                fields=["report", "user"], condition=Q(user__isnull=False), name="support_once_user"
            ),
            models.UniqueConstraint(
                fields=["report", "email"],
                condition=~Q(email=""),
                name="support_once_email",
            ),
            models.UniqueConstraint(
                fields=["report", "session_key"],
                condition=~Q(session_key=""),
                name="support_once_session",
            ),
            models.CheckConstraint(
                name="support_has_identity",
                condition=Q(user__isnull=False) | ~Q(email="") | ~Q(session_key=""),
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.report_id} ← {self.user_id or self.email or 'session'}"


class FollowQuerySet(models.QuerySet["Follow"]):
    def active(self) -> FollowQuerySet:
        return self.filter(unsubscribed_at__isnull=True)


class Follow(models.Model):
    """Someone told of every public change of a report; the reporter follows their own."""

    report = models.ForeignKey("reports.Report", on_delete=models.CASCADE, related_name="follows")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    email = models.EmailField(_("e-mail"))
    language = models.CharField(max_length=8, default="uk")
    is_reporter = models.BooleanField(default=False)
    # The secret in the unsubscribe link of every e-mail this follower gets.
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    created_at = models.DateTimeField(default=timebase.now)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)

    objects = FollowQuerySet.as_manager()

    class Meta:
        verbose_name = _("follower")
        verbose_name_plural = _("followers")
        constraints = [
            models.UniqueConstraint(fields=["report", "email"], name="follow_once_email"),
        ]

    def __str__(self) -> str:
        return f"#{self.report_id} → {self.email}"

    def unsubscribe(self) -> None:
        if self.unsubscribed_at is None:
            self.unsubscribed_at = timebase.now()
            self.save(update_fields=["unsubscribed_at"])
