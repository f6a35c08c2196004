"""E-mails the procedure sends, written in the transaction of their cause and delivered
by the background worker until the mail server takes them (PROCEDURE.md, "Notifications")."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import models, transaction
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from geoportal.reports import timebase


class NotificationKind(models.TextChoices):
    SUBMITTED = "submitted", _("Report received (to the reporter)")
    PUBLIC_CHANGE = "public_change", _("Public change (to the reporter and followers)")
    ROUTED = "routed", _("Report routed (to the department)")
    RETURNED = "returned", _("Report returned (to the moderators)")
    DISPUTED = "disputed", _("Answer disputed (to the moderators)")
    REMINDER = "reminder", _("Deadline tomorrow (to the responsible)")
    ESCALATION = "escalation", _("Deadline missed (to the head and the coordinator)")
    DIGEST = "digest", _("Daily digest of overdue reports")
    ASSIGNED = "assigned", _("Report assigned (to the person in the department)")
    ALERT = "alert", _("New public report or answer in a resident's area")
    ALERT_DIGEST = "alert_digest", _("Daily digest of a resident's area alert")
    RESIDENT_UPDATE = "resident_update", _("A resident's update approved (to the department)")
    # E-permits (geoportal.permits.notify): the same outbox, with no report.
    PERMIT_RECEIVED = "permit_received", _("Permit application received (to the applicant)")
    PERMIT_NEW = "permit_new", _("New permit application (to the permit department)")
    PERMIT_CHANGE = "permit_change", _("Permit application's step or decision (to the applicant)")
    PERMIT_BY_APPLICANT = (
        "permit_by_applicant",
        _("Permit application withdrawn or installation reported (to the permit department)"),
    )
    PERMIT_REMINDER = "permit_reminder", _("Permit application's deadline near (to the officers)")
    PERMIT_ESCALATION = (
        "permit_escalation",
        _("Permit application's deadline missed (to the head and the coordinator)"),
    )
    PERMIT_EXPIRY = "permit_expiry", _("Permit expires soon (to the holder)")


class NotificationQuerySet(models.QuerySet["Notification"]):
    def pending(self) -> NotificationQuerySet:
        return self.filter(sent_at__isnull=True)


class Notification(models.Model):
    kind = models.CharField(_("kind"), max_length=32, choices=NotificationKind.choices)
    report = models.ForeignKey(
        "reports.Report",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
    )
    event = models.ForeignKey(
        "reports.ReportEvent", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    to_email = models.EmailField(_("to"))
    language = models.CharField(max_length=8, default="uk")
    subject = models.CharField(_("subject"), max_length=250)
    body = models.TextField(_("text"))
    created_at = models.DateTimeField(_("created"), default=timebase.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("delivery attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    # The one-click unsubscribe of the mail (RFC 8058), sent as List-Unsubscribe headers.
    unsubscribe_url = models.CharField(_("unsubscribe link"), max_length=300, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at"]
        indexes = [
            # Serves the worker's sweep for notifications still waiting for the mail server.
            models.Index(
                fields=["created_at"],
                condition=Q(sent_at__isnull=True),
                name="notification_pending",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.to_email}"

    @classmethod
    def deliver(cls, pk: int) -> bool:
        """Send one notification unless it was sent already; True once it is sent.

        The row lock keeps two runs of the same job from sending it twice; a failure is
        recorded and raised so that the worker retries later.
        """
        failure: Exception | None = None
        with transaction.atomic():
            notification = cls.objects.select_for_update().filter(pk=pk).first()
            if notification is None or notification.sent_at is not None:
                return True
            try:
                notification.message().send(fail_silently=False)
            except Exception as exc:  # any mail server failure: keep it for a retry
                failure = exc
            else:
                notification.sent_at = timebase.now()
                notification.attempts += 1
                notification.last_error = ""
                notification.save(update_fields=["sent_at", "attempts", "last_error"])
                return True
        cls.objects.filter(pk=pk).update(
            attempts=F("attempts") + 1, last_error=f"{type(failure).__name__}: {failure}"[:2000]
        )
        raise DeliveryFailedError(f"Notification {pk} was not delivered: {failure}") from failure

    def message(self) -> EmailMessage:
        headers: dict[str, Any] = {"Auto-Submitted": "auto-generated"}
        if self.unsubscribe_url:
            # RFC 8058: the mail program POSTs "List-Unsubscribe=One-Click" to the link.
            headers["List-Unsubscribe"] = f"<{self.unsubscribe_url}>"
            headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        return EmailMessage(
            subject=self.subject,
            body=self.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[self.to_email],
            headers=headers,
        )


class DeliveryFailedError(Exception):
    """The mail server did not take a notification; the worker will try again."""


class DigestRun(models.Model):
    """The daily digest of one hromada was sent on this day: sent once, also after restarts."""

    municipality = models.ForeignKey(
        "municipalities.Municipality", on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField()
    created_at = models.DateTimeField(default=timebase.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["municipality", "day"], name="digest_once_a_day"),
        ]

    def __str__(self) -> str:
        return f"{self.municipality_id} {self.day}"
