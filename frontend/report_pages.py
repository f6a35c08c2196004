"""Pages of one report: its public page, the reporter's private page, unsubscribing.

The full report journey and the staff consoles are built on the API; these pages are
what the links in the e-mails open.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from geoportal.core.devices import gives_device
from geoportal.reports import timebase
from geoportal.reports.errors import ProcedureError
from geoportal.reports.models import Follow, Report
from geoportal.reports.states import TRANSITIONS, Action, State
from geoportal.reports.timeline import public_timeline
from geoportal.residents.updates import update_context


def _context(report: Report) -> dict[str, object]:
    return {
        "report": report,
        "timeline": public_timeline(report),
        "photos": report.photos.filter(event__isnull=True, is_hidden=False),
        "can_support": report.state in (TRANSITIONS[Action.SUPPORT].sources or ()),
        "labels": {action.value: action.label for action in Action},
    }


@gives_device  # support is rate-limited per device
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(
        Report.objects.publicly_visible().select_related("category", "department"), pk=pk
    )
    context = _context(report)
    context.update(update_context(request, report))
    return render(request, "frontend/report_detail.html", context)


def report_track(request: HttpRequest, code: str) -> HttpResponse:
    """The reporter's own view by the private link: every state, and dispute within 14 days."""
    report = get_object_or_404(
        Report.objects.select_related("category", "department"), tracking_code=code
    )
    status = 200
    if request.method == "POST":
        try:  # the model checks the comment (required, characters, length)
            report.dispute(code, request.POST.get("comment", ""))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            status = 400
        except ProcedureError as exc:
            messages.error(request, exc.message)
            status = exc.status
        else:
            messages.success(request, _("Your dispute was sent to the moderator."))
            return redirect(request.path)
    context = _context(report)
    now = timebase.now()
    context["can_dispute"] = (
        report.state in {State.RESOLVED, State.NOT_RESOLVED}
        and report.dispute_until is not None
        and now <= report.dispute_until
        and report.disputed_at is None
    )
    context["own_view"] = True
    context.update(update_context(request, report))
    context["dispute_label"] = Action.DISPUTE.label
    follow = report.follows.filter(is_reporter=True).first()
    context["unsubscribe_token"] = follow.token if follow else ""
    return render(request, "frontend/report_detail.html", context, status=status)


@csrf_exempt  # RFC 8058: the mail program's one-click POST has no page; the token is the secret
def follow_unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks, POST unsubscribes (mail scanners follow links; they do not post forms)."""
    follow = get_object_or_404(Follow.objects.select_related("report"), token=token)
    done = follow.unsubscribed_at is not None
    if request.method == "POST":
        follow.unsubscribe()
        done = True
    return render(request, "frontend/unsubscribe.html", {"follow": follow, "done": done})
