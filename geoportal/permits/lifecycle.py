"""The application's life cycle: one method per action of the permit procedure (states.py).

Each action goes through the procedure core (geoportal.procedure.perform): the row is
locked, the version, the state and the person are checked against the transitions table,
the action's changes are applied, one append-only event is written and the notifications
it causes are queued, all in one transaction. A refusal (a ValidationError naming the
field, or a ProcedureError) changes nothing.
"""

from __future__ import annotations

from calendar import monthrange
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import IO, TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext as _

from geoportal.core.text import check_text
from geoportal.municipalities.working_days import KYIV
from geoportal.permits.models.data import ApplicationData, PermitClock
from geoportal.permits.roles import PERMITS, SYSTEM, actor_roles
from geoportal.permits.states import Action, Actor, Kind, RefusalReason
from geoportal.procedure.errors import NotAllowedError
from geoportal.procedure.perform import perform

if TYPE_CHECKING:
    from geoportal.permits.models import ApplicationEvent, ApprovalTask, PermitSettings

Apply = Callable[["ApplicationLifecycle", datetime], None]
TEXT_MAX = 5000


def _required(field: str, value: object) -> None:
    if value is None or (isinstance(value, str) and not value.strip()):
        raise ValidationError({field: _("This field is required.")})
    _typed(field, value)


def _typed(field: str, value: object) -> None:
    if isinstance(value, str):
        check_text(field, value, multiline=True)
        try:
            MaxLengthValidator(TEXT_MAX)(value)
        except ValidationError as exc:
            raise ValidationError({field: exc.messages}) from None


