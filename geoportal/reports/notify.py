"""Who is told of what (PROCEDURE.md, "Notifications"), written as Notification rows in the
transaction of their cause; the worker delivers them (tasks.py)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from geoportal.accounts.models import User
from geoportal.accounts.roles import Role
from geoportal.reports.models.data import Clock
from geoportal.reports.models.notification import Notification, NotificationKind
from geoportal.reports.states import Action

if TYPE_CHECKING:
    from geoportal.municipalities.models import Department, Municipality
    from geoportal.reports.models import Follow, Report, ReportEvent

STAFF_LANGUAGE = "uk"
# The clocks moderators answer for; the department answers for the others.
MODERATOR_CLOCKS = frozenset({Clock.MODERATION, Clock.REROUTING, Clock.DISPUTE})


def staff_with_role(municipality: Municipality, role: Role) -> QuerySet[User]:
    return User.objects.filter(
        municipality=municipality, groups__name=role.value, is_active=True
    ).exclude(email="")


def department_people(department: Department, heads_only: bool = False) -> QuerySet[User]:
    people = User.objects.filter(department_memberships__department=department, is_active=True)
    if heads_only:
        people = people.filter(department_memberships__role="head")
    return people.exclude(email="").distinct()


def staff_link(report: Report) -> str:
    """The report's staff console (the staff are told in Ukrainian, so no /en/ prefix)."""
    with translation.override(STAFF_LANGUAGE):
        return settings.SITE_URL + reverse("frontend:staff-report", args=[report.pk])


def queue(
    kind: NotificationKind,
    to_email: str,
    context: dict[str, Any],
    *,
    language: str = STAFF_LANGUAGE,
    report: Report | None = None,
    event: ReportEvent | None = None,
    unsubscribe_url: str = "",
) -> Notification:
    """Render one e-mail in the recipient's language, store it and defer its delivery."""
    from geoportal.reports.tasks import deliver_notification

    with translation.override(language):
        text = render_to_string(f"reports/email/{kind.value}.txt", context).strip()
    subject, _blank, body = text.partition("\n")
    notification = Notification.objects.create(
        kind=kind,
        to_email=to_email,
        language=language,
        report=report,
        event=event,
        subject=subject.strip()[:250],
        body=body.strip() + "\n",
        unsubscribe_url=unsubscribe_url,
    )
    # Deferred on the same connection, so the job exists exactly when the row does.
    deliver_notification.configure(queueing_lock=f"notification-{notification.pk}").defer(
        notification_id=notification.pk
    )
    return notification


def _to_staff(
    kind: NotificationKind,
    people: Iterable[User],
    report: Report,
    event: ReportEvent | None,
    **extra: Any,
) -> None:
    sent: set[str] = set()
    for person in people:
        if person.email.lower() in sent:
            continue
        sent.add(person.email.lower())
        context = {"report": report, "event": event, "link": staff_link(report), **extra}
        queue(kind, person.email, context, report=report, event=event)


def _to_followers(report: Report, event: ReportEvent, kind: NotificationKind) -> None:
    follows: QuerySet[Follow] = report.follows.active()
    for follow in follows:
        unsubscribe = settings.SITE_URL + reverse(
            "frontend:follow-unsubscribe", kwargs={"token": follow.token}
        )
        context = {
            "report": report,
            "event": event,
            "link": report.tracking_url if follow.is_reporter else report.public_url,
            "unsubscribe": unsubscribe,
        }
        queue(
            kind,
            follow.email,
            context,
            language=follow.language,
            report=report,
            event=event,
            unsubscribe_url=unsubscribe,
        )


def notify_event(report: Report, event: ReportEvent) -> None:
    """The notifications one event causes; called inside the event's transaction."""
    action = event.action
    if action == Action.SUBMIT:
        _to_followers(report, event, NotificationKind.SUBMITTED)
        return
    if event.is_public:
        _to_followers(report, event, NotificationKind.PUBLIC_CHANGE)
    if action == Action.APPROVE and report.department is not None:
        _to_staff(NotificationKind.ROUTED, department_people(report.department), report, event)
    elif action == Action.RETURN:
        moderators = staff_with_role(report.municipality, Role.MODERATOR)
        _to_staff(NotificationKind.RETURNED, moderators, report, event)
    elif action == Action.DISPUTE:
        moderators = staff_with_role(report.municipality, Role.MODERATOR)
        _to_staff(NotificationKind.DISPUTED, moderators, report, event)
    elif action == Action.ASSIGN and report.assignee and _assigned_by_another(report, event):
        _to_staff(NotificationKind.ASSIGNED, [report.assignee], report, event)
    elif action == Action.RESIDENT_UPDATE and report.department is not None:
        people = department_people(report.department)
        _to_staff(NotificationKind.RESIDENT_UPDATE, people, report, event)
    if event.is_public:
        from geoportal.residents.alerts import alert_event

        alert_event(report, event)


def _assigned_by_another(report: Report, event: ReportEvent) -> bool:
    """The assignee is told, unless they took the report themselves or have no address."""
    person = report.assignee
    return person is not None and bool(person.email) and event.actor_id != person.pk


def responsible_for(report: Report) -> list[User]:
    """Who answers for the running clock: moderators for moderation, re-routing and a
    dispute, the department's people for acknowledgement and answer."""
    if report.clock in MODERATOR_CLOCKS or report.department is None:
        return list(staff_with_role(report.municipality, Role.MODERATOR))
    return list(department_people(report.department))


def escalated_to(report: Report) -> list[User]:
    """The department head and the coordinator (the moderators for moderators' clocks)."""
    coordinators = list(staff_with_role(report.municipality, Role.COORDINATOR))
    if report.clock in MODERATOR_CLOCKS or report.department is None:
        return list(staff_with_role(report.municipality, Role.MODERATOR)) + coordinators
    return list(department_people(report.department, heads_only=True)) + coordinators


def remind(report: Report) -> None:
    _to_staff(NotificationKind.REMINDER, responsible_for(report), report, None)


def escalate(report: Report) -> None:
    _to_staff(NotificationKind.ESCALATION, escalated_to(report), report, None)


def digest(municipality: Municipality, overdue: QuerySet[Report]) -> int:
    """The daily digest: each head their department's overdue reports, each coordinator all."""
    count = 0
    everything = list(overdue.select_related("department", "category"))
    if not everything:
        return 0
    recipients: dict[str, list[Report]] = {}
    for person in staff_with_role(municipality, Role.COORDINATOR):
        recipients[person.email] = everything
    by_department: dict[int, list[Report]] = {}
    for report in everything:
        if report.department_id is not None:
            by_department.setdefault(report.department_id, []).append(report)
    for report in everything:
        department = report.department
        if department is None or department.pk not in by_department:
            continue
        for head in department_people(department, heads_only=True):
            recipients.setdefault(head.email, by_department[department.pk])
        by_department.pop(department.pk)
    for email, reports in recipients.items():
        context = {
            "municipality": municipality,
            "reports": [(r, staff_link(r)) for r in reports],
            "count": len(reports),
        }
        queue(NotificationKind.DIGEST, email, context)
        count += 1
    return count
