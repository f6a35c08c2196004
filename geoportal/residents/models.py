"""Residents' accounts without passwords, and the one-time links they sign in with."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.gis.db import models as gis_models
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def hash_token(token: str) -> str:
    """The SHA-256 of a link's token: only this is stored, so a copy of the database (a
    backup, a replica) signs nobody in."""
    return hashlib.sha256(token.encode()).hexdigest()


class Resident(models.Model):
    """A resident's account: a User with no password and no staff role, known by one
    e-mail address; it signs in only through a link mailed to that address."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="resident",
        verbose_name=_("user"),
    )
    email = models.EmailField(_("e-mail"), unique=True)  # kept in lower case
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    last_signed_in_at = models.DateTimeField(_("last signed in"), null=True, blank=True)

    class Meta:
        verbose_name = _("resident")
        verbose_name_plural = _("residents")

    def __str__(self) -> str:
        return f"resident #{self.pk}"

    def reports(self) -> Any:
        """The reports filed with this address, before the account existed or after, and
        those filed while signed in: each its own report, any state."""
        from geoportal.reports.models import Report

        return (
            Report.objects.filter(Q(reporter_email=self.email) | Q(reporter_user=self.user))
            .select_related("category", "municipality")
            .order_by("-created_at", "-pk")
        )

    def delete_account(self) -> int:
        """Delete the account; its reports stay, without the reporter's name, e-mail, phone
        and postal address (PROCEDURE.md, "Personal data"), and nobody is mailed about them
        any more. The number of reports anonymised."""
        from geoportal.reports.models import Follow, Notification, NotificationKind, Report

        with transaction.atomic():
            # Locked so that an action mailing the reporter meanwhile reads either the
            # address or nothing, never an account half deleted.
            filed = Report.objects.select_for_update().filter(
                Q(reporter_email=self.email) | Q(reporter_user=self.user)
            )
            pks = list(filed.values_list("pk", flat=True))
            Report.objects.filter(pk__in=pks).update(
                reporter_user=None,
                reporter_name="",
                reporter_email="",
                reporter_phone="",
                reporter_postal_address="",
                show_name=False,
            )
            Follow.objects.filter(Q(email__iexact=self.email) | Q(user=self.user)).delete()
            # The area alerts go with the account (cascade); their mails not yet sent too.
            Notification.objects.pending().filter(
                to_email__iexact=self.email,
                kind__in=(NotificationKind.ALERT, NotificationKind.ALERT_DIGEST),
            ).delete()
            SignInLink.objects.filter(email=self.email).delete()
            self.user.delete()  # the Resident row goes with it
        return len(pks)


class SignInLinkQuerySet(models.QuerySet["SignInLink"]):
    def usable(self) -> SignInLinkQuerySet:
        return self.filter(used_at__isnull=True, expires_at__gt=timezone.now())


class SignInLink(models.Model):
    """One link mailed to an address: valid RESIDENT_LINK_MINUTES, once."""

    email = models.EmailField(_("e-mail"))
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    used_at = models.DateTimeField(_("used"), null=True, blank=True)

    objects = SignInLinkQuerySet.as_manager()

    class Meta:
        verbose_name = _("sign-in link")
        verbose_name_plural = _("sign-in links")
        constraints = [
            models.CheckConstraint(
                name="signinlink_expires_after_created",
                condition=Q(expires_at__gt=models.F("created_at")),
            ),
        ]
        indexes = [
            # Serves the sweep of links that have expired (forget_expired).
            models.Index(fields=["expires_at"], name="signinlink_expires"),
        ]

    def __str__(self) -> str:
        return f"sign-in link #{self.pk}"

    @classmethod
    def issue(cls, email: str, **fields: Any) -> tuple[SignInLink, str]:
        """A new link for the address, and its token (to mail; never stored)."""
        token = secrets.token_urlsafe(32)
        now = timezone.now()
        link = cls.objects.create(
            email=email,
            token_hash=hash_token(token),
            created_at=now,
            expires_at=now + timedelta(minutes=settings.RESIDENT_LINK_MINUTES),
            **fields,
        )
        return link, token


def new_alert_token() -> str:
    return secrets.token_urlsafe(24)


class AlertArea(models.TextChoices):
    HROMADA = "hromada", _("The whole hromada")
    RADIUS = "radius", _("A radius around a point")
    POLYGON = "polygon", _("An area drawn on the map")


class AlertFrequency(models.TextChoices):
    IMMEDIATE = "immediate", _("At once, one e-mail per report")
    DAILY = "daily", _("A daily digest")


class AlertQuerySet(gis_models.QuerySet["Alert"]):
    def active(self) -> AlertQuerySet:
        return self.filter(unsubscribed_at__isnull=True)