def add_months(day: date, months: int) -> date:
    """The same day `months` later (the month's last day when it has no such day)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, monthrange(year, month)[1]))


def local_today(now: datetime) -> date:
    return now.astimezone(KYIV).date()


def _nothing(application: ApplicationLifecycle, now: datetime) -> None:
    """An action that changes no field: only its event (and notifications) are written."""


class ApplicationLifecycle(ApplicationData):
    """The actions of the procedure as methods of the application (abstract)."""

    class Meta:
        abstract = True

    # -- settings and defaults --------------------------------------------------------

    @property
    def permit_settings(self) -> PermitSettings:
        from geoportal.permits.models import PermitSettings

        return PermitSettings.for_(self.municipality, self.kind)

    def default_term(self, start: date) -> date:
        """The end of a permit starting on `start`: a terrace's season (or the applicant's
        requested end), else the kind's term in months."""
        if self.kind == Kind.TERRACE and self.season_to:
            return self.season_to
        months = self.permit_settings.term_months
        if months <= 0:
            return self.requested_to or start
        return add_months(start, months) - timedelta(days=1)

    @classmethod
    def submit(cls, **data: Any) -> Any:
        """Create an application (geoportal.permits.intake.submit_application)."""
        from geoportal.permits.intake import submit_application

        return submit_application(**data)

    # -- officers ----------------------------------------------------------------------

    def register(self, by: Any) -> ApplicationEvent:
        """Registered: the check's clock starts; an advertising application holds the site
        for the priority period from today."""

        def apply(application: ApplicationLifecycle, now: datetime) -> None:
            settings = application.permit_settings
            application.registered_at = now
            if application.kind == Kind.ADVERTISING and settings.priority_months:
                application.priority_until = add_months(local_today(now), settings.priority_months)
            application.start_working_clock(PermitClock.CHECK, now, settings.check_working_days)

        return self._perform(Action.REGISTER, by, apply)

    def request_approval(
        self, by: Any, body: str, body_name: str = "", due_days: int = 10
    ) -> ApplicationEvent:
        """Ask another body for its approval (a tracked task due in `due_days` working days)."""
        from geoportal.permits.models import ApprovalBody, ApprovalTask

        if body not in ApprovalBody.values:
            raise ValidationError(
                {
                    "body": _("Choose one of: %(bodies)s.")
                    % {"bodies": ", ".join(ApprovalBody.values)}
                }
            )
        if body == ApprovalBody.OTHER:
            _required("body_name", body_name)
        _typed("body_name", body_name)
        if not isinstance(due_days, int) or not 1 <= due_days <= 60:
            raise ValidationError({"due_days": _("Choose between 1 and 60 working days.")})
        label = body_name.strip() or str(ApprovalBody(body).label)

        def apply(application: ApplicationLifecycle, now: datetime) -> None:
            ApprovalTask.objects.create(  # type: ignore[misc]
                application=application,
                body=body,
                body_name=body_name.strip()[:300],
                requested_at=now,
                due_at=application._calendar().working_deadline(now, due_days),
            )

        return self._perform(Action.REQUEST_APPROVAL, by, apply, text=label)

    def record_approval(
        self, by: Any, task: ApprovalTask, result: str, note: str = ""
    ) -> ApplicationEvent:
        from geoportal.permits.models import ApprovalResult, ApprovalTask

        if task is None or task.application_id != self.pk:
            raise ValidationError({"task": _("The approval belongs to another application.")})
        if result not in (ApprovalResult.APPROVED, ApprovalResult.REFUSED):
            raise ValidationError({"result": _("Choose approved or refused.")})
        if result == ApprovalResult.REFUSED:
            _required("note", note)
        _typed("note", note)

        def apply(application: ApplicationLifecycle, now: datetime) -> None:
            locked = ApprovalTask.objects.select_for_update().get(pk=task.pk)
            if not locked.is_pending:
                raise ValidationError({"task": _("This approval was answered already.")})
            locked.result, locked.answered_at, locked.note = result, now, note.strip()
            locked.save(update_fields=["result", "answered_at", "note"])

        label = f"{task.body_name or task.get_body_display()}: {ApprovalResult(result).label}"
        text = f"{label}. {note.strip()}".strip(". ") if note.strip() else label
        return self._perform(Action.RECORD_APPROVAL, by, apply, text=text)

    def complete_check(self, by: Any, note: str = "") -> ApplicationEvent:
        """The check is complete (Action.CHECK; not named `check`, which is Django's system
        check of a model): the decision's clock starts. Not while an approval is awaited."""
        _typed("note", note)

        def apply(application: ApplicationLifecycle, now: datetime) -> None:
            if application.approvals.filter(result="pending").exists():  # type: ignore[attr-defined]
                raise ValidationError(
                    {"approvals": _("An approval is still awaited; record its answer first.")}
                )
            application.checked_at = now
            application.start_working_clock(
                PermitClock.ISSUE, now, application.permit_settings.issue_working_days
            )

        return self._perform(Action.CHECK, by, apply, text=note)

    def grant(
        self,
        by: Any,
        valid_from: date | None = None,
        valid_to: date | None = None,
        text: str = "",
    ) -> ApplicationEvent:
        """Grant: the passport's or permit's number, its term, and the layer's feature
        (created or updated, with history naming this application)."""
        from geoportal.permits import layer
        from geoportal.permits.models import PermitCounter

        _typed("text", text)

        def apply(application: ApplicationLifecycle, now: datetime) -> None:
            start = valid_from or application.requested_from or local_today(now)
            if application.kind == Kind.TERRACE and application.season_from and not valid_from:
                start = application.season_from
            end = valid_to or application.default_term(start)
            if end < start:
                raise ValidationError(
                    {"valid_to": _("The end of validity must not precede its start.")}
                )
            application.valid_from, application.valid_to = start, end
            application.permit_number = PermitCounter.next_number(
                application.municipality, application.kind, local_today(now).year
            )
            application.decided_at = now
            application.decision_text = text.strip()
            application.stop_clock()
            layer.write_granted(application, by)  # type: ignore[arg-type]

        return self._perform(Action.GRANT, by, apply, text=text, number_in_text=True)

    def refuse(self, by: Any, reason: str, text: str) -> ApplicationEvent:
        """A reasoned refusal: one of the grounds and the reasons in words."""
        if reason not in RefusalReason.values:
            raise ValidationError(
                {
                    "reason": _("Choose one of: %(reasons)s.")
                    % {"reasons": ", ".join(RefusalReason.values)}
                }
            )
        _required("text", text)

        def apply(application: ApplicationLifecycle, now: datetime) -> None:
            application.refusal_reason = reason
            application.decided_at = now
            application.decision_text = text.strip()
            application.priority_until = None
            application.stop_clock()

        label = str(RefusalReason(reason).label)
        return self._perform(Action.REFUSE, by, apply, text=f"{label}. {text.strip()}")

    def extend(self, by: Any, valid_to: date, text: str = "") -> ApplicationEvent:
        from geoportal.permits import layer

        _required("valid_to", valid_to)
        _typed("text", text)

        def apply(application: ApplicationLifecycle, now: datetime) -> None:
            if application.valid_to is not None and valid_to <= application.valid_to:
                raise ValidationError(
                    {"valid_to": _("Choose a date after the current end of validity.")}
                )
            application.valid_to = valid_to
            application.expiry_noticed_at = None
            layer.extend_feature(application, by)  # type: ignore[arg-type]

        shown = f"{valid_to.strftime('%d.%m.%Y')}. {text.strip()}".strip(". ")
        return self._perform(Action.EXTEND, by, apply, text=shown)

    def annul(self, by: Any, text: str) -> ApplicationEvent:
        """Annul the permit (the head's decision): the feature is cancelled."""
        from geoportal.permits import layer
        from layers.models import StructureStatus

        _required("text", text)

        def apply(application: ApplicationLifecycle, now: datetime) -> None:
            application.annulled_at = now
            application.decision_text = text.strip()
            layer.set_status(application, by, StructureStatus.CANCELLED, text.strip())  # type: ignore[arg-type]

        return self._perform(Action.ANNUL, by, apply, text=text)

    def expire(self, by: Any = SYSTEM) -> ApplicationEvent:
        """The clock's (`by` is the platform, roles.SYSTEM): a permit past its end of
        validity expires, and so does its feature."""
        from geoportal.permits import layer
        from layers.models import StructureStatus

        def apply(application: ApplicationLifecycle, now: datetime) -> None:
            if application.valid_to is None or application.valid_to >= local_today(now):
                raise ValidationError({"valid_to": _("The permit is still valid.")})
            application.expired_at = now
            layer.set_status(application, None, StructureStatus.EXPIRED)  # type: ignore[arg-type]

        return self._perform(Action.EXPIRE, by, apply)

    def remove(self, by: Any, text: str = "") -> ApplicationEvent:
        """The structure was removed: its feature is dismantled."""
        from geoportal.permits import layer
        from layers.models import StructureStatus

        _typed("text", text)

        def apply(application: ApplicationLifecycle, now: datetime) -> None:
            application.removed_at = now
            layer.set_status(application, by, StructureStatus.DISMANTLED)  # type: ignore[arg-type]

        return self._perform(Action.REMOVE, by, apply, text=text)

    def comment(self, by: Any, text: str, public: bool = False) -> ApplicationEvent:
        _required("text", text)
        return self._perform(Action.COMMENT, by, _nothing, text=text, public=public)

    # -- the applicant -----------------------------------------------------------------

    def _as_applicant(self, who: Any) -> tuple[Any, bool]:
        """(the user acting, whether they proved themselves by the tracking code)."""
        if isinstance(who, str):
            if not who or who != self.tracking_code:
                raise NotAllowedError(_("Only the applicant may do this, by the tracking link."))
            return None, True
        return who, False

    def withdraw(self, who: Any, text: str = "") -> ApplicationEvent:
        """The applicant withdraws (signed in, or by the tracking code)."""
        _typed("text", text)
        by, by_code = self._as_applicant(who)

        def apply(application: ApplicationLifecycle, now: datetime) -> None:
            application.decided_at = now
            application.priority_until = None
            application.stop_clock()

        return self._perform(
            Action.WITHDRAW, by, apply, text=text, as_applicant=True, as_party=by_code
        )

    def report_installation(self, who: Any, photo: IO[bytes]) -> ApplicationEvent:
        """The applicant reports the structure installed, with a photo (checked like any
        document: JPEG or PNG, re-encoded without EXIF)."""
        from geoportal.permits.intake import StoredDocuments, check_document, store_documents
        from geoportal.permits.models import DocumentKind

        _required("photo", photo)
        checked = check_document(
            photo, getattr(photo, "name", "") or "photo", field="photo", images_only=True
        )
        by, by_code = self._as_applicant(who)
        files = StoredDocuments()

        def apply(application: ApplicationLifecycle, now: datetime) -> None:
            application.installed_at = now
            store_documents(application, [(DocumentKind.INSTALLATION_PHOTO, checked)], files, now)

        return self._perform(
            Action.REPORT_INSTALLATION,
            by,
            apply,
            as_applicant=True,
            as_party=by_code,
            cleanup=files.remove,
        )

    # -- the common path ---------------------------------------------------------------

    def _perform(
        self,
        action: Action,
        by: Any,
        apply: Apply,
        *,
        text: str = "",
        public: bool = True,
        as_applicant: bool = False,
        as_party: bool = False,
        number_in_text: bool = False,
        cleanup: Callable[[], None] | None = None,
    ) -> ApplicationEvent:
        from geoportal.permits.models import ApplicationEvent
        from geoportal.permits.notify import notify_event

        def record(locked: Any, before: str, now: datetime) -> ApplicationEvent:
            shown = text.strip()
            if number_in_text and locked.permit_number:
                shown = f"{locked.permit_number}. {shown}".strip(". ")
            event = ApplicationEvent.objects.create(
                application=locked,
                action=action,
                from_state=before,
                to_state=locked.state,
                actor=by if getattr(by, "is_authenticated", False) else None,
                by_applicant=as_applicant,
                text=shown,
                is_public=public,
                created_at=now,
            )
            notify_event(locked, event)
            return event

        return perform(self, PERMITS, action, by, apply, record, as_party=as_party, cleanup=cleanup)

    def roles_of(self, user: Any) -> set[Actor]:
        return actor_roles(self, user)
