"""The report's life cycle: one method per action of PROCEDURE.md.

Each action locks the report's row, checks the state and the person against the
transitions table (states.py), applies its changes and the next clock, and writes
one append-only event, all in one transaction. A second action prepared on an older
read of the report gets a Conflict instead of acting on a state it has not seen.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from geoportal.municipalities.working_days import WorkingCalendar
from geoportal.reports.errors import ConflictError, NotAllowedError, WrongStateError
from geoportal.reports.models.data import ReportData
from geoportal.reports.roles import actor_roles
from geoportal.reports.states import TRANSITIONS, Action, Actor, RejectionGround

if TYPE_CHECKING:
    from geoportal.reports.models import ReportEvent


def _required(field: str, value: object) -> None:
    if value is None or (isinstance(value, str) and not value.strip()):
        raise ValidationError({field: "This field is required."})


class ReportLifecycle(ReportData):
    """The actions of PROCEDURE.md as methods of the report (abstract; see Report)."""

    class Meta:
        abstract = True

    # -- moderator -------------------------------------------------------------

    def approve(self, by: Any, department: Any = None) -> ReportEvent:
        """Route to a department: the one chosen, else the routing rules' suggestion."""
        chosen = department or self.suggested_department
        if chosen is None:
            raise ValidationError({"department": "This field is required."})
        if chosen.municipality_id != self.municipality_id or not chosen.is_active:
            raise ValidationError({"department": "Choose an active department of this hromada."})

        def apply(report: ReportLifecycle, now: datetime) -> None:
            calendar = WorkingCalendar(report.municipality)
            settings = report.municipality
            report.department = chosen
            if report.first_routed_at is None:
                report.first_routed_at = now
                report.answer_due_at = calendar.calendar_deadline(
                    now, settings.answer_calendar_days
                )
                report.ceiling_at = calendar.calendar_deadline(
                    now, settings.extension_ceiling_calendar_days
                )
            report.clock = "acknowledgement"
            report.due_at = calendar.working_deadline(now, settings.acknowledgement_working_days)

        return self._perform(Action.APPROVE, by, apply, text=chosen.name)

    def reject(self, by: Any, ground: str, comment: str = "") -> ReportEvent:
        if ground not in RejectionGround.values:
            raise ValidationError(
                {"ground": f"Choose one of: {', '.join(RejectionGround.values)}."}
            )
        if ground == RejectionGround.OTHER:
            _required("comment", comment)

        def apply(report: ReportLifecycle, now: datetime) -> None:
            report.rejection_ground = ground
            report.clock, report.due_at = "", None

        return self._perform(Action.REJECT, by, apply, text=comment or ground)

    def mark_duplicate(self, by: Any, original: ReportLifecycle) -> ReportEvent:
        _required("original", original)
        if original.pk == self.pk or original.municipality_id != self.municipality_id:
            raise ValidationError({"original": "Choose another report of this hromada."})

        def apply(report: ReportLifecycle, now: datetime) -> None:
            report.duplicate_of = original
            report.clock, report.due_at = "", None

        return self._perform(Action.MARK_DUPLICATE, by, apply, text=f"#{original.pk}")

    def out_of_competence(self, by: Any, competent_body: str) -> ReportEvent:
        _required("competent_body", competent_body)

        def apply(report: ReportLifecycle, now: datetime) -> None:
            report.competent_body = competent_body
            report.clock, report.due_at = "", None

        return self._perform(Action.OUT_OF_COMPETENCE, by, apply, text=competent_body)

    # -- department ------------------------------------------------------------

    def accept(self, by: Any, needs_study: bool = False) -> ReportEvent:
        def apply(report: ReportLifecycle, now: datetime) -> None:
            settings = report.municipality
            report.needs_study = needs_study
            if needs_study and report.first_routed_at is not None:
                report.answer_due_at = WorkingCalendar(settings).calendar_deadline(
                    report.first_routed_at, settings.answer_study_calendar_days
                )
            report.clock, report.due_at = "answer", report.answer_due_at

        return self._perform(Action.ACCEPT, by, apply)

    def return_to_moderator(self, by: Any, reason: str) -> ReportEvent:
        _required("reason", reason)

        def apply(report: ReportLifecycle, now: datetime) -> None:
            calendar = WorkingCalendar(report.municipality)
            report.clock = "rerouting"
            report.due_at = calendar.working_deadline(
                now, report.municipality.rerouting_working_days
            )

        return self._perform(Action.RETURN, by, apply, text=reason)

    def plan(self, by: Any, planned_for: date, justification: str) -> ReportEvent:
        _required("planned_for", planned_for)
        _required("justification", justification)

        def apply(report: ReportLifecycle, now: datetime) -> None:
            report.planned_for = planned_for
            report.answered_at = report.answered_at or now  # answered, though still open
            report.clock, report.due_at = "", None

        return self._perform(Action.PLAN, by, apply, text=justification)

    def resolve(self, by: Any, answer: str) -> ReportEvent:
        _required("answer", answer)
        return self._perform(Action.RESOLVE, by, self._answered(answer), text=answer)

    def not_resolve(self, by: Any, reason: str) -> ReportEvent:
        _required("reason", reason)
        return self._perform(Action.NOT_RESOLVE, by, self._answered(reason), text=reason)

    def extend(self, by: Any, new_due: datetime, reason: str) -> ReportEvent:
        _required("new_due", new_due)
        _required("reason", reason)

        def apply(report: ReportLifecycle, now: datetime) -> None:
            if report.ceiling_at is not None and new_due > report.ceiling_at:
                raise ValidationError(
                    {"new_due": f"The extension ceiling is {report.ceiling_at:%d.%m.%Y %H:%M}."}
                )
            if report.answer_due_at is not None and new_due <= report.answer_due_at:
                raise ValidationError({"new_due": "Choose a date after the current deadline."})
            report.answer_due_at = new_due
            if report.clock == "answer":
                report.due_at = new_due

        return self._perform(Action.EXTEND, by, apply, text=reason)

    # -- reporter, moderator, coordinator, staff -----------------------------------

    def dispute(self, tracking_code: str, comment: str) -> ReportEvent:
        """The reporter, by the tracking link, within the dispute window."""
        _required("comment", comment)
        if tracking_code != self.tracking_code:
            raise NotAllowedError("Only the reporter may dispute, by the tracking link.")

        def apply(report: ReportLifecycle, now: datetime) -> None:
            if report.dispute_until is None or now > report.dispute_until:
                raise ValidationError({"comment": "The time to dispute this answer is over."})
            report.disputed_at = now

        return self._perform(Action.DISPUTE, None, apply, text=comment, as_reporter=True)

    def reopen(self, by: Any, comment: str) -> ReportEvent:
        _required("comment", comment)

        def apply(report: ReportLifecycle, now: datetime) -> None:
            roles = actor_roles(report, by)
            if Actor.COORDINATOR not in roles and report.disputed_at is None:
                raise NotAllowedError("A moderator reopens a report only after a dispute.")
            calendar = WorkingCalendar(report.municipality)
            report.answer_due_at = calendar.calendar_deadline(
                now, report.municipality.answer_calendar_days
            )
            report.clock, report.due_at = "answer", report.answer_due_at
            report.answered_at = report.dispute_until = report.disputed_at = None

        return self._perform(Action.REOPEN, by, apply, text=comment)

    def comment(self, by: Any, text: str, public: bool = False) -> ReportEvent:
        _required("text", text)
        return self._perform(Action.COMMENT, by, lambda r, n: None, text=text, public=public)

    # -- the common path ----------------------------------------------------------

    def _answered(self, text: str) -> Callable[[ReportLifecycle, datetime], None]:
        def apply(report: ReportLifecycle, now: datetime) -> None:
            roles = actor_roles(report, self._actor)
            if report.is_formal_appeal and Actor.HEAD not in roles:
                raise NotAllowedError(
                    "A formal appeal is answered with the department head's approval."
                )
            calendar = WorkingCalendar(report.municipality)
            report.public_answer = text
            report.answered_at = report.answered_at or now
            report.dispute_until = calendar.calendar_deadline(
                now, report.municipality.dispute_window_calendar_days
            )
            report.clock, report.due_at = "", None

        return apply

    def _perform(
        self,
        action: Action,
        by: Any,
        apply: Callable[[ReportLifecycle, datetime], None],
        *,
        text: str = "",
        public: bool = True,
        as_reporter: bool = False,
    ) -> ReportEvent:
        from geoportal.reports.models import Report, ReportEvent

        transition = TRANSITIONS[action]
        self._actor = by
        with transaction.atomic():
            # The lock makes a second, simultaneous action wait for this one; the
            # version check then turns it into a conflict instead of a stale action.
            locked = (
                Report.objects.select_for_update().select_related("municipality").get(pk=self.pk)
            )
            if locked.version != self.version:
                raise ConflictError(
                    f"The report changed meanwhile (now {locked.get_state_display()}); reload it."
                )
            if transition.sources is not None and locked.state not in transition.sources:
                raise WrongStateError(
                    f"{action.label} is not possible for a report that is "
                    f"{locked.get_state_display()}."
                )
            if not as_reporter and not (actor_roles(locked, by) & transition.actors):
                raise NotAllowedError(f"You may not {action.label.lower()} this report.")
            now = timezone.now()
            locked._actor = by
            before = locked.state
            apply(locked, now)
            if transition.target is not None:
                locked.state = transition.target
            locked.version += 1
            locked.save()
            event = ReportEvent.objects.create(
                report=locked,
                action=action,
                from_state=before,
                to_state=locked.state,
                actor=by if getattr(by, "is_authenticated", False) else None,
                by_reporter=as_reporter,
                text=text,
                is_public=public,
            )
        self.refresh_from_db()
        return event
