"""The report's life cycle: one method per action of PROCEDURE.md.

Each action locks the report's row, checks the state and the person against the
transitions table (states.py), applies its changes and the next clock, writes one
append-only event and queues the notifications it causes, all in one transaction.
A second action prepared on an older read of the report gets a conflict instead of
acting on a state it has not seen.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext as _

from geoportal.core.text import check_text
from geoportal.municipalities.working_days import KYIV
from geoportal.procedure.perform import perform
from geoportal.reports.engagement import ReportEngagement
from geoportal.reports.errors import NotAllowedError
from geoportal.reports.models.data import Clock
from geoportal.reports.photos import Photo, StoredFiles, store
from geoportal.reports.roles import REPORTS, actor_roles
from geoportal.reports.states import Action, Actor, RejectionGround

if TYPE_CHECKING:
    from geoportal.reports.models import ReportEvent, ReportPhoto

Apply = Callable[["ReportLifecycle", datetime], None]
# Law «Про звернення громадян», art. 20: an appeal is answered within 30 days, 45 at most
# with extensions, whatever a hromada sets for its other reports (PROCEDURE.md).
APPEAL_ANSWER_DAYS_MAX = 30
APPEAL_CEILING_DAYS_MAX = 45


# Staff's one-line texts; every other text of an action may hold line breaks, up to
# TEXT_MAX characters (as the API's inputs allow).
_SINGLE_LINE = frozenset({"title", "competent_body"})
TEXT_MAX = 5000


def _required(field: str, value: object) -> None:
    if value is None or (isinstance(value, str) and not value.strip()):
        raise ValidationError({field: _("This field is required.")})
    _typed(field, value)


def _typed(field: str, value: object) -> None:
    """The texts of actions are checked like residents' reports (geoportal.core.text): no
    control or reordering characters in what reporters and e-mails will show, and a length
    the page forms cannot exceed either."""
    if isinstance(value, str):
        check_text(field, value, multiline=field not in _SINGLE_LINE)
        try:
            MaxLengthValidator(TEXT_MAX)(value)
        except ValidationError as exc:
            raise ValidationError({field: exc.messages}) from None


def _local(moment: datetime) -> str:
    return moment.astimezone(KYIV).strftime("%d.%m.%Y %H:%M")


def _nothing(report: ReportLifecycle, now: datetime) -> None:
    """An action that changes no field: only its event (and notifications) are written."""


class ReportLifecycle(ReportEngagement):
    """The actions of PROCEDURE.md as methods of the report (abstract; see Report)."""

    class Meta:
        abstract = True

    # -- clocks ---------------------------------------------------------------------

    def answer_days(self, study: bool = False) -> int:
        """Calendar days to answer: the hromada's setting, capped by law for an appeal."""
        settings = self.municipality
        days = settings.answer_study_calendar_days if study else settings.answer_calendar_days
        return min(days, APPEAL_ANSWER_DAYS_MAX) if self.is_formal_appeal else days

    def ceiling_days(self) -> int:
        days = self.municipality.extension_ceiling_calendar_days
        return min(days, APPEAL_CEILING_DAYS_MAX) if self.is_formal_appeal else days

    # -- moderator -------------------------------------------------------------

    def approve(self, by: Any, department: Any = None) -> ReportEvent:
        """Route to a department: the one chosen, else the routing rules' suggestion."""
        chosen = department or self.suggested_department
        if chosen is None:
            raise ValidationError({"department": _("This field is required.")})
        if chosen.municipality_id != self.municipality_id or not chosen.is_active:
            raise ValidationError({"department": _("Choose an active department of this hromada.")})

        def apply(report: ReportLifecycle, now: datetime) -> None:
            calendar, settings = report._calendar(), report.municipality
            if report.department_id != chosen.pk:
                report.assignee = None  # another department's people
            report.department = chosen
            report.moderated_at = report.moderated_at or now
            report.times_routed += 1
            if report.first_routed_at is None:
                report.first_routed_at = now
                report.answer_due_at = calendar.calendar_deadline(now, report.answer_days())
                report.ceiling_at = calendar.calendar_deadline(now, report.ceiling_days())
            report.start_clock(
                Clock.ACKNOWLEDGEMENT,
                calendar.working_deadline(now, settings.acknowledgement_working_days),
            )

        return self._perform(Action.APPROVE, by, apply, text=chosen.name)

    def reject(self, by: Any, ground: str, comment: str = "") -> ReportEvent:
        if ground not in RejectionGround.values:
            raise ValidationError(
                {
                    "ground": _("Choose one of: %(grounds)s.")
                    % {"grounds": ", ".join(RejectionGround.values)}
                }
            )
        if ground == RejectionGround.OTHER:
            _required("comment", comment)
        _typed("comment", comment)

        def apply(report: ReportLifecycle, now: datetime) -> None:
            report.rejection_ground = ground
            report.moderated_at = report.moderated_at or now
            report.stop_clock()

        label = str(RejectionGround(ground).label)
        return self._perform(Action.REJECT, by, apply, text=f"{label}. {comment}".strip(". "))

    def mark_duplicate(self, by: Any, original: ReportLifecycle) -> ReportEvent:
        _required("original", original)
        if original.pk == self.pk or original.municipality_id != self.municipality_id:
            raise ValidationError({"original": _("Choose another report of this hromada.")})
        if original.duplicate_of is not None:
            raise ValidationError({"original": _("That report is itself a duplicate.")})

        def apply(report: ReportLifecycle, now: datetime) -> None:
            report.duplicate_of = original
            report.moderated_at = report.moderated_at or now
            report.stop_clock()
            report.move_supporters_to(original)

        return self._perform(Action.MARK_DUPLICATE, by, apply, text=f"#{original.pk}")

    def out_of_competence(self, by: Any, competent_body: str) -> ReportEvent:
        _required("competent_body", competent_body)

        def apply(report: ReportLifecycle, now: datetime) -> None:
            report.competent_body = competent_body.strip()
            report.moderated_at = report.moderated_at or now
            report.stop_clock()

        return self._perform(Action.OUT_OF_COMPETENCE, by, apply, text=competent_body.strip())

    def redact(self, by: Any, title: str, description: str) -> ReportEvent:
        """Replace the public text (to remove personal data); the old text is not kept."""
        _required("title", title)
        _required("description", description)

        def apply(report: ReportLifecycle, now: datetime) -> None:
            report.title, report.description = title.strip(), description.strip()
            report.full_clean(validate_unique=False, validate_constraints=False)

        return self._perform(Action.REDACT, by, apply, text="", public=False)

    def hide_photo(self, by: Any, photo: ReportPhoto) -> ReportEvent:
        if photo.report_id != self.pk:
            raise ValidationError({"photo": _("The photo belongs to another report.")})

        def apply(report: ReportLifecycle, now: datetime) -> None:
            type(photo).objects.filter(pk=photo.pk).update(is_hidden=True)

        return self._perform(Action.HIDE_PHOTO, by, apply, text=f"photo {photo.pk}", public=False)

    # -- department ------------------------------------------------------------

    def accept(self, by: Any, needs_study: bool = False) -> ReportEvent:
        def apply(report: ReportLifecycle, now: datetime) -> None:
            report.needs_study = needs_study
            report.acknowledged_at = report.acknowledged_at or now
            if needs_study and report.first_routed_at is not None:
                longer = report._calendar().calendar_deadline(
                    report.first_routed_at, report.answer_days(study=True)
                )
                report.answer_due_at = max(longer, report.answer_due_at or longer)
            if report.answer_due_at is not None:
                report.start_clock(Clock.ANSWER, report.answer_due_at)

        return self._perform(Action.ACCEPT, by, apply)

    def return_to_moderator(self, by: Any, reason: str) -> ReportEvent:
        _required("reason", reason)

        def apply(report: ReportLifecycle, now: datetime) -> None:
            report.acknowledged_at = report.acknowledged_at or now
            report.times_returned += 1
            report.assignee = None
            report.start_clock(
                Clock.REROUTING,
                report._calendar().working_deadline(
                    now, report.municipality.rerouting_working_days
                ),
            )

        return self._perform(Action.RETURN, by, apply, text=reason, public=False)

    def assign(self, by: Any, assignee: Any) -> ReportEvent:
        """Give the report to one of the department's people (`None`: to nobody). The head
        assigns anyone in the department; a worker only takes it or gives it back."""
        from geoportal.municipalities.models import DepartmentMembership

        def apply(report: ReportLifecycle, now: datetime) -> None:
            if (
                assignee is not None
                and not DepartmentMembership.objects.filter(
                    user=assignee, department=report.department, user__is_active=True
                ).exists()
            ):
                raise ValidationError(
                    {"assignee": _("Choose a person who works in the report's department.")}
                )
            if Actor.HEAD not in actor_roles(report, by):
                taking = assignee is not None and assignee.pk == by.pk and not report.assignee_id
                giving_back = assignee is None and report.assignee_id == by.pk
                if not (taking or giving_back):
                    raise NotAllowedError(
                        _("A worker takes a report or gives it back; the head assigns others.")
                    )
            if assignee is None and report.assignee_id is None:
                raise ValidationError({"assignee": _("The report is not assigned to anyone.")})
            if assignee is not None and report.assignee_id == assignee.pk:
                raise ValidationError(
                    {"assignee": _("The report is already assigned to this person.")}
                )
            report.assignee = assignee

        text = assignee.get_full_name() or assignee.username if assignee is not None else ""
        return self._perform(Action.ASSIGN, by, apply, text=text, public=False)

    def plan(self, by: Any, planned_for: date, justification: str) -> ReportEvent:
        """Answer with a date; beyond the deadline it needs the (always required)
        public justification and still counts as answered on time."""
        _required("planned_for", planned_for)
        _required("justification", justification)

        def apply(report: ReportLifecycle, now: datetime) -> None:
            if planned_for < now.date():
                raise ValidationError({"planned_for": _("Choose today or a later date.")})
            report.planned_for = planned_for
            report._mark_answered(now)
            report.stop_clock()

        return self._perform(Action.PLAN, by, apply, text=justification)

    def resolve(self, by: Any, answer: str, photos: Sequence[Photo] = ()) -> ReportEvent:
        """The public answer, with up to five checked "after" photos (photos.check_all)."""
        _required("answer", answer)
        return self._perform(
            Action.RESOLVE, by, self._answered(by, answer), text=answer, photos=photos
        )

    def not_resolve(self, by: Any, reason: str) -> ReportEvent:
        _required("reason", reason)
        return self._perform(Action.NOT_RESOLVE, by, self._answered(by, reason), text=reason)

    def extend(self, by: Any, new_due: datetime, reason: str) -> ReportEvent:
        _required("new_due", new_due)
        _required("reason", reason)

        def apply(report: ReportLifecycle, now: datetime) -> None:
            ceiling = report.ceiling_at
            if ceiling is not None and new_due > ceiling:
                raise ValidationError(
                    {
                        "new_due": _("The extension ceiling is %(ceiling)s.")
                        % {"ceiling": _local(ceiling)}
                    }
                )
            if report.answer_due_at is not None and new_due <= report.answer_due_at:
                raise ValidationError({"new_due": _("Choose a date after the current deadline.")})
            report.answer_due_at = new_due
            if report.clock == Clock.ANSWER:
                report.start_clock(Clock.ANSWER, new_due)

        return self._perform(Action.EXTEND, by, apply, text=reason)

    # -- reporter, moderator, coordinator, staff -----------------------------------

    def dispute(self, tracking_code: str, comment: str) -> ReportEvent:
        """The reporter, by the tracking link, within the dispute window."""
        _required("comment", comment)
        if tracking_code != self.tracking_code:
            raise NotAllowedError(_("Only the reporter may dispute, by the tracking link."))

        def apply(report: ReportLifecycle, now: datetime) -> None:
            if report.dispute_until is None or now > report.dispute_until:
                raise ValidationError({"comment": _("The time to dispute this answer is over.")})
            report.disputed_at = now
            report.dispute_answered_at = None
            report.start_clock(
                Clock.DISPUTE,
                report._calendar().working_deadline(
                    now, report.municipality.dispute_review_working_days
                ),
            )

        return self._perform(
            Action.DISPUTE, None, apply, text=comment, public=False, as_reporter=True
        )

    def reopen(self, by: Any, comment: str) -> ReportEvent:
        _required("comment", comment)

        def apply(report: ReportLifecycle, now: datetime) -> None:
            if Actor.COORDINATOR not in actor_roles(report, by) and report.disputed_at is None:
                raise NotAllowedError(_("A moderator reopens a report only after a dispute."))
            report.answer_due_at = report._calendar().calendar_deadline(now, report.answer_days())
            report.start_clock(Clock.ANSWER, report.answer_due_at)
            report.answered_at = report.answered_on_time = None
            report.dispute_until = report.disputed_at = report.dispute_answered_at = None

        return self._perform(Action.REOPEN, by, apply, text=comment)

    def comment(self, by: Any, text: str, public: bool = False) -> ReportEvent:
        """A note by staff; a moderator's public comment on a dispute answers it."""
        _required("text", text)

        def apply(report: ReportLifecycle, now: datetime) -> None:
            roles = actor_roles(report, by)
            answering = report.disputed_at is not None and report.dispute_answered_at is None
            if public and answering and Actor.MODERATOR in roles:
                report.dispute_answered_at = now
                report.stop_clock()

        return self._perform(Action.COMMENT, by, apply, text=text, public=public)

    # -- the common path ----------------------------------------------------------

    def _mark_answered(self, now: datetime) -> None:
        if self.answered_at is None:
            self.answered_at = now
            self.answered_on_time = self.answer_due_at is None or now <= self.answer_due_at

    def _answered(self, by: Any, text: str) -> Apply:
        def apply(report: ReportLifecycle, now: datetime) -> None:
            if report.is_formal_appeal and Actor.HEAD not in actor_roles(report, by):
                raise NotAllowedError(
                    _("A formal appeal is answered with the department head's approval.")
                )
            report.public_answer = text
            report._mark_answered(now)
            report.dispute_until = report._calendar().calendar_deadline(
                now, report.municipality.dispute_window_calendar_days
            )
            report.disputed_at = report.dispute_answered_at = None
            report.stop_clock()

        return apply

    def _perform(
        self,
        action: Action,
        by: Any,
        apply: Apply,
        *,
        text: str = "",
        public: bool = True,
        as_reporter: bool = False,
        photos: Sequence[Photo] = (),
    ) -> ReportEvent:
        from geoportal.reports.models import ReportEvent
        from geoportal.reports.notify import notify_event

        files = StoredFiles()

        def record(locked: Any, before: str, now: datetime) -> ReportEvent:
            event = ReportEvent.objects.create(
                report=locked,
                action=action,
                from_state=before,
                to_state=locked.state,
                actor=by if getattr(by, "is_authenticated", False) else None,
                by_reporter=as_reporter,
                text=text.strip(),
                is_public=public,
                created_at=now,
            )
            store(list(photos), locked, files, event=event)
            notify_event(locked, event)
            return event

        return perform(
            self, REPORTS, action, by, apply, record, as_party=as_reporter, cleanup=files.remove
        )
