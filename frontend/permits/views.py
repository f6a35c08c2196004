"""The procedures, the application form and a resident's own applications."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from frontend.permits.access import applicant_page
from frontend.permits.forms import ApplicationForm
from frontend.permits.procedures import procedures
from geoportal.core import ratelimit
from geoportal.core.devices import gives_device
from geoportal.municipalities.models import Municipality
from geoportal.permits.intake import submit_application
from geoportal.permits.models import Application
from geoportal.permits.states import Kind
from geoportal.residents.models import Resident


def _hromada(slug: str | None) -> Municipality:
    """The hromada asked for, else the default one (DEFAULT_MUNICIPALITY), else the first."""
    hromadas = Municipality.objects.active()
    found = (
        hromadas.filter(slug=slug or settings.DEFAULT_MUNICIPALITY).first()
        or hromadas.filter(slug=settings.DEFAULT_MUNICIPALITY).first()
        or hromadas.order_by("pk").first()
    )
    if found is None:
        raise Http404("No municipality is loaded yet.")
    return found


@require_GET
def permits_list(request: HttpRequest) -> HttpResponse:
    """The three procedures of the hromada: steps, terms, legal sources, Apply."""
    municipality = _hromada(request.GET.get("municipality"))
    return render(request, "frontend/permits/index.html", {
        "municipality": municipality,
        "municipalities": Municipality.objects.active().order_by("name_uk"),
        "procedures": procedures(municipality),
    })  # fmt: skip


def _kind(kind: str) -> Kind:
    if kind not in Kind.values:
        raise Http404("There is no such kind of permit.")
    return Kind(kind)


@require_http_methods(["GET", "POST"])
@never_cache
@gives_device  # sending is rate-limited per device
def permit_apply(request: HttpRequest, kind: str) -> HttpResponse:
    """The form of one kind; an unknown kind is not found before anyone is asked to sign in."""
    return _apply(request, kind=_kind(kind))


@applicant_page
def _apply(request: HttpRequest, resident: Resident, kind: Kind) -> HttpResponse:
    status = 200
    if request.method == "POST":
        refusal = ratelimit.check(request, "permit_application")
        if refusal is not None:
            form = ApplicationForm(kind, request.POST, request.FILES)
            form.add_error(None, refusal.message())  # above any other problem of the form
            response = _form_page(request, kind, form, status=429)
            response["Retry-After"] = str(refusal.seconds)
            return response
        form = ApplicationForm(kind, request.POST, request.FILES)
        if form.is_valid():
            try:
                application = submit_application(
                    **form.submission(),
                    applicant_user=resident.user,
                    language=(get_language() or "uk")[:2],
                )
            except ValidationError as exc:
                form.refuse(exc)
            else:
                return redirect("frontend:permit-track", code=application.tracking_code)
        status = 400
    else:
        municipality = _hromada(request.GET.get("municipality"))
        form = ApplicationForm(kind, initial={
            "municipality": municipality.slug, "applicant_kind": "business",
            "applicant_email": resident.email,
        })  # fmt: skip
    return _form_page(request, kind, form, status=status)


def _form_page(
    request: HttpRequest, kind: Kind, form: ApplicationForm, status: int
) -> HttpResponse:
    hromadas = {
        m.slug: {
            "lat": m.centre.y,
            "lon": m.centre.x,
            "boundary": reverse("api:municipality-detail", kwargs={"slug": m.slug}),
        }
        for m in Municipality.objects.active()
    }
    context: dict[str, Any] = {
        "kind": kind,
        "kind_label": kind.label,
        "form": form,
        "hromadas": hromadas,
        "max_pdf_mb": settings.PERMIT_PDF_MAX_BYTES // (1024 * 1024),
        "max_documents": settings.PERMIT_DOCUMENTS_MAX,
        "files_lost": form.is_bound and bool(form.errors),
    }
    return render(request, "frontend/permits/apply.html", context, status=status)


@require_GET
@never_cache
@applicant_page
def permits_mine(request: HttpRequest, resident: Resident) -> HttpResponse:
    """The applications sent from this account, newest first, each to its tracking page."""
    applications = (
        Application.objects.filter(applicant_user=resident.user)
        .select_related("municipality")
        .order_by("-created_at", "-pk")
    )
    return render(
        request, "frontend/permits/mine.html", {"resident": resident, "applications": applications}
    )
