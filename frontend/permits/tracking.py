"""The tracking page an application's code opens, and the applicant's two actions on it:
withdraw while in review, report the installation with a photo once granted.

The code is the secret (the applicant's mail and My applications link to it): the page shows
what the applicant sent and what the hromada decided, never the contact person's name,
e-mail or phone, nor who on the staff acted. Each action posts the version the page showed,
so an application that moved on meanwhile is not withdrawn unseen."""

from __future__ import annotations

import contextlib
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from frontend.permits.access import tracked
from frontend.staff.permits.steps import steps_of
from geoportal.permits.findings import describe
from geoportal.permits.models import Application, PermitSettings
from geoportal.permits.states import IN_REVIEW, Action, State
from geoportal.procedure import timebase
from geoportal.procedure.errors import ProcedureError

TEMPLATE = "frontend/permits/track.html"


def _context(application: Application) -> dict[str, Any]:
    permit_settings = PermitSettings.for_(application.municipality, application.kind)
    return {
        "application": application,
        "steps": steps_of(application, permit_settings, timebase.now()),
        "findings": [{**f, "message": describe(f)} for f in application.precheck or []],
        "events": application.events.filter(is_public=True).order_by("created_at", "pk"),
        "documents": application.documents.count(),
        "can_withdraw": application.state in IN_REVIEW,
        "can_report": application.state == State.GRANTED,
        "labels": {Action.WITHDRAW.value: Action.WITHDRAW.label,
                   Action.REPORT_INSTALLATION.value: Action.REPORT_INSTALLATION.label},
        "photo_mb": settings.REPORT_PHOTO_MAX_BYTES // (1024 * 1024),
    }  # fmt: skip


@require_GET
@never_cache
def permit_track(request: HttpRequest, code: str) -> HttpResponse:
    return render(request, TEMPLATE, _context(tracked(code)))


def _act(request: HttpRequest, code: str, action: str, done: str) -> HttpResponse:
    """Take the applicant's action; on a refusal the page again, with the reason beside the
    action's form and the HTTP status of the refusal."""
    application = tracked(code)
    # No version seen (or not a number): the action is checked against the state alone.
    with contextlib.suppress(ValueError):
        application.version = int(request.POST.get("version", ""))
    try:
        if action == Action.WITHDRAW:
            application.withdraw(code, request.POST.get("text", ""))
        else:
            application.report_installation(code, request.FILES.get("photo"))  # type: ignore[arg-type]
    except ValidationError as exc:
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
        refused, status = " ".join(m for found in errors.values() for m in found), 400
    except ProcedureError as exc:
        refused, status = exc.message, exc.status
    else:
        messages.success(request, done)
        return redirect("frontend:permit-track", code=code)
    context = _context(tracked(code))
    context["refused"] = {action: refused}
    return render(request, TEMPLATE, context, status=status)


@require_POST
@never_cache
def permit_withdraw(request: HttpRequest, code: str) -> HttpResponse:
    return _act(request, code, Action.WITHDRAW, _("The application is withdrawn."))


@require_POST
@never_cache
def permit_installation(request: HttpRequest, code: str) -> HttpResponse:
    return _act(
        request, code, Action.REPORT_INSTALLATION, _("Thank you: the installation is reported.")
    )
