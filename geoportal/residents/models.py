"""Residents' accounts without passwords, and the one-time links they sign in with."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
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
        from geoportal.reports.models import Follow, Report

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
