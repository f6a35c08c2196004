"""Who is told of what in the permit procedure, written as rows of the platform's one outbox
(geoportal.reports.models.Notification, with no report) in the transaction of their cause;
the worker delivers them (reports.deliver_notification).

- the applicant: the application received (with its tracking link), each public step and
  decision (registration, check, grant, refusal, extension, annulment, expiry, removal, a
  public comment), and the expiry notice `expiry_notice_days` before the end of validity;
- the permit department: a new application, a withdrawal or a reported installation, the
  reminder before a deadline; its head and the hromada's coordinators: a missed deadline.

Mails are written from geoportal/permits/templates/permits/mail/<kind>.<language>.txt
(Ukrainian and English): the first line is the subject.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from geoportal.accounts.models import User
from geoportal.accounts.roles import Role
from geoportal.permits.states import Action
from geoportal.reports.models.notification import Notification, NotificationKind
from geoportal.reports.notify import STAFF_LANGUAGE, department_people, staff_with_role

if TYPE_CHECKING:
    from geoportal.permits.models import Application, ApplicationEvent

LANGUAGES = ("uk", "en")
# Actions the applicant did themselves: the department is told, not the applicant.
BY_APPLICANT = frozenset({Action.WITHDRAW, Action.REPORT_INSTALLATION})


def tracking_url(application: Application, language: str | None = None) -> str:
    """The applicant's tracking page (/permits/a/<code>/; English under /en/)."""
    prefix = "/en" if (language or application.language) == "en" else ""
    return f"{settings.SITE_URL}{prefix}/permits/a/{application.tracking_code}/"


def staff_url(application: Application) -> str:
    """The application's console (the staff are told in Ukrainian: no /en/ prefix)."""
    return f"{settings.SITE_URL}/staff/permits/{application.pk}/"


def queue(
    kind: NotificationKind, to_email: str, context: dict[str, Any], *, language: str
) -> Notification:
    """Render one e-mail in the recipient's language, store it and defer its delivery."""
    from geoportal.reports.tasks import deliver_notification

    language = language if language in LANGUAGES else "uk"
    with translation.override(language):
        text = render_to_string(f"permits/mail/{kind.value}.{language}.txt", context).strip()
    subject, _blank, body = text.partition("\n")
    notification = Notification.objects.create(
        kind=kind,
        to_email=to_email,
        language=language,
        subject=subject.strip()[:250],
        body=body.strip() + "\n",
    )
    deliver_notification.configure(queueing_lock=f"notification-{notification.pk}").defer(
        notification_id=notification.pk
    )
    return notification


def to_applicant(
    kind: NotificationKind, application: Application, event: ApplicationEvent | None = None
) -> Notification | None:
    if not application.applicant_email:
        return None
    language = application.language if application.language in LANGUAGES else "uk"
    context = {
        "application": application,
        "event": event,
        "link": tracking_url(application, language),
    }
    return queue(kind, application.applicant_email, context, language=language)


def department_staff(application: Application, heads_only: bool = False) -> list[User]:
    department = application.permit_settings.department
    if department is None:
        return list(staff_with_role(application.municipality, Role.COORDINATOR))
    return list(department_people(department, heads_only=heads_only))


def to_staff(
    kind: NotificationKind,
    people: list[User],
    application: Application,
    event: ApplicationEvent | None = None,
) -> int:
    sent: set[str] = set()
    for person in people:
        if not person.email or person.email.lower() in sent:
            continue
        sent.add(person.email.lower())
        context = {"application": application, "event": event, "link": staff_url(application)}
        queue(kind, person.email, context, language=STAFF_LANGUAGE)
    return len(sent)


def notify_submitted(application: Application, event: ApplicationEvent) -> None:
    to_applicant(NotificationKind.PERMIT_RECEIVED, application, event)
    to_staff(NotificationKind.PERMIT_NEW, department_staff(application), application, event)


def notify_event(application: Application, event: ApplicationEvent) -> None:
    """The notifications one event causes; called inside the event's transaction."""
    if event.action in BY_APPLICANT:
        people = department_staff(application)
        to_staff(NotificationKind.PERMIT_BY_APPLICANT, people, application, event)
        return
    if event.is_public:
        to_applicant(NotificationKind.PERMIT_CHANGE, application, event)


def escalated_to(application: Application) -> list[User]:
    """The department's head and the hromada's coordinators."""
    coordinators = list(staff_with_role(application.municipality, Role.COORDINATOR))
    return department_staff(application, heads_only=True) + coordinators


def remind(application: Application) -> None:
    to_staff(NotificationKind.PERMIT_REMINDER, department_staff(application), application, None)


def escalate(application: Application) -> None:
    to_staff(NotificationKind.PERMIT_ESCALATION, escalated_to(application), application, None)


def expiry_notice(application: Application) -> None:
    to_applicant(NotificationKind.PERMIT_EXPIRY, application, None)
