"""The moderators' queue of residents' updates: approve (shown in the report's history, sent
to its followers and department) or reject with a ground, within the moderator's hromada."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from frontend.staff.access import staff_page
from geoportal.accounts.roles import Role
from geoportal.reports.errors import ProcedureError
from geoportal.reports.models import ReportUpdate
from geoportal.reports.states import RejectionGround


def moderates(user: Any) -> bool:
    """Moderators of a hromada (the transitions table's Actor.MODERATOR publishes updates)."""
    return bool(user.municipality_id) and bool(user.has_role(Role.MODERATOR))


@require_http_methods(["GET"])
@staff_page(moderates)
def updates_queue(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    updates = (
        ReportUpdate.objects.pending_for(user.municipality)
        .select_related("report", "report__category")
        .prefetch_related("photos")[:200]
    )
    return render(
        request,
        "frontend/staff/updates.html",
        {"updates": updates, "grounds": RejectionGround.choices},
    )


@require_http_methods(["POST"])
@staff_page(moderates)
def update_decide(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    update = get_object_or_404(
        ReportUpdate.objects.filter(report__municipality_id=user.municipality_id), pk=pk
    )
    try:
        if request.POST.get("decision") == "approve":
            update.approve(user)
            messages.success(request, _("Update #%(pk)s is published.") % {"pk": pk})
        elif request.POST.get("decision") == "reject":
            update.reject(user, request.POST.get("ground", ""), request.POST.get("comment", ""))
            messages.success(request, _("Update #%(pk)s is rejected.") % {"pk": pk})
        else:
            messages.error(request, _("Choose to publish or to reject."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except ProcedureError as exc:
        messages.error(request, exc.message)
    return redirect("frontend:staff-updates")
