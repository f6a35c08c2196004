"""POST /api/v1/reports/{id}/<action>/: one endpoint per action of PROCEDURE.md.

Each endpoint parses its input, finds the report the person may see, and calls the
model method; the method checks the person and the state and does the rest. A
refusal is 400 (bad input, naming the field), 403 (not this person), 404 (not a
report they can see) or 409 (not from this state, or changed meanwhile).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import Serializer

from geoportal.accounts.models import User
from geoportal.municipalities.models import Department
from geoportal.municipalities.working_days import KYIV
from geoportal.reports.api import inputs
from geoportal.reports.models import Report, ReportEvent, ReportPhoto
from geoportal.reports.photos import check_all

REFUSALS = dict.fromkeys((400, 403, 404, 409), inputs.ProblemSerializer)


def documented(given: type[Serializer[Any]] | None) -> Callable[[Any], Any]:
    return extend_schema(request=given, responses={200: inputs.ActionResultSerializer, **REFUSALS})


def _department(report: Report, code: str | None) -> Department | None:
    if not code:
        return None
    found = Department.objects.filter(municipality_id=report.municipality_id, code=code).first()
    if found is None:
        raise ValidationError(
            {"department": _("“%(code)s” is not a department of this hromada.") % {"code": code}}
        )
    return found


def _original(report: Report, number: int) -> Report:
    found = Report.objects.filter(pk=number, municipality_id=report.municipality_id).first()
    if found is None:
        raise ValidationError(
            {"original": _("There is no report #%(number)s in this hromada.") % {"number": number}}
        )
    return found


def _photo(report: Report, number: int) -> ReportPhoto:
    found = ReportPhoto.objects.filter(pk=number, report=report).first()
    if found is None:
        raise ValidationError(
            {
                "photo": _("Report #%(pk)s has no photo %(number)s.")
                % {"pk": report.pk, "number": number}
            }
        )
    return found


def _person(number: int | None) -> Any:
    """An active account by number; any other number gets the lifecycle's own refusal, so
    that nobody learns which accounts exist outside the department."""
    if number is None:
        return None
    found = User.objects.filter(pk=number, is_active=True).first()
    if found is None:
        raise ValidationError(
            {"assignee": _("Choose a person who works in the report's department.")}
        )
    return found


def _end_of(day: Any, report: Report) -> datetime:
    return datetime.combine(day, report.municipality.calendar_day_deadline_time, tzinfo=KYIV)


class ReportActions(viewsets.GenericViewSet[Report]):
    """The actions of the procedure as endpoints (mixed into ReportViewSet)."""

    def _act(
        self,
        request: Request,
        given: type[Serializer[Any]],
        perform: Callable[[Report, dict[str, Any]], ReportEvent | None],
    ) -> Response:
        parsed = given(data=inputs.plain_fields(request))
        parsed.is_valid(raise_exception=True)
        data = dict(parsed.validated_data)
        report: Report = self.get_object()
        if data.get("version") is not None:
            report.version = data["version"]  # acting on what the client read
        event = perform(report, data)
        report.refresh_from_db()
        result = {"id": report.pk, "state": report.state, "version": report.version,
                  "event": event.pk if event else None}  # fmt: skip
        return Response(inputs.ActionResultSerializer(result).data)

    @documented(inputs.ApproveInput)
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str | None = None) -> Response:
        """Route to a department (moderator); the routing suggestion when none is given."""
        return self._act(
            request,
            inputs.ApproveInput,
            lambda r, d: r.approve(request.user, _department(r, d.get("department"))),
        )

    @documented(inputs.RejectInput)
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: str | None = None) -> Response:
        """Reject with a ground (moderator); `other` needs a comment."""
        return self._act(
            request,
            inputs.RejectInput,
            lambda r, d: r.reject(request.user, d["ground"], d.get("comment", "")),
        )

    @documented(inputs.MarkDuplicateInput)
    @action(detail=True, methods=["post"])
    def mark_duplicate(self, request: Request, pk: str | None = None) -> Response:
        """Mark as a duplicate of another report; supporters and followers move to it."""
        return self._act(
            request,
            inputs.MarkDuplicateInput,
            lambda r, d: r.mark_duplicate(request.user, _original(r, d["original"])),
        )

    @documented(inputs.OutOfCompetenceInput)
    @action(detail=True, methods=["post"])
    def out_of_competence(self, request: Request, pk: str | None = None) -> Response:
        """Outside the council's competence, naming the competent body (moderator)."""
        return self._act(
            request,
            inputs.OutOfCompetenceInput,
            lambda r, d: r.out_of_competence(request.user, d["competent_body"]),
        )

    @documented(inputs.AcceptInput)
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: str | None = None) -> Response:
        """Accept (department); needs_study gives 30 days instead of 15."""
        return self._act(
            request, inputs.AcceptInput, lambda r, d: r.accept(request.user, d["needs_study"])
        )

    @documented(inputs.ReasonInput)
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request: Request, pk: str | None = None) -> Response:
        """Return to the moderator as not this department's (department)."""
        return self._act(
            request,
            inputs.ReasonInput,
            lambda r, d: r.return_to_moderator(request.user, d["reason"]),
        )

    @documented(inputs.PlanInput)
    @action(detail=True, methods=["post"])
    def plan(self, request: Request, pk: str | None = None) -> Response:
        """Plan the work for a date, with a public justification (department)."""
        return self._act(
            request,
            inputs.PlanInput,
            lambda r, d: r.plan(request.user, d["planned_for"], d["justification"]),
        )

    @extend_schema(
        request={
            "multipart/form-data": inputs.ResolveInput,
            "application/json": inputs.ResolveInput,
        },
        responses={200: inputs.ActionResultSerializer, **REFUSALS},
    )
    @action(detail=True, methods=["post"])
    def resolve(self, request: Request, pk: str | None = None) -> Response:
        """Resolved, with the public answer and up to 5 "after" photos (department)."""
        photos = check_all(request.FILES.getlist("photos"))
        return self._act(
            request,
            inputs.ResolveInput,
            lambda r, d: r.resolve(request.user, d["answer"], photos),
        )

    @documented(inputs.ReasonInput)
    @action(detail=True, methods=["post"])
    def not_resolve(self, request: Request, pk: str | None = None) -> Response:
        """Not resolved, with the public reason (department)."""
        return self._act(
            request, inputs.ReasonInput, lambda r, d: r.not_resolve(request.user, d["reason"])
        )

    @documented(inputs.ExtendInput)
    @action(detail=True, methods=["post"])
    def extend(self, request: Request, pk: str | None = None) -> Response:
        """Extend the answer deadline up to the ceiling (head or coordinator)."""
        return self._act(
            request,
            inputs.ExtendInput,
            lambda r, d: r.extend(request.user, _end_of(d["new_due"], r), d["reason"]),
        )

    @documented(inputs.DisputeInput)
    @action(detail=True, methods=["post"])
    def dispute(self, request: Request, pk: str | None = None) -> Response:
        """Dispute the answer within 14 days (the reporter: tracking code or own account)."""

        def perform(report: Report, data: dict[str, Any]) -> ReportEvent:
            code = data.get("tracking_code") or ""
            user = request.user
            if not code and user.is_authenticated and report.reporter_user_id == user.pk:
                code = report.tracking_code
            return report.dispute(code, data["comment"])

        return self._act(request, inputs.DisputeInput, perform)

    @documented(inputs.ReopenInput)
    @action(detail=True, methods=["post"])
    def reopen(self, request: Request, pk: str | None = None) -> Response:
        """Reopen after a dispute (moderator) or at any time after an answer (coordinator)."""
        return self._act(
            request, inputs.ReopenInput, lambda r, d: r.reopen(request.user, d["comment"])
        )

    @documented(inputs.CommentInput)
    @action(detail=True, methods=["post"])
    def comment(self, request: Request, pk: str | None = None) -> Response:
        """A comment by staff, internal unless `public`."""
        return self._act(
            request,
            inputs.CommentInput,
            lambda r, d: r.comment(request.user, d["text"], public=d["public"]),
        )

    @documented(inputs.RedactInput)
    @action(detail=True, methods=["post"])
    def redact(self, request: Request, pk: str | None = None) -> Response:
        """Replace the public title and description, e.g. to remove personal data (moderator)."""
        return self._act(
            request,
            inputs.RedactInput,
            lambda r, d: r.redact(request.user, d["title"], d["description"]),
        )

    @documented(inputs.HidePhotoInput)
    @action(detail=True, methods=["post"])
    def hide_photo(self, request: Request, pk: str | None = None) -> Response:
        """Hide a photo from the public (moderator)."""
        return self._act(
            request,
            inputs.HidePhotoInput,
            lambda r, d: r.hide_photo(request.user, _photo(r, d["photo"])),
        )

    @documented(inputs.AssignInput)
    @action(detail=True, methods=["post"])
    def assign(self, request: Request, pk: str | None = None) -> Response:
        """Assign to a person of the department (the head), or take or give back (a worker)."""
        return self._act(
            request,
            inputs.AssignInput,
            lambda r, d: r.assign(request.user, _person(d.get("assignee"))),
        )

    @documented(inputs.PersonInput)
    @action(detail=True, methods=["post"])
    def support(self, request: Request, pk: str | None = None) -> Response:
        """Support an open public report, once per person (account, e-mail or browser)."""

        def perform(report: Report, data: dict[str, Any]) -> None:
            session = request.session
            anonymous = not request.user.is_authenticated and not data.get("email")
            if anonymous and session.session_key is None:
                session.save()  # gives the browser a session to count its support by
            report.support(request.user, data.get("email", ""), session.session_key or "")

        return self._act(request, inputs.PersonInput, perform)

    @documented(inputs.PersonInput)
    @action(detail=True, methods=["post"])
    def follow(self, request: Request, pk: str | None = None) -> Response:
        """Get an e-mail at every public change (unsubscribe by the link in each)."""
        language = (getattr(request, "LANGUAGE_CODE", "") or "uk")[:2]

        def perform(report: Report, data: dict[str, Any]) -> None:
            report.follow(request.user, data.get("email", ""), language)

        return self._act(request, inputs.PersonInput, perform)
