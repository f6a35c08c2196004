"""Support and follow: what residents do on a public report (PROCEDURE.md, "Roles")."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from geoportal.reports.errors import AlreadyDoneError, WrongStateError
from geoportal.reports.models.data import ReportData
from geoportal.reports.states import CLOSED_STATES, PUBLIC_STATES, TRANSITIONS, Action

if TYPE_CHECKING:
    from geoportal.reports.models import Follow


def _clean_email(email: str) -> str | None:
    email = (email or "").strip().lower()
    if not email:
        return None
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError({"email": _("Enter a valid e-mail address.")}) from None
    return email


class ReportEngagement(ReportData):
    """Support, follow, and moving both to the original of a duplicate (abstract)."""

    class Meta:
        abstract = True

    def support(self, user: Any = None, email: str = "", session_key: str = "") -> None:
        """Count one person's support once: by account, else e-mail, else browser session."""
        from geoportal.reports.models import Report, Support

        allowed = TRANSITIONS[Action.SUPPORT].sources or frozenset()
        if self.state not in allowed:
            raise WrongStateError(
                _("Only an open public report can be supported; this one is: %(state)s.")
                % {"state": self.get_state_display()}
            )
        identity: dict[str, Any]
        if user is not None and user.is_authenticated:
            identity = {"user": user}
        elif clean := _clean_email(email):
            identity = {"email": clean}
        elif session_key:
            identity = {"session_key": session_key}
        else:
            raise ValidationError({"email": _("Sign in or give an e-mail address to support.")})
        try:
            with transaction.atomic():
                Support.objects.create(report_id=self.pk, **identity)
                Report.objects.filter(pk=self.pk).update(support_count=F("support_count") + 1)
        except IntegrityError:
            raise AlreadyDoneError(_("You already support this report.")) from None
        self.refresh_from_db(fields=["support_count"])

    def follow(self, user: Any = None, email: str = "", language: str = "uk") -> Follow:
        """Be told of every public change by e-mail (again, after an unsubscribe)."""
        from geoportal.reports.models import Follow

        if self.state not in PUBLIC_STATES:
            raise WrongStateError(_("Only a public report can be followed."))
        if user is not None and user.is_authenticated and not email:
            email = user.email
        clean = _clean_email(email)
        if clean is None:
            raise ValidationError({"email": _("This field is required.")})
        account = user if user is not None and user.is_authenticated else None
        follow, created = Follow.objects.get_or_create(
            report_id=self.pk, email=clean, defaults={"user": account, "language": language}
        )
        if not created:
            if follow.unsubscribed_at is None:
                raise AlreadyDoneError(_("You already follow this report."))
            follow.unsubscribed_at = None
            follow.save(update_fields=["unsubscribed_at"])
        return follow

    def move_supporters_to(self, original: ReportData) -> None:
        """A duplicate's supporters and followers join the original (each person once)."""
        from geoportal.reports.models import Follow, Report, Support

        for support in Support.objects.filter(report_id=self.pk):
            same = Support.objects.filter(report_id=original.pk)
            if (
                (support.user_id and same.filter(user_id=support.user_id).exists())
                or (support.email and same.filter(email=support.email).exists())
                or (support.session_key and same.filter(session_key=support.session_key).exists())
            ):
                support.delete()
            else:
                Support.objects.filter(pk=support.pk).update(report_id=original.pk)
        taken = set(Follow.objects.filter(report_id=original.pk).values_list("email", flat=True))
        for follow in Follow.objects.filter(report_id=self.pk).exclude(email__in=taken):
            Follow.objects.create(
                report_id=original.pk,
                user_id=follow.user_id,
                email=follow.email,
                language=follow.language,
            )
        for report_id in (self.pk, original.pk):
            Report.objects.filter(pk=report_id).update(
                support_count=Support.objects.filter(report_id=report_id).count()
            )
        self.support_count = 0

    @property
    def is_public(self) -> bool:
        return self.state in PUBLIC_STATES

    @property
    def is_open(self) -> bool:
        return self.state not in CLOSED_STATES
