"""A resident adds an update (a comment, up to three photos) to a report: from the form on
the report's public page, or on the reporter's own page (models/update.py holds the rules).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from geoportal.reports.errors import ProcedureError
from geoportal.reports.models import Report, ReportUpdate
from geoportal.reports.models.update import UPDATE_PHOTOS_MAX, UPDATE_TEXT_MAX
from geoportal.reports.photos import check_all
from geoportal.reports.states import UPDATE_STATES
from geoportal.residents.access import resident_page
from geoportal.residents.models import Resident


def is_reporter(report: Report, resident: Resident) -> bool:
    return report.reporter_user_id == resident.user_id or (
        bool(report.reporter_email) and report.reporter_email.lower() == resident.email
    )


def reports_open_to(resident: Resident) -> object:
    """The reports this resident may see: the public ones and their own."""
    return Report.objects.filter(
        Q(pk__in=Report.objects.publicly_visible())
        | Q(reporter_user=resident.user)
        | Q(reporter_email__iexact=resident.email)
    )


@require_http_methods(["POST"])
@resident_page
def add_update(request: HttpRequest, resident: Resident, pk: int) -> HttpResponse:
    """Stores a pending update; back to the page it came from with what happened."""
    report = get_object_or_404(
        reports_open_to(resident).select_related("municipality"),  # type: ignore[attr-defined]
        pk=pk,
    )
    reporter = is_reporter(report, resident)
    back = report.get_absolute_url()
    if reporter and report.tracking_code:
        back = reverse("frontend:report-track", kwargs={"code": report.tracking_code})
    uploads = request.FILES.getlist("photos")
    try:
        if len(uploads) > UPDATE_PHOTOS_MAX:
            raise ValidationError(
                {
                    "photos": _("At most %(limit)s photos; %(sent)s were sent.")
                    % {"limit": UPDATE_PHOTOS_MAX, "sent": len(uploads)}
                }
            )
        photos = check_all(uploads, field="photos")
        ReportUpdate.submit(report, request.user, reporter, request.POST.get("text", ""), photos)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(back)
    except ProcedureError as exc:
        messages.error(request, exc.message)
        return redirect(back)
    messages.success(
        request, _("Thank you: your update is sent to the moderator and shown once checked.")
    )
    return redirect(back)


def update_context(request: HttpRequest, report: Report) -> dict[str, object]:
    """What a report's page needs for the updates form: whether to offer it (to a signed-in
    resident who may add one now) or to invite signing in; the limits it states."""
    from geoportal.residents.access import resident_of

    resident = resident_of(request.user)
    reporter = resident is not None and is_reporter(report, resident)
    may = resident is not None and ReportUpdate.may_add(report, request.user, reporter)
    anyone_may = report.state in UPDATE_STATES and report.is_publicly_visible
    return {
        "can_add_update": may,
        "invite_update": resident is None and anyone_may and not request.user.is_authenticated,
        "update_photos_max": UPDATE_PHOTOS_MAX,
        "update_text_max": UPDATE_TEXT_MAX,
    }
