"""Updates from residents: a comment and up to three photos added to a report ("still there",
"it got worse"), moderated like reports before they are shown.

A resident with an account adds one to an open public report; the reporter also to their
own report while it is new or returned. It waits as `pending` in the moderators' queue
(frontend/staff/updates.py); approving it writes a public event (Action.RESIDENT_UPDATE)
through the report's common path, which tells the followers and the department
(notify.py); rejecting it keeps it out of sight with its ground. Its photos go through the
photo pipeline (photos.check_all) and stay hidden until the update is approved.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from geoportal.core.text import check_text
from geoportal.reports import timebase
from geoportal.reports.errors import NotAllowedError, WrongStateError
from geoportal.reports.photos import Photo, StoredFiles, store
from geoportal.reports.roles import actor_roles
from geoportal.reports.states import (
    REPORTER_UPDATE_STATES,
    UPDATE_STATES,
    Action,
    Actor,
    RejectionGround,
)

if TYPE_CHECKING:
    from geoportal.reports.models import Report, ReportEvent

UPDATE_TEXT_MAX = 2000
UPDATE_PHOTOS_MAX = 3
# Updates of one person waiting for moderation on one report: more waits for the first ones.
PENDING_PER_AUTHOR = 3


class UpdateState(models.TextChoices):
    PENDING = "pending", _("Awaiting moderation")
    APPROVED = "approved", _("Published")
    REJECTED = "rejected", _("Rejected")


class ReportUpdateQuerySet(models.QuerySet["ReportUpdate"]):
    def pending_for(self, municipality: Any) -> ReportUpdateQuerySet:
        """The moderators' queue of a hromada: oldest first."""
        return self.filter(state=UpdateState.PENDING, report__municipality=municipality).order_by(
            "created_at", "pk"
        )


