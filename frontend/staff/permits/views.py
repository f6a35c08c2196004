"""The permits queue, an application's console, its actions and its documents."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    JsonResponse,
)
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET, require_POST

from frontend.staff.access import staff_page
from frontend.staff.permits.access import permit_scope, sees_permits, staff_application
from frontend.staff.permits.inputs import ACTIONS, UNKNOWN_ACTION
from frontend.staff.permits.queue import queue_page
from frontend.staff.permits.site_map import nearby_applications, site_context, site_features
from frontend.staff.permits.steps import steps_of
from frontend.staff.permits.texts import offers
from geoportal.permits.findings import describe
from geoportal.permits.models import ApplicationDocument, ApprovalBody, PermitSettings
from geoportal.permits.roles import PERMITS, actor_roles, permit_kinds
from geoportal.permits.states import Action, Actor, Kind, RefusalReason
from geoportal.procedure import timebase
from geoportal.procedure.errors import ProcedureError


@require_GET
@staff_page(sees_permits)
def permits_queue(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    kinds = permit_kinds(user)
    found, page = queue_page(request, permit_scope(user), kinds)
    return render(request, "frontend/staff/permits/queue.html", {
        "rows": page, "page": page, "filters": found.form,
        "kinds": [Kind(kind).label for kind in kinds],
    })  # fmt: skip


def _suggested_term(application: Any, today: date) -> tuple[date, date]:
    """The grant form's dates to start from: what the applicant asked for (a terrace its
    season), else from today for the kind's term (the model's default_term)."""
    if application.kind == Kind.TERRACE and application.season_from:
        start = application.season_from
    else:
        start = max(application.requested_from or today, today)
    return start, application.default_term(start)


@require_GET
@staff_page(sees_permits)
def permit_console(request: HttpRequest, pk: int) -> HttpResponse:
    application = staff_application(request.user, pk)
    application = (
        type(application)
        .objects.select_related("municipality", "maf", "advertising", "applicant_user")
        .prefetch_related("documents", "approvals", "events__actor")
        .get(pk=application.pk)
    )
    settings = PermitSettings.for_(application.municipality, application.kind)
    now = timebase.now()
    today = timezone.localdate(now)
    context = site_context(application)
    others = nearby_applications(application)
    valid_from, valid_to = _suggested_term(application, today)
    roles = actor_roles(application, request.user)
    return render(request, "frontend/staff/permits/console.html", {
        "application": application,
        "settings": settings,
        "actions": [str(a) for a in PERMITS.available(application, request.user)],
        "labels": {action.value: action.label for action in Action},
        "is_head": Actor.HEAD in roles,
        "is_overdue": bool(application.clock and application.due_at and application.due_at < now),
        "steps": steps_of(application, settings, now),
        "context": context,
        "others": others,
        "findings": [{**f, "message": describe(f)} for f in application.precheck or []],
        "documents": application.documents.all(),
        "approvals": application.approvals.all(),
        "pending_approvals": [t for t in application.approvals.all() if t.is_pending],
        "events": application.events.all(),
        "bodies": ApprovalBody.choices,
        "reasons": RefusalReason.choices,
        "today": today,
        "now": now,
        "grant_from": valid_from,
        "grant_to": valid_to,
        "site_map": site_features(application, context, others),
        "response_templates": offers(application),
    })  # fmt: skip


@require_POST
@staff_page(sees_permits)
def permit_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """One action of the procedure, posted by the console's script with the version the
    officer saw: 200 with the new state and version; 400 naming the field; 403 not this
    person; 409 not from this state, or changed meanwhile (console.js shows which)."""
    application = staff_application(request.user, pk)
    taken = ACTIONS.get(action)
    if taken is None:
        return JsonResponse({"detail": str(UNKNOWN_ACTION)}, status=404)
    form = taken.form(request.POST)
    if not form.is_valid():
        errors = form.errors.get_json_data()
        return JsonResponse(
            {field: [e["message"] for e in found] for field, found in errors.items()}, status=400
        )
    data = form.cleaned_data
    application.version = data["version"]  # acting on what the officer read
    try:
        event = taken.call(application, request.user, data)
    except ValidationError as exc:
        body = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        return JsonResponse(body, status=400)
    except ProcedureError as exc:
        return JsonResponse({"detail": exc.message, **exc.details}, status=exc.status)
    application.refresh_from_db()
    return JsonResponse({
        "id": application.pk, "state": application.state, "version": application.version,
        "event": getattr(event, "pk", None),
    })  # fmt: skip


EXTENSIONS = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}


@require_GET
@staff_page(sees_permits)
def permit_document(request: HttpRequest, pk: int, document: int) -> HttpResponseBase:
    """A document of an application, to those who work on it. A PDF is always a download
    (Content-Disposition: attachment), never drawn in the page; the images, re-encoded at
    intake, may be shown. Never kept by a shared cache."""
    application = staff_application(request.user, pk)
    found = get_object_or_404(ApplicationDocument, pk=document, application=application)
    if found.content_type not in EXTENSIONS:
        raise PermissionDenied("Only PDF, JPEG and PNG documents are served.")
    try:
        file = default_storage.open(str(found.file.name), "rb")
    except FileNotFoundError:
        raise Http404 from None
    inline = found.content_type != "application/pdf" and request.GET.get("view") == "1"
    response = FileResponse(
        file,
        content_type=found.content_type,
        as_attachment=not inline,
        filename=found.download_name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    # Whatever the browser makes of it, the file runs no script and loads nothing.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    patch_cache_control(response, private=True, no_store=True)
    return response
