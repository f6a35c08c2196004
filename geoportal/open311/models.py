"""Open311 clients: their API keys, and what they sent with each report."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from geoportal.core.ratelimit import Rate


def digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class ApiKeyQuerySet(models.QuerySet["ApiKey"]):
    def usable(self) -> ApiKeyQuerySet:
        return self.filter(is_active=True, revoked_at__isnull=True)

    def find(self, key: str) -> ApiKey | None:
        """The active key with this value, or None (only the key's digest is stored)."""
        if not key:
            return None
        return self.usable().filter(key_digest=digest(key)).first()


class ApiKey(models.Model):
    """A key an Open311 client needs to file reports (POST requests); shown once."""

    name = models.CharField(_("client"), max_length=200, help_text=_("Who uses this key."))
    contact = models.EmailField(_("contact e-mail"), blank=True)
    key_digest = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("key begins with"), max_length=8, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    hourly_limit = models.PositiveIntegerField(
        _("reports per hour"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_(
            "How many reports this client may file in an hour, counted for the key alone "
            "whatever addresses it sends from (a call centre files hundreds). Empty: the "
            "site's default, RATE_OPEN311."
        ),
    )
    created_at = models.DateTimeField(_("issued"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = ApiKeyQuerySet.as_manager()

    class Meta:
        verbose_name = _("Open311 API key")
        verbose_name_plural = _("Open311 API keys")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def issue(self) -> str:
        """Give this key a new secret value and return it (it is not stored, only its digest)."""
        key = secrets.token_urlsafe(32)
        self.key_digest, self.prefix = digest(key), key[:8]
        return key

    def rate(self) -> Rate:
        """The key's filing limit: its own hourly limit, else the site's default."""
        if self.hourly_limit:
            return Rate.hourly(self.hourly_limit)
        return Rate.parse(settings.RATE_OPEN311)

    def revoke(self) -> None:
        self.revoked_at = timezone.now()
        self.is_active = False
        self.save(update_fields=["revoked_at", "is_active"])


def new_token() -> str:
    return secrets.token_urlsafe(16)


class Open311Request(models.Model):
    """A report filed through Open311: the client, its token and the media it linked."""

    report = models.OneToOneField(
        "reports.Report", on_delete=models.CASCADE, related_name="open311"
    )
    api_key = models.ForeignKey(ApiKey, on_delete=models.SET_NULL, null=True, related_name="+")
    token = models.CharField(max_length=32, unique=True, default=new_token, editable=False)
    media_url = models.URLField(max_length=500, blank=True)
    device_id = models.CharField(max_length=100, blank=True)
    account_id = models.CharField(max_length=100, blank=True)

    class Meta:
        verbose_name = _("Open311 request")
        verbose_name_plural = _("Open311 requests")

    def __str__(self) -> str:
        return f"#{self.report_id}"
