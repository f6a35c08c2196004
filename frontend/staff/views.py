"""Staff consoles: moderation, a department's queue, one report, the coordinator's dashboard
and the planning department's layers. Every action is taken through the report API by the
page's script; these views only read."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from frontend.staff.access import (
    is_coordinator,
    is_department_member,
    is_moderator,
    is_planner,
    staff_page,
)
from frontend.staff.charts import bars
from frontend.staff.console_map import console_features
from frontend.staff.permits.statistics import permit_section
from frontend.staff.queue_filters import ORDERS, filtered_page
from geoportal.accounts.roles import Role
from geoportal.municipalities.models import Category, Department, ResponseTemplate
from geoportal.reports import timebase
from geoportal.reports.models import Report
from geoportal.reports.roles import actor_roles, allowed_actions
from geoportal.reports.states import CLOSED_STATES, Action, Actor, RejectionGround, State
from geoportal.reports.statistics import current_statistics
from layers.models import LayerPassport
from layers.registry import LAYERS


def staff_home(request: HttpRequest) -> HttpResponse:
    """Each person to their own console."""
    user: Any = request.user
    if not user.is_authenticated:
        return redirect("frontend:login")
    if is_coordinator(user):
        return redirect("frontend:staff-dashboard")
    if is_moderator(user):
        return redirect("frontend:staff-moderation")
    if user.has_role(Role.PLANNING_EDITOR):
        return redirect("frontend:staff-layers")
    if is_department_member(user):
        return redirect("frontend:staff-department")
    raise PermissionDenied("No console is open to your account.")


def _queue_rows(reports: Any) -> list[Report]:
    now = timebase.now()
    rows = list(
        reports.select_related("category", "department", "suggested_department", "assignee")[:200]
    )
    for report in rows:
        report.is_overdue = bool(report.clock and report.due_at and report.due_at < now)
    return rows


def _queue(request: HttpRequest, reports: Any, municipality: Any, **context: Any) -> HttpResponse:
    """A queue page: the reports narrowed by the request's search and filters, one page."""
    categories = Category.objects.filter(municipality=municipality, is_active=True)
    found, page = filtered_page(request, reports, categories)
    return render(request, "frontend/staff/queue.html", {
        "rows": page, "page": page, "filters": found.form, "orders": ORDERS, **context,
    })  # fmt: skip


@staff_page(is_moderator)
def moderation_queue(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    reports = Report.objects.moderation_queue(user.municipality)
    return _queue(
        request, reports, user.municipality, title=_("Moderation queue"), console="moderation"
    )


@staff_page(lambda user: is_department_member(user) or is_coordinator(user))
def department_queue(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    own = Department.objects.filter(memberships__user=user).order_by("name_uk")
    choices = own
    if is_coordinator(user):
        choices = Department.objects.filter(municipality_id=user.municipality_id, is_active=True)
    code = request.GET.get("department", "")
    department = choices.filter(code=code).first() if code else choices.first()
    if department is None:
        raise PermissionDenied("This queue is for the department's own workers and heads.")
    return _queue(
        request, Report.objects.open_for(department), department.municipality,
        title=department.name, console="department", departments=choices, department=department,
    )  # fmt: skip


@staff_page(is_department_member)
def my_tasks(request: HttpRequest) -> HttpResponse:
    """The open reports assigned to this person, in any of their departments."""
    user: Any = request.user
    reports = Report.objects.assigned_to(user)
    return _queue(request, reports, user.municipality, title=_("My tasks"), console="tasks")


def _staff_report(request: HttpRequest, pk: int) -> Report:
    report = get_object_or_404(Report, pk=pk)
    if not Report.objects.staff_scope(request.user).filter(pk=pk).exists():
        raise PermissionDenied("This report is not among the ones you work on.")
    return report


@staff_page(lambda user: is_moderator(user) or is_department_member(user))
def report_console(request: HttpRequest, pk: int) -> HttpResponse:
    report = _staff_report(request, pk)
    report = (
        Report.objects.select_related(
            "municipality", "category", "department", "suggested_department", "duplicate_of",
            "context_plot", "context_zone", "context_maf", "context_advertising",
        )
        .prefetch_related("photos", "events__actor")
        .get(pk=report.pk)
    )  # fmt: skip
    now = timebase.now()
    actions = [str(a) for a in allowed_actions(report, request.user)]
    duplicates = list(
        Report.objects.nearby_open(report.point, report.category).exclude(pk=report.pk)[:10]
    )
    context = {
        "report": report,
        "actions": actions,
        "is_overdue": bool(report.clock and report.due_at and report.due_at < now),
        "duplicates": duplicates,
        "departments": Department.objects.filter(municipality=report.municipality, is_active=True),
        "grounds": RejectionGround.choices,
        "events": report.events.all(),
        "photos": report.photos.filter(update__isnull=True),  # updates: /staff/updates/
        "today": timebase.now().date(),
        "labels": {action.value: action.label for action in Action},
        "is_head": Actor.HEAD in actor_roles(report, request.user),
        "department_people": report.department.people() if report.department else [],
        "console_map": console_features(report, duplicates),
        "response_templates": {
            purpose.value: [
                t.as_offer() for t in ResponseTemplate.objects.offered_for(report, purpose)
            ]
            for purpose in ResponseTemplate.Purpose
        },
    }
    return render(request, "frontend/staff/report.html", context)


@staff_page(is_coordinator)
def dashboard(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    municipality = user.municipality
    now = timebase.now()
    reports = Report.objects.filter(municipality=municipality)
    by_state = dict(reports.values_list("state").annotate(n=Count("pk")).order_by())
    state_rows = [(str(label), by_state.get(value, 0), value) for value, label in State.choices]
    kept, computed = current_statistics(municipality, None, "department")
    rows = [row for row in kept if row.key != "total"]
    overdue = _queue_rows(reports.overdue(now).order_by("due_at"))
    context = {
        "municipality": municipality,
        "state_chart": bars([(label, count) for label, count, _v in state_rows]),
        "department_rows": rows,
        "received_chart": bars([(r.name or _("Not routed"), r.received) for r in rows]),
        "on_time_chart": bars(
            [(r.name, round((r.share_on_time or 0) * 100)) for r in rows if r.answered],
            maximum=100,
            unit="%",
        ),
        "overdue": overdue,
        "stale_layers": LayerPassport.objects.filter(municipality=municipality).stale(),
        "open_count": reports.exclude(state__in=CLOSED_STATES).count(),
        "overdue_ever": reports.filter(was_overdue=True).count(),
        "layers": [(name, spec.model._meta.verbose_name_plural) for name, spec in LAYERS.items()],
        "computed_at": computed,
        **permit_section(request, municipality),
    }
    return render(request, "frontend/staff/dashboard.html", context)


@staff_page(is_planner)
def layers_page(request: HttpRequest) -> HttpResponse:
    """The planning department's layers: freshness and the admin's editing and import."""
    user: Any = request.user
    passports = LayerPassport.objects.select_related("municipality", "department")
    if user.municipality_id:
        passports = passports.filter(municipality_id=user.municipality_id)
    return render(request, "frontend/staff/layers.html", {"passports": passports})