class Alert(gis_models.Model):
    """A resident's area: new public reports and public answers there are mailed to them
    (geoportal/residents/alerts.py). Deleted with the account."""

    resident = models.ForeignKey(
        Resident, on_delete=models.CASCADE, related_name="alerts", verbose_name=_("resident")
    )
    municipality = models.ForeignKey(
        "municipalities.Municipality",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("hromada"),
    )
    area = models.CharField(_("area"), max_length=8, choices=AlertArea.choices)
    # A radius: its centre is a geography, so that "within radius_m metres" is in metres.
    center = gis_models.PointField(_("centre"), geography=True, null=True, blank=True)
    radius_m = models.PositiveIntegerField(_("radius, metres"), null=True, blank=True)
    polygon = gis_models.PolygonField(_("drawn area"), srid=4326, null=True, blank=True)
    categories = models.ManyToManyField(
        "municipalities.Category", blank=True, related_name="+", verbose_name=_("categories")
    )
    frequency = models.CharField(_("how often"), max_length=10, choices=AlertFrequency.choices)
    language = models.CharField(max_length=8, default="uk")
    # The secret of the one-click unsubscribe link in every e-mail of the alert.
    token = models.CharField(max_length=64, unique=True, default=new_alert_token, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    unsubscribed_at = models.DateTimeField(_("unsubscribed"), null=True, blank=True)

    objects = AlertQuerySet.as_manager()

    class Meta:
        verbose_name = _("area alert")
        verbose_name_plural = _("area alerts")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="alert_area_has_its_geometry",
                condition=Q(area="hromada")
                | Q(area="radius", center__isnull=False, radius_m__gte=50, radius_m__lte=5000)
                | Q(area="polygon", polygon__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"alert #{self.pk}"

    def unsubscribe(self) -> None:
        if self.unsubscribed_at is None:
            self.unsubscribed_at = timezone.now()
            self.save(update_fields=["unsubscribed_at"])

    @classmethod
    def create_for(cls, resident: Resident, data: dict[str, Any], language: str) -> Alert:
        """A new alert from AlertForm's cleaned data (its area checked there)."""
        area = data["area"]
        with transaction.atomic():
            alert = cls.objects.create(
                resident=resident,
                municipality=data["municipality"],
                area=area,
                center=data.get("center") if area == AlertArea.RADIUS else None,
                radius_m=data.get("radius_m") if area == AlertArea.RADIUS else None,
                polygon=data.get("polygon_geometry") if area == AlertArea.POLYGON else None,
                frequency=data["frequency"],
                language=language if language in ("uk", "en") else "uk",
            )
            alert.categories.set(data.get("categories") or [])
        return alert

    @property
    def area_summary(self) -> str:
        """The area as the list of alerts says it."""
        if self.area == AlertArea.RADIUS and self.center is not None:
            return _("%(radius)s m around %(lat).5f, %(lon).5f") % {
                "radius": self.radius_m,
                "lat": self.center.y,
                "lon": self.center.x,
            }
        if self.area == AlertArea.POLYGON and self.polygon is not None:
            return _("An area with %(count)s corners") % {
                "count": len(self.polygon.exterior_ring) - 1
            }
        return str(AlertArea(self.area).label)


class AlertItemKind(models.TextChoices):
    NEW_REPORT = "report", _("New public report")
    ANSWER = "answer", _("Public answer")


class AlertItem(models.Model):
    """One report (or its answer) matched by an alert: mailed once, at once or in the day's
    digest; the unique constraint keeps a second match of the same thing from being sent."""

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="items")
    report = models.ForeignKey("reports.Report", on_delete=models.CASCADE, related_name="+")
    event = models.ForeignKey("reports.ReportEvent", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=8, choices=AlertItemKind.choices)
    created_at = models.DateTimeField(default=timezone.now)
    # Mailed at once, or the day of the digest it went in; empty while it waits.
    sent_at = models.DateTimeField(null=True, blank=True)
    digest_day = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["alert", "event"], name="alertitem_once_per_event"),
        ]
        indexes = [
            models.Index(
                fields=["alert", "created_at"],
                condition=Q(sent_at__isnull=True),
                name="alertitem_waiting",
            ),
        ]

    def __str__(self) -> str:
        return f"alert #{self.alert_id}: report #{self.report_id}"


class AlertDigestRun(models.Model):
    """The daily digest of one alert was made on this day: once, also after restarts."""

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["alert", "day"], name="alert_digest_once_a_day"),
        ]

    def __str__(self) -> str:
        return f"alert #{self.alert_id} {self.day}"