class ReportUpdate(models.Model):
    report = models.ForeignKey(
        "reports.Report", on_delete=models.CASCADE, related_name="updates", verbose_name=_("report")
    )
    # The resident's user; kept empty once the account is deleted (the text stays).
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )
    by_reporter = models.BooleanField(_("by the reporter"), default=False)
    text = models.TextField(_("text"))
    state = models.CharField(
        _("state"), max_length=12, choices=UpdateState.choices, default=UpdateState.PENDING
    )
    rejection_ground = models.CharField(
        _("rejection ground"), max_length=32, choices=RejectionGround.choices, blank=True
    )
    rejection_comment = models.TextField(_("rejection comment"), blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("moderated by"),
    )
    moderated_at = models.DateTimeField(_("moderated"), null=True, blank=True)
    # The public event approving it wrote (its photos hang from it too).
    event = models.OneToOneField(
        "reports.ReportEvent",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="resident_update",
    )
    created_at = models.DateTimeField(_("created"), default=timebase.now)

    objects = ReportUpdateQuerySet.as_manager()

    class Meta:
        verbose_name = _("resident's update")
        verbose_name_plural = _("residents' updates")
        ordering = ["created_at", "pk"]
        indexes = [
            # Serves the moderators' queue of updates waiting, oldest first.
            models.Index(
                fields=["created_at"],
                condition=Q(state="pending"),
                name="reportupdate_pending",
            ),
        ]

    def __str__(self) -> str:
        return f"update #{self.pk} of report #{self.report_id}"

    # -- the resident ------------------------------------------------------------------

    @staticmethod
    def may_add(report: Report, user: Any, is_reporter: bool) -> bool:
        """Whether this person (a resident's user) may add an update to the report now."""
        if user is None or not user.is_authenticated:
            return False
        if is_reporter:
            return report.state in REPORTER_UPDATE_STATES and report.municipality.is_active
        return report.state in UPDATE_STATES and report.is_publicly_visible

    @classmethod
    def submit(
        cls, report: Report, user: Any, is_reporter: bool, text: str, photos: Sequence[Photo] = ()
    ) -> ReportUpdate:
        """Store a pending update with its checked photos (photos.check_all), hidden."""
        text = (text or "").strip()
        if not text:
            raise ValidationError({"text": gettext("Write what you saw.")})
        check_text("text", text, multiline=True)
        if len(text) > UPDATE_TEXT_MAX:
            raise ValidationError(
                {
                    "text": gettext("At most %(limit)s characters; %(sent)s were sent.")
                    % {"limit": UPDATE_TEXT_MAX, "sent": len(text)}
                }
            )
        if len(photos) > UPDATE_PHOTOS_MAX:
            raise ValidationError(
                {
                    "photos": gettext("At most %(limit)s photos; %(sent)s were sent.")
                    % {"limit": UPDATE_PHOTOS_MAX, "sent": len(photos)}
                }
            )
        from geoportal.reports.models import Report

        files = StoredFiles()
        try:
            with transaction.atomic():
                locked = Report.objects.select_for_update(of=("self",)).select_related(
                    "municipality"
                )
                locked_report = locked.get(pk=report.pk)
                if not cls.may_add(locked_report, user, is_reporter):
                    raise WrongStateError(
                        gettext("Updates can no longer be added to this report (it is: %(state)s).")
                        % {"state": locked_report.get_state_display()}
                    )
                waiting = cls.objects.filter(
                    report=locked_report, author=user, state=UpdateState.PENDING
                ).count()
                if waiting >= PENDING_PER_AUTHOR:
                    raise ValidationError(
                        {
                            "text": gettext(
                                "Your earlier updates to this report are still awaiting "
                                "moderation; add more once they are checked."
                            )
                        }
                    )
                update = cls.objects.create(
                    report=locked_report, author=user, by_reporter=is_reporter, text=text
                )
                rows = store(list(photos), locked_report, files, first=100)
                from geoportal.reports.models import ReportPhoto

                ReportPhoto.objects.filter(pk__in=[row.pk for row in rows]).update(
                    update=update, is_hidden=True
                )
        except BaseException:
            files.remove()
            raise
        return update

    # -- the moderator -------------------------------------------------------------------

    def _locked_pending(self, by: Any) -> ReportUpdate:
        locked = (
            type(self)
            .objects.select_for_update(of=("self",))
            .select_related("report", "report__municipality")
            .get(pk=self.pk)
        )
        if locked.state != UpdateState.PENDING:
            raise WrongStateError(
                gettext("This update was moderated already (%(state)s).")
                % {"state": locked.get_state_display()}
            )
        if Actor.MODERATOR not in actor_roles(locked.report, by):
            raise NotAllowedError(gettext("Only the hromada's moderators moderate updates."))
        return locked

    def approve(self, by: Any) -> ReportEvent:
        """Publish: a public event on the report (notifying followers and the department),
        the photos shown with it."""
        from geoportal.reports.lifecycle import _nothing
        from geoportal.reports.models import Report, ReportPhoto

        with transaction.atomic():
            locked = self._locked_pending(by)
            report = Report.objects.select_related("municipality").get(pk=locked.report_id)
            event = report._perform(Action.RESIDENT_UPDATE, by, _nothing, text=locked.text)
            ReportPhoto.objects.filter(update=locked).update(event=event, is_hidden=False)
            locked.state = UpdateState.APPROVED
            locked.moderated_by = by
            locked.moderated_at = event.created_at
            locked.event = event
            locked.save(update_fields=["state", "moderated_by", "moderated_at", "event"])
        self.refresh_from_db()
        return event

    def reject(self, by: Any, ground: str, comment: str = "") -> None:
        """Keep it out of sight, with its ground; its photos stay hidden."""
        if ground not in RejectionGround.values:
            raise ValidationError(
                {
                    "ground": gettext("Choose one of: %(grounds)s.")
                    % {"grounds": ", ".join(RejectionGround.values)}
                }
            )
        comment = (comment or "").strip()
        if ground == RejectionGround.OTHER and not comment:
            raise ValidationError({"comment": gettext("This field is required.")})
        if comment:
            check_text("comment", comment, multiline=True)
        with transaction.atomic():
            locked = self._locked_pending(by)
            locked.state = UpdateState.REJECTED
            locked.rejection_ground = ground
            locked.rejection_comment = comment[:5000]
            locked.moderated_by = by
            locked.moderated_at = timebase.now()
            locked.save(
                update_fields=[
                    "state",
                    "rejection_ground",
                    "rejection_comment",
                    "moderated_by",
                    "moderated_at",
                ]
            )
        self.refresh_from_db()
